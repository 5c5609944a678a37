pragma circom 2.1.9;

include "circomlib/circuits/comparators.circom";

// Checks that content[0 .. paddedLength) is `signed` (length `signedLength`) followed by exactly the
// SHA-256 padding: 0x80, the fewest zero bytes, and the 64-bit big-endian bit length (the length is
// < 2^21 bits here, so only the last 3 bytes can be non-zero). Bytes at or after paddedLength are ignored
// by the hash. Outputs beforeEnd[i] = (i < signedLength) and lastBlock[b] = (b == paddedLength / 64 - 1),
// one-hot: the block whose compression output is the digest (Sha256PaddedBytes).
template Sha256PaddingCheck(maxSignedBytes, maxPaddedBytes) {
    signal input content[maxPaddedBytes];
    signal input signedLength;
    signal output paddedLength;
    signal output beforeEnd[maxPaddedBytes];
    signal output lastBlock[maxPaddedBytes \ 64];

    var maxBlocks = maxPaddedBytes \ 64;
    assert(maxPaddedBytes % 64 == 0);

    // signedLength <= maxSignedBytes
    component lengthFits = LessEqThan(16);
    lengthFits.in[0] <== signedLength;
    lengthFits.in[1] <== maxSignedBytes;
    lengthFits.out === 1;

    // Number of blocks: the unique n with 64(n-1) < signedLength + 9 <= 64n.
    signal blocks <-- (signedLength + 9 + 63) \ 64;
    component enough = LessEqThan(16);
    enough.in[0] <== signedLength + 9;
    enough.in[1] <== 64 * blocks;
    enough.out === 1;
    component fewest = LessThan(16);
    fewest.in[0] <== 64 * blocks - 64;
    fewest.in[1] <== signedLength + 9;
    fewest.out === 1;
    paddedLength <== 64 * blocks;

    // isLast[b] = (b == blocks - 1); pastLast[b] = (b > blocks - 1)
    component isLast[maxBlocks];
    signal pastLast[maxBlocks + 1];
    pastLast[0] <== 0;
    var lastSum = 0;
    for (var b = 0; b < maxBlocks; b++) {
        isLast[b] = IsZero();
        isLast[b].in <== b - (blocks - 1);
        pastLast[b + 1] <== pastLast[b] + isLast[b].out;
        lastSum += isLast[b].out;
        lastBlock[b] <== isLast[b].out;
    }
    lastSum === 1;

    // atEnd[i] = (i == signedLength); afterEnd = running sum (1 from signedLength on)
    component atEnd[maxPaddedBytes];
    signal afterEnd[maxPaddedBytes];
    signal zeroHere[maxPaddedBytes];
    signal marker[maxPaddedBytes];
    signal lengthBytes[maxBlocks];
    var endSum = 0;
    var markerByte = 0;
    var lengthField = 0;
    for (var i = 0; i < maxPaddedBytes; i++) {
        var b = i \ 64;
        var o = i % 64;
        atEnd[i] = IsZero();
        atEnd[i].in <== i - signedLength;
        endSum += atEnd[i].out;
        afterEnd[i] <== (i == 0 ? 0 : afterEnd[i - 1]) + atEnd[i].out;
        beforeEnd[i] <== 1 - afterEnd[i];
        marker[i] <== atEnd[i].out * content[i];
        markerByte += marker[i];
        // Strictly after the 0x80 marker and before the 3 length bytes of the last block: zero.
        if (o < 61) {
            zeroHere[i] <== (afterEnd[i] - atEnd[i].out) * (1 - pastLast[b]);
        } else {
            zeroHere[i] <== (afterEnd[i] - atEnd[i].out) * (1 - pastLast[b] - isLast[b].out);
        }
        zeroHere[i] * content[i] === 0;
    }
    endSum === 1;
    markerByte === 128;

    for (var b = 0; b < maxBlocks; b++) {
        lengthBytes[b] <== isLast[b].out * (content[64 * b + 61] * 65536 + content[64 * b + 62] * 256 + content[64 * b + 63]);
        lengthField += lengthBytes[b];
    }
    lengthField === 8 * signedLength;
}
