pragma circom 2.1.9;

include "circomlib/circuits/bitify.circom";

// out[j] = in[shift + j] (0 beyond the end of `in`), for a private `shift` < 2^shiftBits.
// A barrel shifter that applies the largest power first: after the stage for bit t only
// outLen + 2^t - 1 entries can still reach the output, so it costs about
// outLen * shiftBits + 2 * inLen constraints instead of inLen * shiftBits.
template WindowAt(inLen, outLen, shiftBits) {
    signal input in[inLen];
    signal input shift;
    signal output out[outLen];

    component bits = Num2Bits(shiftBits);
    bits.in <== shift;

    var maxLen = inLen;
    if (outLen + (1 << shiftBits) - 1 > maxLen) { maxLen = outLen + (1 << shiftBits) - 1; }
    signal stage[shiftBits + 1][maxLen];

    var size = inLen;
    for (var i = 0; i < inLen; i++) { stage[shiftBits][i] <== in[i]; }

    for (var t = shiftBits - 1; t >= 0; t--) {
        var step = 1 << t;
        var need = outLen + step - 1;
        if (need > size) { need = size; }
        for (var i = 0; i < need; i++) {
            if (i + step < size) {
                stage[t][i] <== stage[t + 1][i] + bits.out[t] * (stage[t + 1][i + step] - stage[t + 1][i]);
            } else {
                stage[t][i] <== stage[t + 1][i] - bits.out[t] * stage[t + 1][i];
            }
        }
        size = need;
    }
    for (var j = 0; j < outLen; j++) {
        if (j < size) { out[j] <== stage[0][j]; } else { out[j] <== 0; }
    }
}
