import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashIssuer, modulusFromJwk, modulusHash, type RsaJwk } from '@zksso/core';
import { describe, expect, it } from 'vitest';
import { discoveryUrl, fetchJson, parseJwks } from './jwks.ts';
import { loadAbsenceState, saveAbsenceState } from './state.ts';

function rsaJwk(bits: number, kid: string): RsaJwk {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return { ...(publicKey.export({ format: 'jwk' }) as RsaJwk), kid, alg: 'RS256', use: 'sig' };
}

describe('parseJwks', () => {
  it('keeps RS256 2048-bit signature keys and skips the others with a reason', () => {
    const good = rsaJwk(2048, 'good');
    const { publicKey: ec } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const set = parseJwks({
      keys: [
        good,
        { ...good, kid: 'same-modulus' },
        rsaJwk(3072, 'big'),
        { ...rsaJwk(2048, 'ps'), alg: 'PS256' },
        { ...rsaJwk(2048, 'enc'), use: 'enc' },
        { ...(ec.export({ format: 'jwk' }) as object), kid: 'ec' },
      ],
    });
    expect(set.keys).toEqual([{ kid: 'good', modulusHash: modulusHash(modulusFromJwk(good)) }]);
    expect(set.skipped.map((s) => s.kid)).toEqual(['big', 'ps', 'enc', 'ec']);
    expect(set.skipped[0]?.reason).toContain('2048');
  });

  it('computes the modulus hash of the protocol test vector (zksso/v1 §7, §13)', () => {
    // The literals of packages/core/test/vectors.ts (VECTOR_MODULUS and its modulusHash), copied so that a change
    // of the oracle's hashing cannot follow a change of core unnoticed.
    const n = (1n << 2047n) + 0x1234567890abcdefn * (1n << 1000n) + 65537n * 12345678901234567890n + 1n;
    const jwk = { kty: 'RSA', kid: 'vector', alg: 'RS256', use: 'sig', e: 'AQAB' };
    const set = parseJwks({
      keys: [{ ...jwk, n: Buffer.from(n.toString(16), 'hex').toString('base64url') }],
    });
    expect(set.keys).toEqual([
      {
        kid: 'vector',
        modulusHash: 10433140813517316143230948922017333061357960601987878537526088033712420086394n,
      },
    ]);
  });

  it('rejects documents that are not a JWKS', () => {
    for (const doc of [null, 'x', {}, { keys: 'no' }]) expect(() => parseJwks(doc)).toThrow(/not a JWKS/);
  });
});

describe('fetchJson', () => {
  it('turns HTTP errors, bad JSON and network failures into JWKS_FETCH_FAILED', async () => {
    const issuer = 'https://idp.example';
    const cases: [typeof fetch, RegExp][] = [
      [async () => new Response('{}', { status: 503 }), /HTTP 503/],
      [async () => new Response('<html>', { status: 200 }), /not JSON/],
      [
        async () => {
          throw new TypeError('fetch failed');
        },
        /fetch failed/,
      ],
    ];
    for (const [fake, reason] of cases) {
      await expect(
        fetchJson(`${issuer}/jwks`, issuer, { timeoutMs: 1_000, fetch: fake }),
      ).rejects.toMatchObject({
        code: 'JWKS_FETCH_FAILED',
        details: { issuer, url: `${issuer}/jwks`, reason: expect.stringMatching(reason) },
      });
    }
  });
});

describe('discoveryUrl', () => {
  it('normalises the issuer (protocol §4) and drops a trailing slash', () => {
    expect(discoveryUrl('accounts.google.com')).toBe(
      'https://accounts.google.com/.well-known/openid-configuration',
    );
    expect(discoveryUrl('https://idp.example/tenant/')).toBe(
      'https://idp.example/tenant/.well-known/openid-configuration',
    );
    expect(hashIssuer('accounts.google.com')).toBe(hashIssuer('https://accounts.google.com'));
  });
});

describe('absence state file', () => {
  it('round-trips the clocks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwk-oracle-state-'));
    try {
      const path = join(dir, 'nested', 'state.json');
      expect(loadAbsenceState(path).size).toBe(0);
      const state = new Map([[5n, new Map([[7n, 1234]])]]);
      saveAbsenceState(path, state);
      expect(loadAbsenceState(path)).toEqual(state);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
