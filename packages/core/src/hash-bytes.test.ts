import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceHashBytes } from '../test/reference.ts';
import { ClaimTooLongError } from './errors.ts';
import {
  hashBytes,
  InvalidMaxLengthError,
  MAX_AUD_LENGTH,
  MAX_ISS_LENGTH,
  MAX_KEY_CLAIM_NAME_LENGTH,
  MAX_KEY_CLAIM_VALUE_LENGTH,
  packBytes,
} from './hash-bytes.ts';

const enc = new TextEncoder();

describe('packBytes', () => {
  it('has the protocol §2 maxima', () => {
    expect([MAX_KEY_CLAIM_NAME_LENGTH, MAX_KEY_CLAIM_VALUE_LENGTH, MAX_AUD_LENGTH, MAX_ISS_LENGTH]).toEqual([
      31, 124, 124, 124,
    ]);
  });

  it('packs 31-byte big-endian chunks, zero padded', () => {
    expect(packBytes(enc.encode('sub'), 31)).toEqual([0x737562n << (28n * 8n)]);
    const bytes = new Uint8Array(32).fill(1);
    const [c0, c1, c2, c3] = packBytes(bytes, 124);
    expect(c0).toBe(BigInt(`0x${'01'.repeat(31)}`));
    expect(c1).toBe(1n << (30n * 8n));
    expect(c2).toBe(0n);
    expect(c3).toBe(0n);
  });

  it('packs exactly maxLen bytes', () => {
    const chunks = packBytes(new Uint8Array(124).fill(0xff), 124);
    expect(chunks).toEqual(new Array(4).fill(2n ** 248n - 1n));
  });

  it('refuses values longer than maxLen with CLAIM_TOO_LONG (length and max in details)', () => {
    try {
      packBytes(new Uint8Array(125), 124, 'aud');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ClaimTooLongError);
      expect((error as ClaimTooLongError).code).toBe('CLAIM_TOO_LONG');
      expect((error as ClaimTooLongError).details).toEqual({ claim: 'aud', length: 125, max: 124 });
    }
  });

  it.each([0, 30, 32, 496, -31, 31.5])('refuses maxLen %d with INVALID_MAX_LENGTH', (maxLen) => {
    expect(() => packBytes(new Uint8Array(), maxLen)).toThrow(InvalidMaxLengthError);
  });
});

describe('hashBytes', () => {
  it('matches an independent re-computation (circomlibjs, hex chunking) on random bytes', async () => {
    for (const maxLen of [31, 62, 124, 465]) {
      const samples = fc.sample(fc.uint8Array({ maxLength: maxLen }), { numRuns: 8, seed: maxLen });
      for (const bytes of samples) {
        expect(hashBytes(bytes, maxLen)).toBe(await referenceHashBytes(bytes, maxLen));
      }
    }
  }, 60_000);

  it('hashes strings as UTF-8', async () => {
    const value = 'jöhn.dœ@exämple.com';
    expect(hashBytes(value, 124)).toBe(hashBytes(enc.encode(value), 124));
    expect(hashBytes(value, 124)).toBe(await referenceHashBytes(enc.encode(value), 124));
  });

  it('counts UTF-8 bytes, not characters, against maxLen', () => {
    expect(() => hashBytes('é'.repeat(16), 31)).toThrow(expect.objectContaining({ code: 'CLAIM_TOO_LONG' }));
    expect(() => hashBytes('é'.repeat(15), 31)).not.toThrow();
  });

  it('distinguishes values that differ only by trailing zero bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.integer({ min: 1, max: 4 }), (bytes, extra) => {
        const longer = new Uint8Array(bytes.length + extra);
        longer.set(bytes);
        return hashBytes(bytes, 124) !== hashBytes(longer, 124);
      }),
    );
  });

  it('is injective on distinct inputs (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 124 }), fc.uint8Array({ maxLength: 124 }), (a, b) => {
        const same = a.length === b.length && a.every((x, i) => x === b[i]);
        return same === (hashBytes(a, 124) === hashBytes(b, 124));
      }),
    );
  });
});
