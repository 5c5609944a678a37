import { describe, expect, it } from 'vitest';
import { ephemeralKeyId, splitKeyId } from './ephemeral-key.ts';
import { FIELD_MODULUS } from './field.ts';
import { buildPublicInputs, PUBLIC_INPUT_NAMES, parsePublicInputs } from './public-inputs.ts';

const ephemeralPublicKey = {
  type: 'secp256k1',
  address: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
} as const;
const keyId = ephemeralKeyId(ephemeralPublicKey);
const input = {
  issHash: 11n,
  identityCommitment: 22n,
  ephemeralPublicKey,
  expiry: 1_900_000_000n,
  modulusHash: 33n,
};

describe('public inputs', () => {
  it('are in protocol §8 order', () => {
    expect(PUBLIC_INPUT_NAMES).toEqual(['issHash', 'idc', 'ephHi', 'ephLo', 'expiry', 'modulusHash']);
    const { hi, lo } = splitKeyId(keyId);
    expect(buildPublicInputs(input)).toEqual([11n, 22n, hi, lo, 1_900_000_000n, 33n]);
    expect(buildPublicInputs({ ...input, ephemeralPublicKey: undefined, keyId } as never)).toEqual(
      buildPublicInputs(input),
    );
  });

  it('parse inverts build, also from decimal strings as snarkjs returns them', () => {
    const values = buildPublicInputs(input);
    const expected = {
      issHash: 11n,
      identityCommitment: 22n,
      keyId,
      expiry: 1_900_000_000n,
      modulusHash: 33n,
    };
    expect(parsePublicInputs(values)).toMatchObject(expected);
    expect(parsePublicInputs(values.map(String))).toMatchObject(expected);
    expect(parsePublicInputs(values.map((v) => `0x${v.toString(16)}`))).toMatchObject(expected);
  });

  it('build refuses values outside their ranges', () => {
    expect(() => buildPublicInputs({ ...input, issHash: FIELD_MODULUS })).toThrow(
      expect.objectContaining({ code: 'OUT_OF_RANGE' }),
    );
    expect(() => buildPublicInputs({ ...input, expiry: 0n })).toThrow(
      expect.objectContaining({ code: 'OUT_OF_RANGE' }),
    );
  });

  it.each([
    ['too few', [1n, 2n]],
    ['too many', [1n, 2n, 3n, 4n, 5n, 6n, 7n]],
    ['ephHi >= 2^128', [1n, 2n, 2n ** 128n, 4n, 5n, 6n]],
    ['ephLo >= 2^128', [1n, 2n, 3n, 2n ** 128n, 5n, 6n]],
    ['expiry 0', [1n, 2n, 3n, 4n, 0n, 6n]],
    ['value >= p', [FIELD_MODULUS, 2n, 3n, 4n, 5n, 6n]],
    ['not a number', [1n, 2n, 3n, 4n, 'five', 6n]],
  ])('parse refuses %s with INVALID_PUBLIC_INPUTS', (_why, values) => {
    expect(() => parsePublicInputs(values as bigint[])).toThrow(
      expect.objectContaining({ code: 'INVALID_PUBLIC_INPUTS' }),
    );
  });
});
