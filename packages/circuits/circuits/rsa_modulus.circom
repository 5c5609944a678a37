pragma circom 2.1.9;

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/poseidon.circom";

// protocol §7: modulusHash = Poseidon16 of the modulus in 16 limbs of 128 bits, most significant first,
// from the 17 little-endian limbs of 121 bits the RSA verifier uses. Also checks the modulus < 2^2048.
template ModulusHash() {
    signal input limbs121[17];
    signal output out;

    component bits[17];
    var all[2057];
    for (var i = 0; i < 17; i++) {
        bits[i] = Num2Bits(121);
        bits[i].in <== limbs121[i];
        for (var j = 0; j < 121; j++) { all[121 * i + j] = bits[i].out[j]; }
    }
    for (var k = 2048; k < 2057; k++) { all[k] === 0; }
    component poseidon = Poseidon(16);
    for (var i = 0; i < 16; i++) {
        var limb = 0;
        var base = 128 * (15 - i);
        for (var j = 0; j < 128; j++) { limb += all[base + j] * (1 << j); }
        poseidon.inputs[i] <== limb;
    }
    out <== poseidon.out;
}
