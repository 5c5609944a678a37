import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { JwksUnavailableError } from './errors.ts';
import { discoverJwksUri, fetchJwks, filterJwks } from './jwks.ts';
import { modulusFromJwk, modulusHash, type RsaJwk } from './rsa.ts';

function rsaJwk(bits: number, kid: string): RsaJwk {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return { ...(publicKey.export({ format: 'jwk' }) as RsaJwk), kid, alg: 'RS256', use: 'sig' };
}

const good = rsaJwk(2048, 'good');

describe('filterJwks', () => {
  it('keeps RS256 2048-bit signature keys (use and alg may be absent) and skips the others with a reason', () => {
    const { use: _u, alg: _a, ...bare } = rsaJwk(2048, 'bare');
    const { publicKey: ec } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const set = filterJwks({
      keys: [
        good,
        bare,
        rsaJwk(1024, 'small'),
        { ...rsaJwk(2048, 'e3'), e: 'Aw' },
        { ...rsaJwk(2048, 'ps'), alg: 'PS256' },
        { ...rsaJwk(2048, 'enc'), use: 'enc' },
        { ...(ec.export({ format: 'jwk' }) as object), kid: 'ec' },
        null,
      ],
    });
    expect(set.keys.map((k) => k.kid)).toEqual(['good', 'bare']);
    expect(set.keys[0]).toEqual({
      kid: 'good',
      jwk: good,
      modulus: modulusFromJwk(good),
      modulusHash: modulusHash(modulusFromJwk(good)),
    });
    expect(set.skipped.map((s) => [s.kid, s.unprovable])).toEqual([
      ['small', true],
      ['e3', true],
      ['ps', false],
      ['enc', false],
      ['ec', false],
      ['#7', false],
    ]);
    expect(set.skipped.map((s) => s.reason)).toEqual([
      'modulus must be 2048 bits',
      'e must be 65537 (AQAB)',
      'alg must be RS256',
      'use is enc, not sig',
      'kty must be RSA',
      'kty must be RSA',
    ]);
    expect(set.skipped.every((s) => s.error.code === 'JWK_UNSUPPORTED')).toBe(true);
    expect(set.skipped.at(-1)?.hasKid).toBe(false);
  });

  it('refuses documents that are not a JWKS with JWKS_INVALID', () => {
    for (const doc of [null, 'x', {}, { keys: 'no' }]) {
      expect(() => filterJwks(doc)).toThrow(expect.objectContaining({ code: 'JWKS_INVALID' }));
    }
  });
});

describe('fetchJwks', () => {
  const url = 'https://idp.example/jwks';

  it('fetches and filters a key set, asking for JSON', async () => {
    let accept: string | null = null;
    const set = await fetchJwks(url, {
      timeoutMs: 1_000,
      fetch: async (_input, init) => {
        accept = new Headers(init?.headers).get('accept');
        return Response.json({ keys: [good, { ...good, kid: 'enc', use: 'enc' }] });
      },
    });
    expect(set.keys.map((k) => k.kid)).toEqual(['good']);
    expect(set.skipped.map((k) => k.kid)).toEqual(['enc']);
    expect(accept).toBe('application/json');
  });

  it('turns network failures, HTTP errors, bad JSON and non-JWKS bodies into JWKS_UNAVAILABLE with a kind', async () => {
    const cases: [typeof fetch, string, RegExp][] = [
      [
        async () => {
          throw new TypeError('fetch failed');
        },
        'unreachable',
        /fetch failed/,
      ],
      [async () => new Response('{}', { status: 503 }), 'http', /HTTP 503/],
      [async () => new Response('<html>', { status: 200 }), 'not-json', /not JSON/],
      [async () => Response.json({ keys: 'none' }), 'not-jwks', /not a JWKS/],
    ];
    for (const [fake, kind, reason] of cases) {
      const error = await fetchJwks(url, { timeoutMs: 1_000, fetch: fake }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JwksUnavailableError);
      expect(error).toMatchObject({
        code: 'JWKS_UNAVAILABLE',
        kind,
        details: { url, kind, reason: expect.stringMatching(reason) },
      });
    }
  });

  it('gives up after the time limit (kind unreachable, reason timed out)', async () => {
    const hang: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      );
    await expect(fetchJwks(url, { timeoutMs: 20, fetch: hang })).rejects.toMatchObject({
      kind: 'unreachable',
      reason: 'timed out',
    });
  });
});

describe('discoverJwksUri', () => {
  const issuer = 'https://idp.example/tenant';
  const serving =
    (document: unknown, seen: string[] = []): typeof fetch =>
    async (input) => {
      seen.push(String(input));
      return Response.json(document);
    };

  it('reads jwks_uri from the discovery document, with or without a trailing slash on the issuer', async () => {
    for (const configured of [issuer, `${issuer}/`]) {
      const seen: string[] = [];
      const uri = await discoverJwksUri(configured, {
        timeoutMs: 1_000,
        fetch: serving({ issuer, jwks_uri: `${issuer}/keys` }, seen),
      });
      expect(uri).toBe(`${issuer}/keys`);
      expect(seen).toEqual([`${issuer}/.well-known/openid-configuration`]);
    }
  });

  it('treats an issuer without scheme as https (protocol §3)', async () => {
    const seen: string[] = [];
    await discoverJwksUri('idp.example', {
      timeoutMs: 1_000,
      fetch: serving({ issuer: 'https://idp.example', jwks_uri: 'https://idp.example/keys' }, seen),
    });
    expect(seen).toEqual(['https://idp.example/.well-known/openid-configuration']);
  });

  it('refuses a document of another issuer, without issuer or without jwks_uri (kind discovery)', async () => {
    for (const document of [
      { issuer: 'https://evil.example', jwks_uri: 'https://evil.example/keys' },
      { jwks_uri: `${issuer}/keys` },
      { issuer },
    ]) {
      await expect(
        discoverJwksUri(issuer, { timeoutMs: 1_000, fetch: serving(document) }),
      ).rejects.toMatchObject({ code: 'JWKS_UNAVAILABLE', kind: 'discovery' });
    }
  });
});
