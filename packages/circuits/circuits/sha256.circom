pragma circom 2.1.9;

include "circomlib/circuits/bitify.circom";

// SHA-256 (FIPS 180-4) of an already padded byte string, with the digest taken after a private number of
// blocks, written for fewer constraints: 26,232 per compression, 26,811 per 64-byte block with the byte
// decomposition and the digest selection (circom --O1), against 30,328 + 936 linear for circomlib's
// Sha256compression and 33,377 per block for zk-email's Sha256Bytes, which wraps it.
//
// Conventions: a 32-bit word is 32 signals, bit i has weight 2^i (least significant first). Every bit signal
// is constrained boolean where it is made; templates assume boolean inputs.
//
// Where the constraints go:
//  - Additions mod 2^32 are never materialised as intermediate words: each round computes the new `e`
//    (d + h + Σ1(e) + Ch(e,f,g) + K + W) and the new `a` (that sum - d + Σ0(a) + Maj(a,b,c)) directly as
//    linear combinations of bits and decomposes each once (32 bits + a 3-bit carry), instead of
//    decomposing T1, T2, T1 + T2 and d + T1 separately (circomlib: 35 + 33 + 33 + 33 bits per round).
//  - A decomposition needs no separate linear "sum of bits = value" constraint: its top carry bit is not a
//    signal but the linear expression (value - Σ lower bits) / 2^top, constrained boolean. That forces
//    value = Σ 2^i bit_i over booleans as field elements; both sides are < 2^35, far below the field
//    modulus, so the decomposition is the integer one and the low 32 bits are the sum mod 2^32.
//  - Σ/σ, Ch and Maj are the usual 2, 1 and 2 constraints per bit (1 for σ bits where SHR shifts in a 0).

// Round constants K[0..63].
function sha256K(t) {
    var k[64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
    ];
    return k[t];
}

// Initial hash value H(0).
function sha256IV(i) {
    var h[8] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    return h[i];
}

// x ^ y ^ z for bits: mid = y z; x (1 - 2y - 2z + 4 mid) + y + z - 2 mid.
template Xor3Bit() {
    signal input x;
    signal input y;
    signal input z;
    signal output out;
    signal mid <== y * z;
    out <== x * (1 - 2 * y - 2 * z + 4 * mid) + y + z - 2 * mid;
}

// ROTR(x, r1) ^ ROTR(x, r2) ^ (shift ? SHR(x, r3) : ROTR(x, r3)): Σ0, Σ1 (rotate) and σ0, σ1 (shift).
template SigmaWord(r1, r2, r3, shift) {
    signal input in[32];
    signal output out[32];
    component xor3[32];
    signal xor2[32];
    for (var i = 0; i < 32; i++) {
        var a = in[(i + r1) % 32];
        var b = in[(i + r2) % 32];
        if (shift == 1 && i + r3 >= 32) {
            // SHR shifted in a zero: a ^ b.
            xor2[i] <== a + b - 2 * a * b;
            out[i] <== xor2[i];
        } else {
            xor3[i] = Xor3Bit();
            xor3[i].x <== a;
            xor3[i].y <== b;
            xor3[i].z <== in[(i + r3) % 32];
            out[i] <== xor3[i].out;
        }
    }
}

// One SHA-256 compression: hin (8 words) and the 16 message words w (bits) to hout (8 words).
template Sha256Block() {
    signal input hin[8][32];
    signal input w[16][32];
    signal output hout[8][32];

    // Message schedule: W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16] (4 terms: 2 carry bits).
    signal ws[64][32];
    signal wCarry[48];
    component s0[48];
    component s1[48];
    for (var t = 0; t < 16; t++) {
        for (var i = 0; i < 32; i++) { ws[t][i] <== w[t][i]; }
    }
    for (var t = 16; t < 64; t++) {
        s0[t - 16] = SigmaWord(7, 18, 3, 1);
        s1[t - 16] = SigmaWord(17, 19, 10, 1);
        s0[t - 16].in <== ws[t - 15];
        s1[t - 16].in <== ws[t - 2];
        var sum = 0;
        for (var i = 0; i < 32; i++) {
            sum += (s1[t - 16].out[i] + ws[t - 7][i] + s0[t - 16].out[i] + ws[t - 16][i]) * (1 << i);
        }
        // Low 32 bits and carry bit 0 are signals; carry bit 1 is what is left of the sum (see the top).
        for (var i = 0; i < 32; i++) {
            ws[t][i] <-- (sum >> i) & 1;
            ws[t][i] * (ws[t][i] - 1) === 0;
            sum -= ws[t][i] * (1 << i);
        }
        wCarry[t - 16] <-- (sum >> 32) & 1;
        wCarry[t - 16] * (wCarry[t - 16] - 1) === 0;
        var top = (sum - wCarry[t - 16] * (1 << 32)) / (1 << 33);
        top * (top - 1) === 0;
    }

    // Rounds. Only a and e are new each round (b, c, d are earlier a's; f, g, h earlier e's), so one array
    // each: a[3 + t] is `a` at the start of round t, a[2 + t] is b, a[1 + t] is c, a[t] is d (likewise e,
    // f, g, h); a[0..3] and e[0..3] hold hin, and round t writes a[4 + t] and e[4 + t].
    signal a[68][32];
    signal e[68][32];
    for (var i = 0; i < 32; i++) {
        a[3][i] <== hin[0][i];
        a[2][i] <== hin[1][i];
        a[1][i] <== hin[2][i];
        a[0][i] <== hin[3][i];
        e[3][i] <== hin[4][i];
        e[2][i] <== hin[5][i];
        e[1][i] <== hin[6][i];
        e[0][i] <== hin[7][i];
    }
    component bigS0[64];
    component bigS1[64];
    signal chProd[64][32];
    signal majMid[64][32];
    signal majOut[64][32];
    signal eCarry[64][2];
    signal aCarry[64][2];
    for (var t = 0; t < 64; t++) {
        bigS1[t] = SigmaWord(6, 11, 25, 0);
        bigS1[t].in <== e[3 + t];
        bigS0[t] = SigmaWord(2, 13, 22, 0);
        bigS0[t].in <== a[3 + t];
        var t1 = sha256K(t);
        var dPlusT1 = 0;
        var t2 = 0;
        for (var i = 0; i < 32; i++) {
            // Ch(e, f, g) = e (f - g) + g
            chProd[t][i] <== e[3 + t][i] * (e[2 + t][i] - e[1 + t][i]);
            // Maj(a, b, c) = a (b + c - 2 bc) + bc
            majMid[t][i] <== a[2 + t][i] * a[1 + t][i];
            majOut[t][i] <== a[3 + t][i] * (a[2 + t][i] + a[1 + t][i] - 2 * majMid[t][i]) + majMid[t][i];
            t1 += (e[t][i] + bigS1[t].out[i] + chProd[t][i] + e[1 + t][i] + ws[t][i]) * (1 << i);
            dPlusT1 += a[t][i] * (1 << i);
            t2 += (bigS0[t].out[i] + majOut[t][i]) * (1 << i);
        }
        // new e = d + T1 (6 terms, one constant: < 6 * 2^32, 3 carry bits); new a = T1 + T2 (7 terms).
        var eSum = dPlusT1 + t1;
        var aSum = t1 + t2;
        for (var i = 0; i < 32; i++) {
            e[4 + t][i] <-- (eSum >> i) & 1;
            e[4 + t][i] * (e[4 + t][i] - 1) === 0;
            eSum -= e[4 + t][i] * (1 << i);
            a[4 + t][i] <-- (aSum >> i) & 1;
            a[4 + t][i] * (a[4 + t][i] - 1) === 0;
            aSum -= a[4 + t][i] * (1 << i);
        }
        for (var i = 0; i < 2; i++) {
            eCarry[t][i] <-- (eSum >> (32 + i)) & 1;
            eCarry[t][i] * (eCarry[t][i] - 1) === 0;
            eSum -= eCarry[t][i] * (1 << (32 + i));
            aCarry[t][i] <-- (aSum >> (32 + i)) & 1;
            aCarry[t][i] * (aCarry[t][i] - 1) === 0;
            aSum -= aCarry[t][i] * (1 << (32 + i));
        }
        var eTop = eSum / (1 << 34);
        eTop * (eTop - 1) === 0;
        var aTop = aSum / (1 << 34);
        aTop * (aTop - 1) === 0;
    }

    // H(i) = H(i-1) + working variables (2 terms: 1 carry bit).
    for (var j = 0; j < 8; j++) {
        var sum = 0;
        for (var i = 0; i < 32; i++) {
            var word = j < 4 ? a[67 - j][i] : e[67 - (j - 4)][i];
            sum += (hin[j][i] + word) * (1 << i);
        }
        for (var i = 0; i < 32; i++) {
            hout[j][i] <-- (sum >> i) & 1;
            hout[j][i] * (hout[j][i] - 1) === 0;
            sum -= hout[j][i] * (1 << i);
        }
        var top = sum / (1 << 32);
        top * (top - 1) === 0;
    }
}

// SHA-256 of content[0 .. 64n), where block n - 1 is the one with lastBlock[n - 1] = 1. lastBlock must be
// one-hot (the caller's padding check makes it so: Sha256PaddingCheck.lastBlock) and content must already
// be padded; bytes after the selected block are hashed too but do not reach the output. Every content byte
// is range-checked to 0..255 here.
//
// Output: the digest as a big-endian 256-bit integer in limbs of limbBits bits, least significant first
// (RSAVerifier65537's message layout for limbBits = 121). Selecting limbs instead of bits costs one
// constraint per block and limb instead of one per block and bit.
template Sha256PaddedBytes(maxBlocks, limbBits, numLimbs) {
    assert(limbBits * numLimbs >= 256);
    signal input content[64 * maxBlocks];
    signal input lastBlock[maxBlocks];
    signal output digest[numLimbs];

    component bytes[64 * maxBlocks];
    for (var i = 0; i < 64 * maxBlocks; i++) {
        bytes[i] = Num2Bits(8);
        bytes[i].in <== content[i];
    }

    component blocks[maxBlocks];
    signal picked[maxBlocks][numLimbs];
    for (var b = 0; b < maxBlocks; b++) {
        blocks[b] = Sha256Block();
        for (var j = 0; j < 8; j++) {
            for (var i = 0; i < 32; i++) {
                if (b == 0) {
                    blocks[b].hin[j][i] <== (sha256IV(j) >> i) & 1;
                } else {
                    blocks[b].hin[j][i] <== blocks[b - 1].hout[j][i];
                }
            }
        }
        // Word t is bytes 4t .. 4t+3 of the block, big-endian.
        for (var t = 0; t < 16; t++) {
            for (var i = 0; i < 32; i++) {
                blocks[b].w[t][i] <== bytes[64 * b + 4 * t + 3 - i \ 8].out[i % 8];
            }
        }
        // Digest bit k (weight 2^k of the big-endian integer) is bit k % 32 of word 7 - k \ 32.
        var limbs[numLimbs];
        for (var l = 0; l < numLimbs; l++) { limbs[l] = 0; }
        for (var k = 0; k < 256; k++) {
            limbs[k \ limbBits] += blocks[b].hout[7 - k \ 32][k % 32] * (1 << (k % limbBits));
        }
        for (var l = 0; l < numLimbs; l++) { picked[b][l] <== lastBlock[b] * limbs[l]; }
    }
    for (var l = 0; l < numLimbs; l++) {
        var sum = 0;
        for (var b = 0; b < maxBlocks; b++) { sum += picked[b][l]; }
        digest[l] <== sum;
    }
}
