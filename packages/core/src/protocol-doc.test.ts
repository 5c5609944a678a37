import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { EXPECTED, HASH_BYTES_VECTORS, POSEIDON_VECTORS, VECTOR_AUD, VECTOR_SUB } from '../test/vectors.ts';
import { hashBytes } from './hash-bytes.ts';

// docs/protocol.md §13 prints test vectors for other implementers. This test keeps the printed values
// equal to the ones the library is checked against, so the spec cannot drift from the code.
const protocol = readFileSync(fileURLToPath(new URL('../../../docs/protocol.md', import.meta.url)), 'utf8');
const vectorsSection = protocol.slice(protocol.indexOf('## 13. Test vectors'), protocol.indexOf('## 14.'));

describe('docs/protocol.md §13', () => {
  test('prints the known-answer values of test/vectors.ts', () => {
    const printed = [
      EXPECTED.issHash,
      EXPECTED.saltHash,
      EXPECTED.idcSub,
      EXPECTED.idcEmail,
      EXPECTED.keyIdSecp256k1,
      EXPECTED.keyIdP256,
      EXPECTED.nonceFieldSecp256k1,
      EXPECTED.nonceSecp256k1,
      EXPECTED.nonceP256,
      EXPECTED.openIdAccountSalt,
      EXPECTED.passkeyAccountSalt,
      ...POSEIDON_VECTORS.filter((v) => v.inputs.length !== 4).map((v) => v.output),
    ];
    for (const value of printed) expect(vectorsSection).toContain(`\`${String(value)}\``);
  });

  test('prints hashBytes values that the library reproduces', () => {
    for (const [value, maxLen] of [
      ['sub', 31],
      ['email', 31],
      [VECTOR_SUB, 124],
      [VECTOR_AUD, 124],
    ] as const) {
      const output = hashBytes(value, maxLen);
      expect(HASH_BYTES_VECTORS.some((v) => v.output === output)).toBe(true);
      expect(vectorsSection).toContain(`\`${output}\``);
    }
  });
});
