pragma circom 2.1.9;

include "circomlib/circuits/aliascheck.circom";
include "./base64url.circom";

// protocol §6: the 43 base64url characters of the token's `nonce` decode to the 32-byte big-endian
// nonceField with the 2 trailing bits zero, and the 256-bit number is a canonical field element.
template NonceMatches() {
    signal input chars[43];
    signal input nonceField;

    component c[43];
    var bitsMsbFirst[258];
    for (var i = 0; i < 43; i++) {
        c[i] = Base64UrlChar();
        c[i].char <== chars[i];
        c[i].active <== 1;
        for (var t = 0; t < 6; t++) { bitsMsbFirst[6 * i + t] = c[i].bits[5 - t]; }
    }
    // 43 * 6 = 258 bits: the last two are padding and must be zero.
    bitsMsbFirst[256] === 0;
    bitsMsbFirst[257] === 0;
    // p < 2^254: the two top bits are zero, the rest is checked canonical (< p).
    bitsMsbFirst[0] === 0;
    bitsMsbFirst[1] === 0;
    component canonical = AliasCheck();
    var value = 0;
    for (var k = 0; k < 254; k++) {
        canonical.in[k] <== bitsMsbFirst[255 - k];
        value += bitsMsbFirst[255 - k] * (1 << k);
    }
    value === nonceField;
}
