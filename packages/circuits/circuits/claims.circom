pragma circom 2.1.9;

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "./shift.circom";

// 1 when b is JSON whitespace (space, tab, LF, CR) or ':', as a zero test of a product.
template IsWsOrColon() {
    signal input in;
    signal output isNot; // 0 iff in is one of the five bytes
    signal p1 <== (in - 32) * (in - 9);
    signal p2 <== p1 * (in - 10);
    signal p3 <== p2 * (in - 13);
    isNot <== p3 * (in - 58);
}

// A top-level JSON member `"name" ws : ws "value"` of the payload, found at JSON index `index` (of the
// name's opening quote) with the value's opening quote `valueQuote` bytes after it and `valueLength`
// bytes of value. `packed` is PayloadJson's output, whose flag (+256) marks quotes that can open a
// top-level member name. The expected name is `name[0 .. nameLength)` (without quotes).
//
// Guarantees, for valid JSON: the name is a key directly in the top-level object (not text inside another
// string, not in a nested object), the gap between name and value holds only whitespace and the colon,
// the value is a string (an array or number is refused) without '"' or '\\', and `value` holds its bytes
// followed by zeros.
template JsonStringMember(decodedLen, indexBits, maxNameLength, maxGap, maxValueLength) {
    signal input packed[decodedLen];
    signal input jsonStart;
    signal input name[maxNameLength];
    signal input nameLength;
    signal input index;
    signal input valueQuote;
    signal input valueLength;
    signal output value[maxValueLength];

    var gapBits = 0;
    while ((1 << gapBits) < maxGap) { gapBits++; }
    assert((1 << gapBits) == maxGap);
    var windowLen = maxNameLength + 2 + maxGap + maxValueLength + 2;
    var valueShiftBits = 0;
    while ((1 << valueShiftBits) < maxNameLength + maxGap + 4) { valueShiftBits++; }

    component window = WindowAt(decodedLen, windowLen, indexBits);
    for (var i = 0; i < decodedLen; i++) { window.in[i] <== packed[i]; }
    window.shift <== jsonStart + index;
    signal w[windowLen];
    for (var i = 0; i < windowLen; i++) { w[i] <== window.out[i]; }

    // A quote that can start a top-level member name.
    w[0] === 34 + 256;

    // The name, then its closing quote at nameLength + 1.
    component atNameEnd[maxNameLength + 2];
    var nameEndSeen = 0;
    for (var p = 1; p < maxNameLength + 2; p++) {
        atNameEnd[p] = IsZero();
        atNameEnd[p].in <== p - nameLength - 1;
        nameEndSeen += atNameEnd[p].out;
        if (p <= maxNameLength) {
            // p <= nameLength: the name's byte.
            (w[p] - name[p - 1]) * (1 - nameEndSeen) === 0;
        }
        atNameEnd[p].out * (w[p] - 34) === 0;
    }
    nameEndSeen === 1;

    // The gap: 1 .. maxGap bytes of whitespace or ':' from nameLength + 2 up to valueQuote (exclusive).
    component gapSize = Num2Bits(gapBits);
    gapSize.in <== valueQuote - nameLength - 3;
    var gapEnd = maxNameLength + 2 + maxGap + 1;
    component atGapStart[gapEnd];
    component atQuote[gapEnd];
    component wsCheck[gapEnd];
    signal afterGapStart[gapEnd];
    signal beforeQuote[gapEnd];
    signal inGap[gapEnd];
    signal quotePick[gapEnd];
    var quoteSum = 0;
    var quoteValue = 0;
    for (var p = 0; p < gapEnd; p++) {
        atGapStart[p] = IsZero();
        atGapStart[p].in <== p - nameLength - 2;
        atQuote[p] = IsZero();
        atQuote[p].in <== p - valueQuote;
        afterGapStart[p] <== (p == 0 ? 0 : afterGapStart[p - 1]) + atGapStart[p].out;
        beforeQuote[p] <== (p == 0 ? 1 : beforeQuote[p - 1]) - atQuote[p].out;
        inGap[p] <== afterGapStart[p] * beforeQuote[p];
        wsCheck[p] = IsWsOrColon();
        wsCheck[p].in <== w[p];
        inGap[p] * wsCheck[p].isNot === 0;
        quotePick[p] <== atQuote[p].out * w[p];
        quoteSum += atQuote[p].out;
        quoteValue += quotePick[p];
    }
    quoteSum === 1;
    // The value's opening quote is outside any string at depth 1, so it carries the flag too.
    quoteValue === 34 + 256;

    // The value: bytes after the opening quote, shifted to position 0.
    component valueWindow = WindowAt(windowLen, maxValueLength + 1, valueShiftBits);
    for (var i = 0; i < windowLen; i++) { valueWindow.in[i] <== w[i]; }
    valueWindow.shift <== valueQuote + 1;

    component atValueEnd[maxValueLength + 1];
    component noQuoteOrBackslash[maxValueLength];
    signal inValue[maxValueLength + 1];
    signal forbidden[maxValueLength];
    signal closePick[maxValueLength + 1];
    var endSum = 0;
    var closeValue = 0;
    for (var p = 0; p <= maxValueLength; p++) {
        atValueEnd[p] = IsZero();
        atValueEnd[p].in <== p - valueLength;
        endSum += atValueEnd[p].out;
        inValue[p] <== (p == 0 ? 1 : inValue[p - 1]) - atValueEnd[p].out;
        closePick[p] <== atValueEnd[p].out * valueWindow.out[p];
        closeValue += closePick[p];
        if (p < maxValueLength) {
            // Inside the value: neither '"' nor '\\' (no escapes: the bytes are the value).
            forbidden[p] <== (valueWindow.out[p] - 34) * (valueWindow.out[p] - 92);
            noQuoteOrBackslash[p] = IsZero();
            noQuoteOrBackslash[p].in <== forbidden[p];
            inValue[p] * noQuoteOrBackslash[p].out === 0;
            value[p] <== inValue[p] * valueWindow.out[p];
        }
    }
    endSum === 1;
    // The closing quote right after the value.
    closeValue === 34;
}

// `"email_verified" ws : ws true` or `... "true"` as a top-level member, checked only when `enabled`.
template EmailVerifiedMember(decodedLen, indexBits, maxGap) {
    signal input packed[decodedLen];
    signal input jsonStart;
    signal input enabled;
    signal input index;
    signal input valueStart;
    signal input quoted;

    var nameBytes[14] = [101, 109, 97, 105, 108, 95, 118, 101, 114, 105, 102, 105, 101, 100];
    var gapBits = 0;
    while ((1 << gapBits) < maxGap) { gapBits++; }
    var windowLen = 16 + maxGap + 7;

    component window = WindowAt(decodedLen, windowLen, indexBits);
    for (var i = 0; i < decodedLen; i++) { window.in[i] <== packed[i]; }
    window.shift <== jsonStart + index;
    signal w[windowLen];
    for (var i = 0; i < windowLen; i++) { w[i] <== window.out[i]; }

    enabled * (w[0] - 34 - 256) === 0;
    for (var p = 1; p <= 14; p++) { enabled * (w[p] - nameBytes[p - 1]) === 0; }
    enabled * (w[15] - 34) === 0;

    quoted * (quoted - 1) === 0;
    component gapSize = Num2Bits(gapBits);
    gapSize.in <== valueStart - 17;
    component atValue[16 + maxGap + 1];
    component wsCheck[16 + maxGap + 1];
    signal beforeValue[16 + maxGap + 1];
    signal gated[16 + maxGap + 1];
    var valueSum = 0;
    for (var p = 16; p < 16 + maxGap + 1; p++) {
        atValue[p] = IsZero();
        atValue[p].in <== p - valueStart;
        valueSum += atValue[p].out;
        beforeValue[p] <== (p == 16 ? 1 : beforeValue[p - 1]) - atValue[p].out;
        wsCheck[p] = IsWsOrColon();
        wsCheck[p].in <== w[p];
        gated[p] <== enabled * beforeValue[p];
        gated[p] * wsCheck[p].isNot === 0;
    }
    valueSum === 1;

    // The 6 bytes from valueStart: `true??` or `"true"`.
    component valueWindow = WindowAt(windowLen - 17, 6, gapBits);
    for (var i = 0; i < windowLen - 17; i++) { valueWindow.in[i] <== w[17 + i]; }
    valueWindow.shift <== valueStart - 17;
    var bare[6] = [116, 114, 117, 101, 0, 0];
    // The opening quote is outside any string at depth 1: flagged (+256). The closing one is not.
    var inQuotes[6] = [34 + 256, 116, 114, 117, 101, 34];
    signal expected[6];
    for (var p = 0; p < 6; p++) {
        if (p < 4) {
            enabled * (valueWindow.out[p] - bare[p] - quoted * (inQuotes[p] - bare[p])) === 0;
        } else {
            expected[p] <== enabled * quoted;
            expected[p] * (valueWindow.out[p] - inQuotes[p]) === 0;
        }
    }
}

// The member name the proof reads at stream index `position` (jsonStart + the claim's index) is the only
// top-level member with that name: among the bytes k where PayloadJson's nameStart[k] = 1 (a top-level
// member name opens), exactly one is followed by the name and its closing quote, and it is `position`.
// Checked only when `enabled` (email_verified is used only with the email key claim).
//
// The name and closing quote are compared as one packed number: code = sum name[j] * 256^j + 34 * 256^len
// against sum decoded[k + 1 + j] * 256^j over len + 1 bytes (bytes < 256, len + 1 <= 30: injective). A
// top-level name holds no '"' before its closing quote and no \u escape (PayloadJson), so this equals
// "the name, decoded, is `name`". Not a name start adds 2^248 to the difference: never zero, since the
// packed difference is below 2^240. Cost: 2 constraints per byte (3 with `selectB`).
//
// Two names (lenA, codeA) and (lenB, codeB) with `selectB` choosing B serve the key claim (sub / email);
// a fixed name passes the same name twice.
template TopLevelNameOnce(decodedLen, lenA, codeA, lenB, codeB) {
    signal input decoded[decodedLen];
    signal input nameStart[decodedLen];
    signal input selectB;
    signal input enabled;
    signal input position;

    assert(lenA + 1 <= 30 && lenB + 1 <= 30);
    var twoNames = lenA != lenB || codeA != codeB;
    component isName[decodedLen];
    signal pickB[decodedLen];
    var count = 0;
    var where = 0;
    for (var k = 0; k < decodedLen; k++) {
        var packedA = 0;
        var packedB = 0;
        for (var j = 0; j <= lenA; j++) {
            if (k + 1 + j < decodedLen) { packedA += decoded[k + 1 + j] * (256 ** j); }
        }
        for (var j = 0; j <= lenB; j++) {
            if (k + 1 + j < decodedLen) { packedB += decoded[k + 1 + j] * (256 ** j); }
        }
        isName[k] = IsZero();
        if (twoNames) {
            pickB[k] <== selectB * (packedB - codeB - packedA + codeA);
            isName[k].in <== packedA - codeA + pickB[k] + (1 - nameStart[k]) * (2 ** 248);
        } else {
            pickB[k] <== 0;
            isName[k].in <== packedA - codeA + (1 - nameStart[k]) * (2 ** 248);
        }
        count += isName[k].out;
        where += k * isName[k].out;
    }
    enabled * (count - 1) === 0;
    enabled * (where - position) === 0;
}
