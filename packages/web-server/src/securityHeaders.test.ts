import { describe, expect, it } from 'vitest';
import { BASE_SECURITY_HEADERS, strictContentSecurityPolicy } from './securityHeaders.ts';

describe('strictContentSecurityPolicy', () => {
  it('denies by default and allows only the own origin for scripts, styles and fetches', () => {
    expect(strictContentSecurityPolicy({ images: ["'self'", 'data:'] })).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'",
    );
  });

  it('adds font-src only when fonts are given, after img-src', () => {
    const csp = strictContentSecurityPolicy({ images: ["'self'", 'https:'], fonts: ["'self'"] });
    expect(csp).toContain("img-src 'self' https:; font-src 'self'; connect-src 'self'");
    expect(strictContentSecurityPolicy({ images: [] })).not.toContain('font-src');
    expect(csp).not.toContain('unsafe-inline');
  });
});

describe('BASE_SECURITY_HEADERS', () => {
  it('forbids sniffing, referrers and framing', () => {
    expect(BASE_SECURITY_HEADERS).toEqual({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    });
  });
});
