pragma circom 2.1.9;

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/poseidon.circom";
include "@zk-email/circuits/lib/rsa.circom";
include "./sha_padding.circom";
include "./sha256.circom";
include "./payload_json.circom";
include "./claims.circom";
include "./hash_bytes.circom";
include "./issuer.circom";
include "./nonce.circom";
include "./rsa_modulus.circom";

// zksso/v1 zkLogin (docs/protocol.md §8): an RS256-signed JWT `header.payload` of at most maxSignedBytes
// bytes binds the ephemeral key (ephHi, ephLo) until `expiry` to the identity commitment `idc` of
// (iss, aud, key claim, salt).
//
// Main component (per tier):
//   component main {public [issHash, idc, ephHi, ephLo, expiry, modulusHash]} = ZkLogin(maxSignedBytes);
//
// Private inputs (all chosen by the prover; every one is constrained):
//   content[]        header.payload, SHA-256 padded, zeros after; signedLength = |header.payload|
//   dotIndex         index of the '.' (= header length)
//   signature[17], modulus[17]   RSA, 121-bit limbs, least significant first
//   <claim>Index     index, in the decoded payload JSON, of the opening quote of the claim's name
//   <claim>ValueQuote   offset of the value's opening quote from the name's opening quote
//   <claim>Length    value length in bytes
//   keyClaimIsEmail  0: key claim `sub`, 1: `email` (then `email_verified` must be true or "true")
//   emailVerifiedIndex, emailVerifiedValueStart (offset of `true` / `"true"`), emailVerifiedQuoted
//   salt (< 2^128), randomness (< 2^128)
template ZkLogin(maxSignedBytes) {
    var maxPaddedBytes = ((maxSignedBytes + 9 + 63) \ 64) * 64;
    var decodedLen = 3 * ((maxSignedBytes + 3) \ 4);
    var charsLen = 4 * ((maxSignedBytes + 3) \ 4) + 3;
    var indexBits = 0;
    while ((1 << indexBits) < decodedLen) { indexBits++; }
    var maxGap = 8;
    var maxClaimLength = 124;

    // Public inputs, in protocol §8 order.
    signal input issHash;
    signal input idc;
    signal input ephHi;
    signal input ephLo;
    signal input expiry;
    signal input modulusHash;

    signal input content[maxPaddedBytes];
    signal input signedLength;
    signal input dotIndex;
    signal input signature[17];
    signal input modulus[17];
    signal input issIndex;
    signal input issValueQuote;
    signal input issLength;
    signal input audIndex;
    signal input audValueQuote;
    signal input audLength;
    signal input keyClaimIsEmail;
    signal input keyClaimIndex;
    signal input keyClaimValueQuote;
    signal input keyClaimLength;
    signal input nonceIndex;
    signal input nonceValueQuote;
    signal input emailVerifiedIndex;
    signal input emailVerifiedValueStart;
    signal input emailVerifiedQuoted;
    signal input salt;
    signal input randomness;

    // ---- ranges ----
    component ephHiBits = Num2Bits(128);
    ephHiBits.in <== ephHi;
    component ephLoBits = Num2Bits(128);
    ephLoBits.in <== ephLo;
    component expiryBits = Num2Bits(48);
    expiryBits.in <== expiry;
    component saltBits = Num2Bits(128);
    saltBits.in <== salt;
    component randomnessBits = Num2Bits(128);
    randomnessBits.in <== randomness;
    keyClaimIsEmail * (keyClaimIsEmail - 1) === 0;

    // ---- SHA-256 of header.payload, padding checked ----
    component padding = Sha256PaddingCheck(maxSignedBytes, maxPaddedBytes);
    for (var i = 0; i < maxPaddedBytes; i++) { padding.content[i] <== content[i]; }
    padding.signedLength <== signedLength;

    // The digest after the last padded block, as the RSA message's 121-bit limbs (3 of 17 hold it).
    component sha = Sha256PaddedBytes(maxPaddedBytes \ 64, 121, 3);
    for (var i = 0; i < maxPaddedBytes; i++) { sha.content[i] <== content[i]; }
    for (var b = 0; b < maxPaddedBytes \ 64; b++) { sha.lastBlock[b] <== padding.lastBlock[b]; }

    // ---- RSA-2048 PKCS#1 v1.5, e = 65537 ----
    component rsa = RSAVerifier65537(121, 17);
    for (var i = 0; i < 17; i++) {
        if (i < 3) { rsa.message[i] <== sha.digest[i]; } else { rsa.message[i] <== 0; }
        rsa.signature[i] <== signature[i];
        rsa.modulus[i] <== modulus[i];
    }
    component modulusHasher = ModulusHash();
    for (var i = 0; i < 17; i++) { modulusHasher.limbs121[i] <== modulus[i]; }
    modulusHasher.out === modulusHash;

    // ---- payload JSON ----
    component json = PayloadJson(maxSignedBytes);
    for (var i = 0; i < charsLen; i++) {
        json.content[i] <== content[i];
        json.beforeEnd[i] <== padding.beforeEnd[i];
    }
    json.dotIndex <== dotIndex;

    var issName[5] = [105, 115, 115, 0, 0];
    var audName[5] = [97, 117, 100, 0, 0];
    var nonceName[5] = [110, 111, 110, 99, 101];
    var subName[5] = [115, 117, 98, 0, 0];
    var emailName[5] = [101, 109, 97, 105, 108];

    component iss = JsonStringMember(decodedLen, indexBits, 5, maxGap, maxClaimLength);
    component aud = JsonStringMember(decodedLen, indexBits, 5, maxGap, maxClaimLength);
    component keyClaim = JsonStringMember(decodedLen, indexBits, 5, maxGap, maxClaimLength);
    component nonce = JsonStringMember(decodedLen, indexBits, 5, maxGap, 43);
    for (var i = 0; i < decodedLen; i++) {
        iss.packed[i] <== json.packed[i];
        aud.packed[i] <== json.packed[i];
        keyClaim.packed[i] <== json.packed[i];
        nonce.packed[i] <== json.packed[i];
    }
    iss.jsonStart <== json.jsonStart;
    aud.jsonStart <== json.jsonStart;
    keyClaim.jsonStart <== json.jsonStart;
    nonce.jsonStart <== json.jsonStart;
    for (var j = 0; j < 5; j++) {
        iss.name[j] <== issName[j];
        aud.name[j] <== audName[j];
        nonce.name[j] <== nonceName[j];
        keyClaim.name[j] <== subName[j] + keyClaimIsEmail * (emailName[j] - subName[j]);
    }
    iss.nameLength <== 3;
    aud.nameLength <== 3;
    nonce.nameLength <== 5;
    keyClaim.nameLength <== 3 + 2 * keyClaimIsEmail;
    iss.index <== issIndex;
    iss.valueQuote <== issValueQuote;
    iss.valueLength <== issLength;
    aud.index <== audIndex;
    aud.valueQuote <== audValueQuote;
    aud.valueLength <== audLength;
    keyClaim.index <== keyClaimIndex;
    keyClaim.valueQuote <== keyClaimValueQuote;
    keyClaim.valueLength <== keyClaimLength;
    nonce.index <== nonceIndex;
    nonce.valueQuote <== nonceValueQuote;
    nonce.valueLength <== 43;

    component emailVerified = EmailVerifiedMember(decodedLen, indexBits, maxGap);
    for (var i = 0; i < decodedLen; i++) { emailVerified.packed[i] <== json.packed[i]; }
    emailVerified.jsonStart <== json.jsonStart;
    emailVerified.enabled <== keyClaimIsEmail;
    emailVerified.index <== emailVerifiedIndex;
    emailVerified.valueStart <== emailVerifiedValueStart;
    emailVerified.quoted <== emailVerifiedQuoted;

    // ---- each name used occurs once among the top-level names (no duplicate to choose from) ----
    var issCode = 105 + 115 * 256 + 115 * 256 ** 2 + 34 * 256 ** 3;
    var audCode = 97 + 117 * 256 + 100 * 256 ** 2 + 34 * 256 ** 3;
    var subCode = 115 + 117 * 256 + 98 * 256 ** 2 + 34 * 256 ** 3;
    var nonceCode = 34 * 256 ** 5;
    var emailCode = 34 * 256 ** 5;
    for (var j = 0; j < 5; j++) {
        nonceCode += nonceName[j] * 256 ** j;
        emailCode += emailName[j] * 256 ** j;
    }
    var emailVerifiedName[14] = [101, 109, 97, 105, 108, 95, 118, 101, 114, 105, 102, 105, 101, 100];
    var emailVerifiedCode = 34 * 256 ** 14;
    for (var j = 0; j < 14; j++) { emailVerifiedCode += emailVerifiedName[j] * 256 ** j; }
    component issOnce = TopLevelNameOnce(decodedLen, 3, issCode, 3, issCode);
    component audOnce = TopLevelNameOnce(decodedLen, 3, audCode, 3, audCode);
    component nonceOnce = TopLevelNameOnce(decodedLen, 5, nonceCode, 5, nonceCode);
    component keyClaimOnce = TopLevelNameOnce(decodedLen, 3, subCode, 5, emailCode);
    component emailVerifiedOnce = TopLevelNameOnce(decodedLen, 14, emailVerifiedCode, 14, emailVerifiedCode);
    for (var i = 0; i < decodedLen; i++) {
        issOnce.decoded[i] <== json.decoded[i];
        issOnce.nameStart[i] <== json.nameStart[i];
        audOnce.decoded[i] <== json.decoded[i];
        audOnce.nameStart[i] <== json.nameStart[i];
        nonceOnce.decoded[i] <== json.decoded[i];
        nonceOnce.nameStart[i] <== json.nameStart[i];
        keyClaimOnce.decoded[i] <== json.decoded[i];
        keyClaimOnce.nameStart[i] <== json.nameStart[i];
        emailVerifiedOnce.decoded[i] <== json.decoded[i];
        emailVerifiedOnce.nameStart[i] <== json.nameStart[i];
    }
    issOnce.selectB <== 0;
    issOnce.enabled <== 1;
    issOnce.position <== json.jsonStart + issIndex;
    audOnce.selectB <== 0;
    audOnce.enabled <== 1;
    audOnce.position <== json.jsonStart + audIndex;
    nonceOnce.selectB <== 0;
    nonceOnce.enabled <== 1;
    nonceOnce.position <== json.jsonStart + nonceIndex;
    keyClaimOnce.selectB <== keyClaimIsEmail;
    keyClaimOnce.enabled <== 1;
    keyClaimOnce.position <== json.jsonStart + keyClaimIndex;
    emailVerifiedOnce.selectB <== 0;
    emailVerifiedOnce.enabled <== keyClaimIsEmail;
    emailVerifiedOnce.position <== json.jsonStart + emailVerifiedIndex;

    // ---- issuer (§3) ----
    component normalized = NormalizeIssuer(maxClaimLength);
    for (var j = 0; j < maxClaimLength; j++) { normalized.raw[j] <== iss.value[j]; }
    normalized.rawLength <== issLength;
    component issHasher = HashBytes(maxClaimLength);
    for (var j = 0; j < maxClaimLength; j++) { issHasher.bytes[j] <== normalized.normalized[j]; }
    issHasher.length <== normalized.length;
    issHasher.out === issHash;

    // ---- nonce (§6) ----
    component nonceField = Poseidon(4);
    nonceField.inputs[0] <== ephHi;
    nonceField.inputs[1] <== ephLo;
    nonceField.inputs[2] <== expiry;
    nonceField.inputs[3] <== randomness;
    component nonceCheck = NonceMatches();
    for (var j = 0; j < 43; j++) { nonceCheck.chars[j] <== nonce.value[j]; }
    nonceCheck.nonceField <== nonceField.out;

    // ---- identity commitment (§4) ----
    var subChunk = 0;
    var emailChunk = 0;
    for (var j = 0; j < 31; j++) {
        subChunk = subChunk * 256 + (j < 5 ? subName[j] : 0);
        emailChunk = emailChunk * 256 + (j < 5 ? emailName[j] : 0);
    }
    component nameHash = Poseidon(2);
    nameHash.inputs[0] <== subChunk + keyClaimIsEmail * (emailChunk - subChunk);
    nameHash.inputs[1] <== 3 + 2 * keyClaimIsEmail;
    component valueHash = HashBytes(maxClaimLength);
    component audHash = HashBytes(maxClaimLength);
    for (var j = 0; j < maxClaimLength; j++) {
        valueHash.bytes[j] <== keyClaim.value[j];
        audHash.bytes[j] <== aud.value[j];
    }
    valueHash.length <== keyClaimLength;
    audHash.length <== audLength;
    component saltHash = Poseidon(1);
    saltHash.inputs[0] <== salt;
    component commitment = Poseidon(5);
    commitment.inputs[0] <== nameHash.out;
    commitment.inputs[1] <== valueHash.out;
    commitment.inputs[2] <== audHash.out;
    commitment.inputs[3] <== issHash;
    commitment.inputs[4] <== saltHash.out;
    commitment.out === idc;
}
