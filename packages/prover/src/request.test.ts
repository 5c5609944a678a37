import { describe, expect, it } from 'vitest';
import { parseProveRequest } from './request.ts';

const address = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
const base = {
  jwt: 'a.b.c',
  ephemeralPublicKey: { type: 'secp256k1', address },
  expiry: '1767225600',
  jwtRandomness: '123',
  salt: '0xff',
};

describe('parseProveRequest', () => {
  it('accepts decimal and 0x-hex integers (and a JSON number expiry)', () => {
    const request = parseProveRequest(base);
    expect(request).toMatchObject({ expiry: 1767225600n, randomness: 123n, salt: 255n, keyClaimName: 'sub' });
    expect(parseProveRequest({ ...base, expiry: 1767225600, jwtRandomness: '0x7b' }).randomness).toBe(123n);
    expect(parseProveRequest({ ...base, keyClaimName: 'email' }).keyClaimName).toBe('email');
  });

  it('refuses ambiguous or out-of-range integers with BAD_REQUEST naming the field', () => {
    for (const [field, value] of [
      ['salt', 'AAAA'],
      ['salt', (2n ** 128n).toString()],
      ['salt', '-1'],
      ['salt', '01'],
      ['jwtRandomness', 5],
      ['expiry', '0'],
      ['expiry', (2n ** 48n).toString()],
      ['expiry', 1.5],
    ] as const) {
      expect(() => parseProveRequest({ ...base, [field]: value })).toThrow(
        expect.objectContaining({ code: 'BAD_REQUEST', details: expect.objectContaining({ field }) }),
      );
    }
  });

  it('points Sui-shaped requests at this API’s fields', () => {
    expect(() => parseProveRequest({ ...base, extendedEphemeralPublicKey: 'x' })).toThrow(
      /ephemeralPublicKey/,
    );
    expect(() => parseProveRequest({ ...base, maxEpoch: '3' })).toThrow(/expiry/);
  });
});
