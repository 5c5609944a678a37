import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referencePoseidon } from '../test/reference.ts';
import { bytesToBase64Url } from './encoding.ts';
import { ephemeralKeyId, splitKeyId } from './ephemeral-key.ts';
import { NonceMalformedError } from './errors.ts';
import { FIELD_MODULUS, toBytes32 } from './field.ts';
import {
  computeNonce,
  computeNonceField,
  decodeNonce,
  EXPIRY_MAX,
  generateRandomness,
  NONCE_LENGTH,
  RANDOMNESS_MAX,
} from './nonce.ts';

const ephemeralPublicKey = {
  type: 'secp256k1',
  address: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
} as const;

describe('nonce', () => {
  it('nonceField = Poseidon_4(ephHi, ephLo, expiry, randomness)', async () => {
    const { hi, lo } = splitKeyId(ephemeralKeyId(ephemeralPublicKey));
    const input = { ephemeralPublicKey, expiry: 1_900_000_000n, randomness: 123456789n };
    expect(computeNonceField(input)).toBe(await referencePoseidon([hi, lo, 1_900_000_000n, 123456789n]));
    expect(
      computeNonceField({
        keyId: ephemeralKeyId(ephemeralPublicKey),
        expiry: 1_900_000_000n,
        randomness: 123456789n,
      }),
    ).toBe(computeNonceField(input));
  });

  it('nonce is the 43-char base64url of be32(nonceField)', () => {
    const input = { ephemeralPublicKey, expiry: 1_900_000_000n, randomness: 5n };
    const nonce = computeNonce(input);
    expect(nonce).toHaveLength(NONCE_LENGTH);
    expect(nonce).toBe(Buffer.from(toBytes32(computeNonceField(input))).toString('base64url'));
  });

  it('encode/decode round-trip (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: EXPIRY_MAX - 1n }),
        fc.bigInt({ min: 0n, max: RANDOMNESS_MAX - 1n }),
        (expiry, randomness) => {
          const input = { ephemeralPublicKey, expiry, randomness };
          return decodeNonce(computeNonce(input)) === computeNonceField(input);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('decodeNonce accepts every field element (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: FIELD_MODULUS - 1n }),
        (v) => decodeNonce(bytesToBase64Url(toBytes32(v))) === v,
      ),
    );
  });

  it.each([
    ['too short', 'A'.repeat(42)],
    ['too long', 'A'.repeat(44)],
    ['padding', `${'A'.repeat(42)}=`],
    ['standard base64 alphabet', `${'A'.repeat(41)}+A`],
    ['non-canonical trailing bits', `${'A'.repeat(42)}B`],
    ['value >= p', bytesToBase64Url(toBytes32(FIELD_MODULUS))],
    ['all ones', `${'_'.repeat(42)}8`],
  ])('decodeNonce refuses %s with NONCE_MALFORMED', (_why, bad) => {
    expect(() => decodeNonce(bad)).toThrow(NonceMalformedError);
    expect(() => decodeNonce(bad)).toThrow(expect.objectContaining({ code: 'NONCE_MALFORMED' }));
  });

  it('checks the expiry and randomness ranges', () => {
    const code = expect.objectContaining({ code: 'OUT_OF_RANGE' });
    expect(() => computeNonce({ ephemeralPublicKey, expiry: 0n, randomness: 0n })).toThrow(code);
    expect(() => computeNonce({ ephemeralPublicKey, expiry: EXPIRY_MAX, randomness: 0n })).toThrow(code);
    expect(() => computeNonce({ ephemeralPublicKey, expiry: 1n, randomness: RANDOMNESS_MAX })).toThrow(code);
    expect(() => computeNonce({ ephemeralPublicKey, expiry: 1n, randomness: -1n })).toThrow(code);
    expect(
      computeNonce({ ephemeralPublicKey, expiry: EXPIRY_MAX - 1n, randomness: RANDOMNESS_MAX - 1n }),
    ).toHaveLength(43);
  });

  it('generateRandomness gives distinct 128-bit values', () => {
    const values = Array.from({ length: 64 }, generateRandomness);
    expect(new Set(values).size).toBe(64);
    expect(values.every((v) => v >= 0n && v < RANDOMNESS_MAX)).toBe(true);
    // With 64 draws, at least one has a bit set above 2^120 (probability of failure 2^-512).
    expect(values.some((v) => v >= 2n ** 120n)).toBe(true);
  });
});
