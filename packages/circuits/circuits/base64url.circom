pragma circom 2.1.9;

include "circomlib/circuits/bitify.circom";

// Value of a base64url character, 0 for anything else (the circuit then refuses it when it matters).
function base64UrlValue(c) {
    if (c >= 65 && c <= 90) { return c - 65; }
    if (c >= 97 && c <= 122) { return c - 71; }
    if (c >= 48 && c <= 57) { return c + 4; }
    if (c == 45) { return 62; }
    if (c == 95) { return 63; }
    return 0;
}

// One base64url character (RFC 4648 §5: A-Z a-z 0-9 - _). The 6-bit value is a hint; the circuit
// recomputes the character from its bits and, when `active` is 1, requires it to equal `char`, so a
// character outside the alphabet (`+`, `/`, `.`, `=`, ...) cannot be active.
// bits[0] is the value's least significant bit.
template Base64UrlChar() {
    signal input char;
    signal input active;
    signal output bits[6];

    signal value <-- base64UrlValue(char);
    component toBits = Num2Bits(6);
    toBits.in <== value;
    for (var i = 0; i < 6; i++) { bits[i] <== toBits.out[i]; }
    var b0 = bits[0]; var b1 = bits[1]; var b2 = bits[2]; var b3 = bits[3]; var b4 = bits[4]; var b5 = bits[5];

    // value >= 62  <=>  bits 5..1 all set
    signal top2 <== b5 * b4;
    signal top3 <== top2 * b3;
    signal top4 <== top3 * b2;
    signal ge62 <== top4 * b1;
    signal is63 <== ge62 * b0;
    // value >= 52 (0b110100)  <=>  b5 b4 and (b3 or b2)
    signal or32 <== b3 + b2 - b3 * b2;
    signal ge52 <== top2 * or32;
    // value >= 26 (0b011010)  <=>  b5, or b4 b3 and (b2 or b1)
    signal b43 <== (1 - b5) * b4;
    signal b43x <== b43 * b3;
    signal or21 <== b2 + b1 - b2 * b1;
    signal ge26 <== b5 + b43x * or21;

    // 'A'+v, 'a'+(v-26), '0'+(v-52), '-', '_'  as one linear expression of the range flags
    signal expected <== value + 65 + 6 * ge26 - 75 * ge52 - 13 * ge62 + 49 * is63;
    active * (char - expected) === 0;
}
