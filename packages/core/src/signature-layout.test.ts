import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { concat, encodeAbiParameters, type Hex, hexToBigInt, keccak256, pad, slice } from 'viem';
import { describe, expect, it } from 'vitest';
import { ephemeralKeyBytes } from './ephemeral-key.ts';
import { createP256EphemeralKey, createSecp256k1EphemeralKey } from './ephemeral-signer.ts';
import { encodeSessionSpec, sessionSpecAbi } from './policy/encode.ts';
import { LimitType, type SessionSpec } from './policy/types.ts';

// docs/protocol.md §8 and §10 give byte layouts (field, type, offset) for other implementers. These tests
// re-derive the offsets from the sizes this library produces and from real ABI encodings, so a wrong
// offset in the spec fails here.
const protocol = readFileSync(fileURLToPath(new URL('../../../docs/protocol.md', import.meta.url)), 'utf8');

function section(start: string, end: string): string {
  const from = protocol.indexOf(start);
  const to = protocol.indexOf(end, from + start.length);
  expect(from, start).toBeGreaterThanOrEqual(0);
  return protocol.slice(from, to);
}

type Row = { offset: string; bytes: string; type: string; field: string };

/** Rows of the first `| offset | bytes | type | field |` table of a section. */
function layoutRows(text: string): Row[] {
  const lines = text.split('\n');
  const header = lines.findIndex((l) => /^\| (head )?offset \| bytes \| type \| field \|$/.test(l));
  expect(header, 'layout table').toBeGreaterThanOrEqual(0);
  const rows: Row[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const [offset = '', bytes = '', type = '', field = ''] = line
      .slice(1, -1)
      .split('|')
      .map((c) => c.trim());
    rows.push({ offset, bytes, type, field });
  }
  return rows;
}

/** The value of an "A or B" cell for variant 0 (secp256k1) or 1 (P-256). */
function variant(cell: string, which: 0 | 1): number {
  const parts = cell.split(' or ');
  return Number(parts[parts.length === 1 ? 0 : which]);
}

/** Checks that each row starts where the previous one ends; returns the total length. */
function checkContiguous(rows: Row[], which: 0 | 1): number {
  let next = 0;
  for (const row of rows) {
    expect(variant(row.offset, which), row.field).toBe(next);
    next += variant(row.bytes, which);
  }
  return next;
}

const keySizes = async () => {
  const secp = createSecp256k1EphemeralKey();
  const p256 = await createP256EphemeralKey();
  const hash = keccak256('0x01');
  return [
    { key: ephemeralKeyBytes(secp.publicKey).length, sig: (await secp.sign(hash)).length / 2 - 1 },
    { key: ephemeralKeyBytes(p256.publicKey).length, sig: (await p256.sign(hash)).length / 2 - 1 },
  ] as const;
};

describe('docs/protocol.md signature layouts', () => {
  it('§8 proof encoding: a, b, c are contiguous 32-byte words, 256 bytes in all', () => {
    const rows = layoutRows(section('**Proof encoding**', '## 9.'));
    expect(rows.map((r) => r.type)).toEqual(['uint256[2]', 'uint256[2][2]', 'uint256[2]']);
    expect(checkContiguous(rows, 0)).toBe(256);
  });

  it('§10.1 user-operation signature: a 20-byte validator address, then the validator signature', () => {
    const rows = layoutRows(section('### 10.1', '### 10.2'));
    expect(rows.map((r) => [r.offset, r.bytes, r.type])).toEqual([
      ['0', '20', 'address'],
      ['20', 'rest', 'bytes'],
    ]);
  });

  it('§10.2 mode 0x01: contiguous fields whose key and signature sizes are those this library makes', async () => {
    const text = section('### 10.2', '### 10.3');
    const rows = layoutRows(text);
    const sizes = await keySizes();
    expect(rows.map((r) => r.type)).toEqual([
      'uint8',
      'uint16',
      'bytes',
      'uint256',
      'uint48',
      'uint8',
      'bytes',
      'bytes',
    ]);
    expect(rows[2]?.bytes).toBe('256'); // the §8 proof encoding
    for (const which of [0, 1] as const) {
      expect(variant(rows[6]?.bytes ?? '', which)).toBe(sizes[which].key);
      expect(variant(rows[7]?.bytes ?? '', which)).toBe(sizes[which].sig);
    }
    const totals = [checkContiguous(rows, 0), checkContiguous(rows, 1)];
    expect(totals).toEqual([383, 426]);
    expect(text).toContain(`Total ${totals[0]} bytes (secp256k1) or ${totals[1]} bytes (P-256)`);
  });

  it('§10.3 mode 0x02: mode, keyType, keyBytes, signature, contiguous', async () => {
    const rows = layoutRows(section('### 10.3', '### 10.4'));
    const sizes = await keySizes();
    expect(rows.map((r) => r.type)).toEqual(['uint8', 'uint8', 'bytes', 'bytes']);
    for (const which of [0, 1] as const) {
      expect(variant(rows[2]?.bytes ?? '', which)).toBe(sizes[which].key);
      expect(variant(rows[3]?.bytes ?? '', which)).toBe(sizes[which].sig);
      expect(checkContiguous(rows, which)).toBe(2 + sizes[which].key + sizes[which].sig);
    }
  });

  it('§10.4 WebAuthn head offsets are those of the ABI encoding', () => {
    const rows = layoutRows(section('### 10.4', '### 10.5'));
    const encoded = encodeAbiParameters(
      [
        { type: 'bytes32' },
        { type: 'bytes' },
        { type: 'string' },
        { type: 'uint256' },
        { type: 'uint256' },
        { type: 'uint256' },
        { type: 'uint256' },
        { type: 'uint256' },
      ],
      [keccak256('0x0102'), `0x${'11'.repeat(37)}`, '{"type":"webauthn.get"}', 3n, 4n, 5n, 6n, 7n],
    );
    const word = (offset: number) => hexToBigInt(slice(encoded, offset, offset + 32));
    const head = rows.filter((r) => r.bytes === '32');
    expect(head.map((r) => Number(r.offset))).toEqual([0, 32, 64, 96, 128, 160, 192, 224]);
    expect(word(0)).toBe(hexToBigInt(keccak256('0x0102')));
    expect(word(32)).toBe(256n); // authenticatorData's tail starts right after the 256-byte head
    expect(word(256)).toBe(37n);
    expect([word(96), word(128), word(160), word(192), word(224)]).toEqual([3n, 4n, 5n, 6n, 7n]);
    expect(rows.at(-1)?.offset).toBe('256');
  });

  it('§10.5 session-key signature: every documented word is where the ABI encoding puts it', () => {
    const text = section('### 10.5', '## 11.');
    const limit = { limitType: LimitType.Allowance, limit: 5n, period: 60n };
    const spec: SessionSpec = {
      signer: '0x1111111111111111111111111111111111111111',
      expiresAt: 1_900_000_000n,
      feeLimit: limit,
      callPolicies: [
        {
          target: '0x2222222222222222222222222222222222222222',
          selector: '0xa9059cbb',
          maxValuePerUse: 7n,
          valueLimit: { limitType: LimitType.Lifetime, limit: 8n, period: 0n },
          constraints: [{ condition: 4, index: 1n, refValue: `0x${'ab'.repeat(32)}`, limit }],
        },
      ],
      transferPolicies: [
        {
          target: '0x3333333333333333333333333333333333333333',
          maxValuePerUse: 9n,
          valueLimit: { limitType: LimitType.Unlimited, limit: 0n, period: 0n },
        },
      ],
    };
    const ecdsaSignature: Hex = `0x${'cd'.repeat(65)}`;
    const validAt = 1_800_000_000n;
    const encoded = encodeAbiParameters(
      [{ type: 'bytes' }, sessionSpecAbi, { type: 'uint48' }],
      // viem types uint48 as number; bigint encodes the same (SessionSpec keeps bigints, as encodeSessionSpec does).
      [ecdsaSignature, spec, validAt] as never,
    );
    const word = (offset: number) => hexToBigInt(slice(encoded, offset, offset + 32));
    const S = 224;
    // The spec at S is abi.encode(spec) (the bytes sessionHash commits to) without its leading offset word.
    expect(concat([pad('0x20'), slice(encoded, S)])).toBe(encodeSessionSpec(spec));

    const rows = layoutRows(text);
    const at = (label: string) => {
      const row = rows.find((r) => r.field.includes(label));
      expect(row, label).toBeDefined();
      const offset = row?.offset ?? '';
      return offset.startsWith('S + ') ? S + Number(offset.slice(4)) : Number(offset);
    };
    expect(word(at('offset of `ecdsaSignature`'))).toBe(96n);
    expect(word(at('offset of `spec`'))).toBe(BigInt(S));
    expect(word(at('`validAt`'))).toBe(validAt);
    expect(word(at('length of `ecdsaSignature`'))).toBe(65n);
    expect(slice(encoded, at('`r ‖ s ‖ v`'), at('`r ‖ s ‖ v`') + 96)).toBe(
      `0x${'cd'.repeat(65)}${'00'.repeat(31)}`,
    );
    expect(word(at('`spec.signer`'))).toBe(hexToBigInt(spec.signer));
    expect(word(at('`spec.expiresAt`'))).toBe(spec.expiresAt);
    expect(word(at('`spec.feeLimit.limitType`'))).toBe(2n);
    expect(word(at('`spec.feeLimit.limit`'))).toBe(5n);
    expect(word(at('`spec.feeLimit.period`'))).toBe(60n);

    // Arrays: callPolicies = length, one offset word per element (from after the length), elements.
    const calls = S + Number(word(at('offset of `spec.callPolicies`')));
    expect(word(calls)).toBe(1n);
    const call = calls + 32 + Number(word(calls + 32));
    expect(text).toContain(
      "+0 target (address), +32 selector (bytes4), +64 maxValuePerUse (uint256), +96 valueLimit.limitType (uint8), +128 valueLimit.limit (uint256), +160 valueLimit.period (uint48), +192 offset of `constraints` from the CallSpec's start",
    );
    expect(word(call)).toBe(hexToBigInt('0x2222222222222222222222222222222222222222'));
    expect(slice(encoded, call + 32, call + 36)).toBe('0xa9059cbb');
    expect([word(call + 64), word(call + 96), word(call + 128), word(call + 160)]).toEqual([7n, 1n, 8n, 0n]);
    const constraints = call + Number(word(call + 192));
    expect(word(constraints)).toBe(1n);
    const c = constraints + 32; // static elements: inline
    expect(text).toContain(
      '+0 condition (uint8, 0–6), +32 index (uint64), +64 refValue (bytes32), +96 limit.limitType (uint8), +128 limit.limit (uint256), +160 limit.period (uint48)',
    );
    expect([word(c), word(c + 32), slice(encoded, c + 64, c + 96)]).toEqual([4n, 1n, `0x${'ab'.repeat(32)}`]);
    expect([word(c + 96), word(c + 128), word(c + 160)]).toEqual([2n, 5n, 60n]);

    const transfers = S + Number(word(at('offset of `spec.transferPolicies`')));
    expect(word(transfers)).toBe(1n);
    const t = transfers + 32;
    expect(text).toContain(
      '+0 target (address), +32 maxValuePerUse (uint256), +64 valueLimit.limitType (uint8), +96 valueLimit.limit (uint256), +128 valueLimit.period (uint48)',
    );
    expect(word(t)).toBe(hexToBigInt('0x3333333333333333333333333333333333333333'));
    expect([word(t + 32), word(t + 64), word(t + 96), word(t + 128)]).toEqual([9n, 0n, 0n, 0n]);
    expect(t + 160).toBe(encoded.length / 2 - 1); // nothing after the last element
  });
});
