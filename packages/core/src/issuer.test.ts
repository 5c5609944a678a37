import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceHashBytes } from '../test/reference.ts';
import { hashIssuer, normalizeIssuer } from './issuer.ts';

describe('normalizeIssuer', () => {
  it('prepends https:// only when no scheme is present', () => {
    expect(normalizeIssuer('accounts.google.com')).toBe('https://accounts.google.com');
    expect(normalizeIssuer('https://accounts.google.com')).toBe('https://accounts.google.com');
    expect(normalizeIssuer('http://127.0.0.1:4000')).toBe('http://127.0.0.1:4000');
  });

  it('does not fold case or trailing slashes', () => {
    expect(normalizeIssuer('https://Example.com/')).toBe('https://Example.com/');
    expect(normalizeIssuer('HTTPS://example.com')).toBe('https://HTTPS://example.com');
  });

  it('is idempotent (property)', () => {
    fc.assert(
      fc.property(fc.string(), (iss) => normalizeIssuer(normalizeIssuer(iss)) === normalizeIssuer(iss)),
    );
  });
});

describe('hashIssuer', () => {
  it('hashes the normalised issuer with maxLen 124', async () => {
    const expected = await referenceHashBytes(new TextEncoder().encode('https://accounts.google.com'), 124);
    expect(hashIssuer('https://accounts.google.com')).toBe(expected);
    expect(hashIssuer('accounts.google.com')).toBe(expected);
  });

  it('refuses an issuer whose normalised form exceeds 124 bytes', () => {
    expect(() => hashIssuer('a'.repeat(120))).toThrow(
      expect.objectContaining({ code: 'CLAIM_TOO_LONG', details: { claim: 'iss', length: 128, max: 124 } }),
    );
  });
});
