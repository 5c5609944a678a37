import { ephemeralKeyFromBytes } from '@zksso/core';
import { describe, expect, it } from 'vitest';
import { parseProveRequest } from './request.ts';
import { extendedEphemeralKeyBytes } from './sui-encoding.ts';

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
      ['salt', 'not base64!'],
      ['salt', 'AAB='], // non-canonical base64: stray bits before the padding
      ['salt', 'AAA'], // unpadded
      ['salt', 'q83vEjRWeJA-'], // base64url: Sui sends standard base64
      ['jwtRandomness', Buffer.alloc(17, 0xff).toString('base64')], // 2^136 - 1: out of range
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

  it('accepts Sui’s base64 forms for the ephemeral key, jwtRandomness and salt (decimal too)', () => {
    // Sui's documented example values (16-byte randomness and salt in standard base64).
    const randomness = BigInt(`0x${Buffer.from('S76Qi8c/SZlmmotnFMr13Q==', 'base64').toString('hex')}`);
    const salt = BigInt(`0x${Buffer.from('urgFnwIxJ++Ooswtf0Nn1w==', 'base64').toString('hex')}`);
    const extended = extendedEphemeralKeyBytes({ type: 'secp256k1', address });
    expect(extended.length).toBe(21);
    const fromBase64 = parseProveRequest({
      ...base,
      ephemeralPublicKey: Buffer.from(extended).toString('base64'),
      jwtRandomness: 'S76Qi8c/SZlmmotnFMr13Q==',
      salt: 'urgFnwIxJ++Ooswtf0Nn1w==',
    });
    const fromDecimal = parseProveRequest({
      ...base,
      ephemeralPublicKey: BigInt(`0x${Buffer.from(extended).toString('hex')}`).toString(10),
      jwtRandomness: randomness.toString(10),
      salt: salt.toString(10),
    });
    for (const request of [fromBase64, fromDecimal]) {
      expect(request.ephemeralPublicKey).toEqual({ type: 'secp256k1', address });
      expect(request.randomness).toBe(randomness);
      expect(request.salt).toBe(salt);
    }
    // A P-256 extended key (65 bytes) and base64 coordinates.
    const p256 = ephemeralKeyFromBytes(
      2,
      Buffer.from(
        '6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296' +
          '4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5',
        'hex',
      ),
    );
    if (p256.type !== 'p256') throw new Error('expected a P-256 key');
    const key = Buffer.from(extendedEphemeralKeyBytes(p256)).toString('base64');
    expect(parseProveRequest({ ...base, ephemeralPublicKey: key }).ephemeralPublicKey).toEqual(p256);
    const b64 = (v: bigint) => Buffer.from(v.toString(16).padStart(64, '0'), 'hex').toString('base64');
    const coords = { type: 'p256', x: b64(p256.x), y: b64(p256.y) };
    expect(parseProveRequest({ ...base, ephemeralPublicKey: coords }).ephemeralPublicKey).toEqual(p256);
  });

  it('refuses unreadable extended keys (BAD_REQUEST) and impossible ones (INVALID_EPHEMERAL_KEY)', () => {
    expect(() => parseProveRequest({ ...base, ephemeralPublicKey: 'not a key' })).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST', details: { field: 'ephemeralPublicKey' } }),
    );
    for (const bytes of [
      Buffer.from([3, ...Buffer.alloc(20, 1)]), // unknown key type
      Buffer.from([1, ...Buffer.alloc(19, 1)]), // address too short
      Buffer.from([2, ...Buffer.alloc(64, 1)]), // not a point on P-256
    ]) {
      expect(() => parseProveRequest({ ...base, ephemeralPublicKey: bytes.toString('base64') })).toThrow(
        expect.objectContaining({ code: 'INVALID_EPHEMERAL_KEY' }),
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
