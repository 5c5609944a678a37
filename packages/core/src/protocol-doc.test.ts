import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { EXPECTED, HASH_BYTES_VECTORS, POSEIDON_VECTORS, VECTOR_AUD, VECTOR_SUB } from '../test/vectors.ts';
import {
  BYTES_PER_CHUNK,
  hashBytes,
  MAX_AUD_LENGTH,
  MAX_ISS_LENGTH,
  MAX_KEY_CLAIM_NAME_LENGTH,
  MAX_KEY_CLAIM_VALUE_LENGTH,
} from './hash-bytes.ts';
import { DEFAULT_MAX_SIGNED_INPUT_LENGTH } from './jwt.ts';
import { NONCE_LENGTH } from './nonce.ts';
import { PUBLIC_INPUT_NAMES } from './public-inputs.ts';

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

describe('docs/protocol.md §2, §6, §8 limits', () => {
  const section = (start: string, end: string) =>
    protocol.slice(protocol.indexOf(start), protocol.indexOf(end));

  test('prints the maximum lengths the library enforces', () => {
    const s2 = section('## 2. Strings', '## 3.');
    expect(s2).toContain(`| key claim name (\`sub\`, \`email\`) | ${MAX_KEY_CLAIM_NAME_LENGTH} | 1 | 2 |`);
    for (const [name, max] of [
      ['key claim value', MAX_KEY_CLAIM_VALUE_LENGTH],
      ['`aud`', MAX_AUD_LENGTH],
      ['normalised issuer', MAX_ISS_LENGTH],
    ] as const) {
      expect(s2).toContain(`| ${name} | ${max} | ${max / BYTES_PER_CHUNK} | ${max / BYTES_PER_CHUNK + 1} |`);
    }
    const maxSigned = DEFAULT_MAX_SIGNED_INPUT_LENGTH.toLocaleString('en-US');
    expect(s2).toContain(`| signed input \`header.payload\` of the ID token (§7) | ${maxSigned} bytes`);
    expect(s2).toContain(`| \`nonce\` (§6) | exactly ${NONCE_LENGTH} characters |`);
    expect(section('## 6. Nonce', '## 7.')).toContain(`always exactly ${NONCE_LENGTH} characters`);
    expect(section('## 7. ID tokens', '## 8.')).toContain(`**${maxSigned} bytes** in v1`);
  });

  test('lists the public inputs in the order the library builds them', () => {
    const s8 = section('**Public inputs**', '**Private inputs**');
    const names = [...s8.matchAll(/^\| (\d) \| `(\w+)` \|/gm)].map((m) => [Number(m[1]), m[2]]);
    expect(names).toEqual(PUBLIC_INPUT_NAMES.map((name, i) => [i, name]));
  });
});
