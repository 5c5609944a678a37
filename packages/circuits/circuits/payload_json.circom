pragma circom 2.1.9;

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "./base64url.circom";

// Decodes the base64url payload of `header.payload` and scans its JSON.
//
// The split is forced: content[dotIndex] must be '.', and every other byte before signedLength must be a
// base64url character, so there is exactly one '.' and the payload starts at dotIndex + 1 (a prover cannot
// pick another split or another alignment).
//
// Decoding: every character's 6 bits are computed once; for each of the 4 possible alignments
// (payload start mod 4) the byte stream of 4-character groups is a linear function of those bits, and the
// alignment of this token selects one stream. The JSON starts at stream index jsonStart = 3 * (payload
// start div 4). Bytes before it (header) and after the JSON's closing '}' (padding) are garbage and are
// excluded by the scan.
//
// Scan: one pass over the stream keeping, escape-aware, whether we are inside a string, the object /
// array depth and whether the top-level value has been closed; the state is reset at jsonStart, whose
// byte must be '{'. packed[k] = byte + 256 * memberStart[k] where memberStart[k] = 1 iff byte k is a '"'
// outside any string, directly inside the top-level object (depth 1), in the JSON, before its end:
// the only place a top-level member name (or a top-level string value) can begin.
//
// Names: the scan also keeps, at depth 1, whether the next string is a member NAME (after '{' or ',')
// or a VALUE (after ':'). In valid JSON a ':' at depth 1 only follows a name and a ',' only follows a
// value, so the state flips at each of them. nameStart[k] = 1 iff byte k opens a top-level member name;
// TopLevelNameOnce counts names with it. A top-level name may not contain a \u escape (refused here):
// the only JSON escape that can spell a letter or '_', so a name written with escapes can never equal
// one of the names the proof uses (they are [a-z_]) while decoding to it. Other escapes (Slack writes
// "https:\/\/slack.com\/team_id") are accepted.
template PayloadJson(maxSignedBytes) {
    // Every 4-character group that can hold payload characters, including a last partial one.
    var numQuads = (maxSignedBytes + 3) \ 4;
    var decodedLen = 3 * numQuads;
    var charsLen = 4 * numQuads + 3;

    signal input content[charsLen];
    signal input beforeEnd[charsLen];
    signal input dotIndex;
    signal output packed[decodedLen];
    signal output jsonStart;
    signal output decoded[decodedLen];
    signal output nameStart[decodedLen];

    // ---- the single '.' ----
    component isDot[charsLen];
    signal dotCheck[charsLen];
    component chars[charsLen];
    var dotSum = 0;
    var dotValue = 0;
    for (var i = 0; i < charsLen; i++) {
        isDot[i] = IsZero();
        isDot[i].in <== i - dotIndex;
        dotSum += isDot[i].out;
        dotCheck[i] <== isDot[i].out * (content[i] + 256 * beforeEnd[i]);
        dotValue += dotCheck[i];
        chars[i] = Base64UrlChar();
        chars[i].char <== content[i];
        chars[i].active <== beforeEnd[i] - isDot[i].out;
    }
    dotSum === 1;
    dotValue === 46 + 256;

    // ---- alignment ----
    signal payloadStart <== dotIndex + 1;
    signal quadIndex <-- payloadStart \ 4;
    signal align[2];
    align[0] <-- payloadStart & 1;
    align[1] <-- (payloadStart >> 1) & 1;
    align[0] * (align[0] - 1) === 0;
    align[1] * (align[1] - 1) === 0;
    payloadStart === 4 * quadIndex + 2 * align[1] + align[0];
    component quadBits = Num2Bits(16);
    quadBits.in <== quadIndex;
    signal align11 <== align[0] * align[1];
    jsonStart <== 3 * quadIndex;

    // ---- decoding: stream[a][k] for alignment a, then select ----
    var stream[4][decodedLen];
    for (var a = 0; a < 4; a++) {
        for (var q = 0; q < numQuads; q++) {
            var p = 4 * q + a;
            if (p + 3 < charsLen) {
                var byte0 = chars[p + 1].bits[4] + 2 * chars[p + 1].bits[5];
                var byte1 = 0;
                var byte2 = 0;
                for (var t = 0; t < 6; t++) { byte0 += chars[p].bits[t] * (1 << (t + 2)); }
                for (var t = 0; t < 4; t++) { byte1 += chars[p + 1].bits[t] * (1 << (t + 4)); }
                for (var t = 2; t < 6; t++) { byte1 += chars[p + 2].bits[t] * (1 << (t - 2)); }
                byte2 = chars[p + 2].bits[0] * 64 + chars[p + 2].bits[1] * 128;
                for (var t = 0; t < 6; t++) { byte2 += chars[p + 3].bits[t] * (1 << t); }
                stream[a][3 * q] = byte0;
                stream[a][3 * q + 1] = byte1;
                stream[a][3 * q + 2] = byte2;
            } else {
                stream[a][3 * q] = 0;
                stream[a][3 * q + 1] = 0;
                stream[a][3 * q + 2] = 0;
            }
        }
    }
    signal pick1[decodedLen];
    signal pick2[decodedLen];
    signal pick3[decodedLen];
    for (var k = 0; k < decodedLen; k++) {
        pick1[k] <== align[0] * (stream[1][k] - stream[0][k]);
        pick2[k] <== align[1] * (stream[2][k] - stream[0][k]);
        pick3[k] <== align11 * (stream[3][k] - stream[2][k] - stream[1][k] + stream[0][k]);
        decoded[k] <== stream[0][k] + pick1[k] + pick2[k] + pick3[k];
    }

    // ---- JSON scan ----
    component isQuote[decodedLen];
    component isBackslash[decodedLen];
    component isOpenBrace[decodedLen];
    component isOpenBracket[decodedLen];
    component isCloseBrace[decodedLen];
    component isCloseBracket[decodedLen];
    component startHere[decodedLen];
    component depthZero[decodedLen];
    component depthOne[decodedLen];
    signal started[decodedLen];
    // state before byte k (after the reset at jsonStart) ...
    signal inStrBefore[decodedLen];
    signal escBefore[decodedLen];
    signal depthBefore[decodedLen];
    signal doneBefore[decodedLen];
    // ... and after it
    signal inStr[decodedLen];
    signal esc[decodedLen];
    signal depth[decodedLen];
    signal done[decodedLen];
    signal escTmp[decodedLen];
    signal toggle[decodedLen];
    signal doneTmp[decodedLen];
    signal outside[decodedLen];
    signal atDepthOne[decodedLen];
    signal inJson[decodedLen];
    signal firstByte[decodedLen];
    signal flagged[decodedLen];
    // member names (see the header)
    signal sepProduct[decodedLen];
    component isSeparator[decodedLen];
    signal separator[decodedLen];
    signal expectName[decodedLen];
    signal inName[decodedLen];
    signal escInName[decodedLen];
    signal notU[decodedLen];
    var startSum = 0;
    var firstSum = 0;
    for (var k = 0; k < decodedLen; k++) {
        isQuote[k] = IsZero();
        isQuote[k].in <== decoded[k] - 34;
        isBackslash[k] = IsZero();
        isBackslash[k].in <== decoded[k] - 92;
        isOpenBrace[k] = IsZero();
        isOpenBrace[k].in <== decoded[k] - 123;
        isOpenBracket[k] = IsZero();
        isOpenBracket[k].in <== decoded[k] - 91;
        isCloseBrace[k] = IsZero();
        isCloseBrace[k].in <== decoded[k] - 125;
        isCloseBracket[k] = IsZero();
        isCloseBracket[k].in <== decoded[k] - 93;

        startHere[k] = IsZero();
        startHere[k].in <== k - jsonStart;
        startSum += startHere[k].out;
        started[k] <== (k == 0 ? 0 : started[k - 1]) + startHere[k].out;
        firstByte[k] <== startHere[k].out * decoded[k];
        firstSum += firstByte[k];

        if (k == 0) {
            inStrBefore[k] <== 0;
            escBefore[k] <== 0;
            depthBefore[k] <== 0;
            doneBefore[k] <== 0;
        } else {
            inStrBefore[k] <== (1 - startHere[k].out) * inStr[k - 1];
            escBefore[k] <== (1 - startHere[k].out) * esc[k - 1];
            depthBefore[k] <== (1 - startHere[k].out) * depth[k - 1];
            doneBefore[k] <== (1 - startHere[k].out) * done[k - 1];
        }

        // A backslash inside a string escapes the next byte, unless it is itself escaped.
        escTmp[k] <== inStrBefore[k] * (1 - escBefore[k]);
        esc[k] <== escTmp[k] * isBackslash[k].out;
        // An unescaped quote opens or closes a string.
        toggle[k] <== isQuote[k].out * (1 - escBefore[k]);
        inStr[k] <== inStrBefore[k] + toggle[k] - 2 * inStrBefore[k] * toggle[k];
        // Braces and brackets count only outside strings.
        depth[k] <== depthBefore[k] + (1 - inStrBefore[k]) * (isOpenBrace[k].out + isOpenBracket[k].out - isCloseBrace[k].out - isCloseBracket[k].out);
        // Done once the top-level value is closed (depth back to 0 after jsonStart); stays done.
        depthZero[k] = IsZero();
        depthZero[k].in <== depth[k];
        doneTmp[k] <== started[k] * depthZero[k].out;
        done[k] <== doneBefore[k] + (1 - doneBefore[k]) * doneTmp[k];

        depthOne[k] = IsZero();
        depthOne[k].in <== depthBefore[k] - 1;
        outside[k] <== (1 - inStrBefore[k]) * (1 - doneBefore[k]);
        atDepthOne[k] <== outside[k] * depthOne[k].out;
        inJson[k] <== atDepthOne[k] * started[k];
        flagged[k] <== inJson[k] * isQuote[k].out;
        packed[k] <== decoded[k] + 256 * flagged[k];

        // ',' or ':' directly in the top-level object flips "the next string is a name".
        sepProduct[k] <== (decoded[k] - 44) * (decoded[k] - 58);
        isSeparator[k] = IsZero();
        isSeparator[k].in <== sepProduct[k];
        separator[k] <== inJson[k] * isSeparator[k].out;
        // Before jsonStart nothing is inJson, so the state is 0 there; the '{' at jsonStart sets it.
        var expectBefore = k == 0 ? 0 : expectName[k - 1];
        expectName[k] <== expectBefore + separator[k] - 2 * expectBefore * separator[k] + startHere[k].out;
        nameStart[k] <== flagged[k] * expectBefore;
        // Inside a top-level name: from its opening quote up to (excluding) its closing one.
        var inNameBefore = k == 0 ? 0 : inName[k - 1];
        inName[k] <== inNameBefore + nameStart[k] - inNameBefore * toggle[k];
        // An escaping backslash inside a top-level name must not be followed by 'u'.
        escInName[k] <== inName[k] * esc[k];
        if (k + 1 < decodedLen) {
            notU[k] <-- escInName[k] == 0 ? 0 : 1 / (decoded[k + 1] - 117);
            notU[k] * (decoded[k + 1] - 117) === escInName[k];
        } else {
            notU[k] <== 0;
            escInName[k] === 0;
        }
    }
    startSum === 1;
    firstSum === 123;
}
