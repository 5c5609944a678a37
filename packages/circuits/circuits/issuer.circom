pragma circom 2.1.9;

include "circomlib/circuits/comparators.circom";

// protocol §3: an issuer without `https://` or `http://` gets `https://` prepended; nothing else changes.
// `raw` is zero after `rawLength`; the output is zero after `length` (<= maxLength).
template NormalizeIssuer(maxLength) {
    signal input raw[maxLength];
    signal input rawLength;
    signal output normalized[maxLength];
    signal output length;

    var https[8] = [104, 116, 116, 112, 115, 58, 47, 47];
    var http[7] = [104, 116, 116, 112, 58, 47, 47];
    // Base-256 differences with digits in (-256, 256) are zero only when every digit is.
    var diffHttps = 0;
    var diffHttp = 0;
    for (var j = 0; j < 8; j++) { diffHttps = diffHttps * 256 + raw[j] - https[j]; }
    for (var j = 0; j < 7; j++) { diffHttp = diffHttp * 256 + raw[j] - http[j]; }
    component isHttps = IsZero();
    isHttps.in <== diffHttps;
    component isHttp = IsZero();
    isHttp.in <== diffHttp;
    signal hasScheme <== isHttps.out + isHttp.out;

    for (var j = 0; j < maxLength; j++) {
        var prefixed = j < 8 ? https[j] : raw[j - 8];
        normalized[j] <== prefixed + hasScheme * (raw[j] - prefixed);
    }
    length <== rawLength + 8 * (1 - hasScheme);
    component fits = LessEqThan(8);
    fits.in[0] <== length;
    fits.in[1] <== maxLength;
    fits.out === 1;
}
