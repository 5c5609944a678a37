import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceIdentityCommitment, referencePoseidon } from '../test/reference.ts';
import { computeIdentityCommitment, hashSalt, SALT_MAX } from './identity.ts';

const base = {
  keyClaimName: 'sub',
  keyClaimValue: '110169484474386276334',
  aud: '1234567890-abc.apps.googleusercontent.com',
  iss: 'https://accounts.google.com',
  salt: 129390038577185583942388216820280642146n,
};

describe('hashSalt', () => {
  it('is Poseidon_1(salt)', async () => {
    expect(hashSalt(base.salt)).toBe(await referencePoseidon([base.salt]));
    expect(hashSalt(0n)).toBe(await referencePoseidon([0n]));
    expect(hashSalt(SALT_MAX - 1n)).toBe(await referencePoseidon([SALT_MAX - 1n]));
  });

  it('refuses salts outside [0, 2^128) with OUT_OF_RANGE', () => {
    expect(() => hashSalt(SALT_MAX)).toThrow(expect.objectContaining({ code: 'OUT_OF_RANGE' }));
    expect(() => hashSalt(-1n)).toThrow(expect.objectContaining({ code: 'OUT_OF_RANGE' }));
  });
});

describe('computeIdentityCommitment', () => {
  it('matches the reference re-computation of protocol §4', async () => {
    expect(computeIdentityCommitment(base)).toBe(await referenceIdentityCommitment(base));
  });

  it('matches the reference on random claims (sample)', async () => {
    const samples = fc.sample(
      fc.record({
        keyClaimName: fc.constantFrom('sub', 'email'),
        keyClaimValue: fc.string({ maxLength: 40 }),
        aud: fc.string({ maxLength: 40 }),
        iss: fc.string({ maxLength: 40 }),
        salt: fc.bigInt({ min: 0n, max: SALT_MAX - 1n }),
      }),
      { numRuns: 10, seed: 7 },
    );
    for (const input of samples) {
      expect(computeIdentityCommitment(input)).toBe(await referenceIdentityCommitment(input));
    }
  });

  it('normalises the issuer', () => {
    expect(computeIdentityCommitment({ ...base, iss: 'accounts.google.com' })).toBe(
      computeIdentityCommitment(base),
    );
  });

  it('changes with every input', () => {
    const idc = computeIdentityCommitment(base);
    expect(computeIdentityCommitment({ ...base, keyClaimName: 'email' })).not.toBe(idc);
    expect(computeIdentityCommitment({ ...base, keyClaimValue: '110169484474386276335' })).not.toBe(idc);
    expect(computeIdentityCommitment({ ...base, aud: 'other' })).not.toBe(idc);
    expect(computeIdentityCommitment({ ...base, iss: 'https://appleid.apple.com' })).not.toBe(idc);
    expect(computeIdentityCommitment({ ...base, salt: base.salt + 1n })).not.toBe(idc);
  });

  it('refuses over-long claims and bad salts', () => {
    expect(() => computeIdentityCommitment({ ...base, aud: 'a'.repeat(125) })).toThrow(
      expect.objectContaining({ code: 'CLAIM_TOO_LONG', details: expect.objectContaining({ claim: 'aud' }) }),
    );
    expect(() => computeIdentityCommitment({ ...base, keyClaimValue: 'a'.repeat(125) })).toThrow(
      expect.objectContaining({ code: 'CLAIM_TOO_LONG', details: expect.objectContaining({ claim: 'sub' }) }),
    );
    expect(() => computeIdentityCommitment({ ...base, salt: SALT_MAX })).toThrow(
      expect.objectContaining({ code: 'OUT_OF_RANGE' }),
    );
  });
});
