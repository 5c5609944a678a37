import { randomBytes, webcrypto } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveHkdfSalt, deriveInfo, deriveSalt, formatSalt, type SaltKey } from './derive.ts';

const key: SaltKey = {
  iss: 'https://accounts.google.com',
  aud: 'app',
  keyClaimName: 'sub',
  keyClaimValue: '1234',
};

describe('deriveSalt', () => {
  it('matches an independent HKDF-SHA256 (WebCrypto) over the documented inputs', async () => {
    const seed = randomBytes(32);
    const baseKey = await webcrypto.subtle.importKey('raw', seed, 'HKDF', false, ['deriveBits']);
    const bits = await webcrypto.subtle.deriveBits(
      {
        name: 'HKDF',
        hash: 'SHA-256',
        salt: deriveHkdfSalt(key),
        info: deriveInfo(key),
      },
      baseKey,
      128,
    );
    expect(deriveSalt(seed, key)).toBe(BigInt(`0x${Buffer.from(bits).toString('hex')}`));
  });

  it('uses salt = lp(normalised iss) ‖ lp(aud) and info = label ‖ lp(key claim name) ‖ lp(value)', () => {
    const iss = 'https://accounts.google.com';
    const hkdfSalt = deriveHkdfSalt({ ...key, iss: 'accounts.google.com' });
    expect(
      hkdfSalt.equals(
        Buffer.concat([
          Buffer.from([0, iss.length]),
          Buffer.from(iss),
          Buffer.from([0, 3]),
          Buffer.from('app'),
        ]),
      ),
    ).toBe(true);
    const info = deriveInfo(key);
    const expected = Buffer.concat([
      Buffer.from('zksso/v1/salt'),
      Buffer.from([0, 3]),
      Buffer.from('sub'),
      Buffer.from([0, 4]),
      Buffer.from('1234'),
    ]);
    expect(info.equals(expected)).toBe(true);
  });

  it('matches a known answer computed with Python hmac/hashlib (RFC 5869 by hand)', () => {
    // seed = 0x00 01 … 1f; python3: hkdf(seed, lp(iss) + lp(aud), b"zksso/v1/salt" + lp("sub") + lp("1234"), 16)
    const seed = Uint8Array.from({ length: 32 }, (_, i) => i);
    expect(deriveSalt(seed, key)).toBe(110200601970209887551065507176135020605n);
  });

  it('is deterministic, below 2^128, and separates every input', () => {
    const seed = randomBytes(32);
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string({ minLength: 1 }), (aud, value, other) => {
        const k: SaltKey = { ...key, aud, keyClaimValue: value };
        const salt = deriveSalt(seed, k);
        expect(salt).toBe(deriveSalt(seed, k));
        expect(salt < 2n ** 128n && salt >= 0n).toBe(true);
        expect(deriveSalt(seed, { ...k, aud: aud + other })).not.toBe(salt);
        expect(deriveSalt(seed, { ...k, keyClaimValue: value + other })).not.toBe(salt);
      }),
      { numRuns: 50 },
    );
    // "ab" + "c" and "a" + "bc" must not collide (length prefixes).
    expect(deriveSalt(seed, { ...key, iss: 'https://ab', aud: 'c' })).not.toBe(
      deriveSalt(seed, { ...key, iss: 'https://a', aud: 'bc' }),
    );
    expect(deriveSalt(seed, { ...key, keyClaimName: 'email' })).not.toBe(deriveSalt(seed, key));
    expect(deriveSalt(seed, { ...key, iss: 'accounts.google.com' })).toBe(deriveSalt(seed, key));
  });

  it('refuses a seed shorter than 32 bytes', () => {
    expect(() => deriveSalt(randomBytes(31), key)).toThrow(RangeError);
  });

  it('formats decimal and 32-byte hex', () => {
    expect(formatSalt(255n)).toEqual({ salt: '255', saltHex: `0x${'0'.repeat(62)}ff` });
  });
});
