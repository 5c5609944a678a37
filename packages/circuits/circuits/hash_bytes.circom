pragma circom 2.1.9;

include "circomlib/circuits/poseidon.circom";

// protocol §2 hashBytes: bytes (zero beyond `length`) packed into maxLength/31 big-endian 31-byte chunks,
// then Poseidon(chunks..., length). The caller guarantees the bytes are < 256 and zero after `length`.
template HashBytes(maxLength) {
    assert(maxLength % 31 == 0);
    var chunks = maxLength \ 31;
    signal input bytes[maxLength];
    signal input length;
    signal output out;

    component poseidon = Poseidon(chunks + 1);
    for (var c = 0; c < chunks; c++) {
        var chunk = 0;
        for (var j = 0; j < 31; j++) { chunk = chunk * 256 + bytes[31 * c + j]; }
        poseidon.inputs[c] <== chunk;
    }
    poseidon.inputs[chunks] <== length;
    out <== poseidon.out;
}
