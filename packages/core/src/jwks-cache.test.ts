import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { JwksCache } from './jwks-cache.ts';
import type { RsaJwk } from './rsa.ts';

const rsaJwk = (kid: string, bits = 2048): RsaJwk => {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return { ...(publicKey.export({ format: 'jwk' }) as RsaJwk), kid, alg: 'RS256', use: 'sig' };
};
const issuer = 'https://idp.example';
const [first, second] = [rsaJwk('first'), rsaJwk('second')];

/** A fake issuer: discovery and a JWKS whose keys the test changes; counts JWKS fetches; can go down. */
function fakeIssuer(keys: RsaJwk[]) {
  const state = { keys, down: false, jwksFetches: 0, discoveries: 0 };
  const fetch: typeof globalThis.fetch = async (input) => {
    const url = String(input);
    if (state.down) throw new TypeError('fetch failed');
    if (url === `${issuer}/.well-known/openid-configuration`) {
      state.discoveries++;
      return Response.json({ issuer, jwks_uri: `${issuer}/keys` });
    }
    state.jwksFetches++;
    return Response.json({ keys: state.keys });
  };
  return { state, fetch };
}

describe('JwksCache', () => {
  it('finds keys by kid (all usable keys without one), discovering the JWKS URI once', async () => {
    const { state, fetch } = fakeIssuer([first, second, rsaJwk('small', 1024)]);
    const cache = new JwksCache({ fetch, ttlMs: 60_000, minRefetchMs: 60_000, timeoutMs: 1_000 });
    expect((await cache.keysFor(issuer, 'second')).map((k) => k.kid)).toEqual(['second']);
    expect((await cache.keysFor(issuer, undefined)).map((k) => k.kid)).toEqual(['first', 'second']);
    expect([state.discoveries, state.jwksFetches, cache.fetchCount(issuer)]).toEqual([1, 1, 1]);
  });

  it('refetches for an unknown kid at most once per minRefetchMs, and answers JWT_KID_UNKNOWN', async () => {
    let now = 0;
    const { state, fetch } = fakeIssuer([first]);
    const cache = new JwksCache({
      fetch,
      ttlMs: 60_000,
      minRefetchMs: 1_000,
      timeoutMs: 1_000,
      now: () => now,
    });
    await cache.keysFor(issuer, 'first');
    now = 2_000;
    state.keys = [first, second]; // rotated in
    expect((await cache.keysFor(issuer, 'second')).map((k) => k.kid)).toEqual(['second']);
    for (let i = 0; i < 3; i++) {
      await expect(cache.keysFor(issuer, `bogus-${i}`)).rejects.toMatchObject({ code: 'JWT_KID_UNKNOWN' });
    }
    expect(state.jwksFetches).toBe(2); // the bogus kids within minRefetchMs cost no fetch
  });

  it('names an RS256 key it cannot prove with JWK_UNSUPPORTED, not JWT_KID_UNKNOWN', async () => {
    const { fetch } = fakeIssuer([first, rsaJwk('small', 1024)]);
    const cache = new JwksCache({ fetch, ttlMs: 60_000, minRefetchMs: 0, timeoutMs: 1_000 });
    await expect(cache.keysFor(issuer, 'small')).rejects.toMatchObject({ code: 'JWK_UNSUPPORTED' });
  });

  it('keeps serving cached keys when a stale refresh fails, and fails JWKS_UNAVAILABLE with nothing cached', async () => {
    let now = 0;
    const { state, fetch } = fakeIssuer([first]);
    const cache = new JwksCache({ fetch, ttlMs: 100, minRefetchMs: 0, timeoutMs: 1_000, now: () => now });
    await cache.keysFor(issuer, 'first');
    state.down = true;
    now = 1_000;
    expect((await cache.keysFor(issuer, 'first')).map((k) => k.kid)).toEqual(['first']);
    const fresh = new JwksCache({ fetch, ttlMs: 100, minRefetchMs: 0, timeoutMs: 1_000 });
    await expect(fresh.keysFor(issuer, 'first')).rejects.toMatchObject({
      code: 'JWKS_UNAVAILABLE',
      kind: 'unreachable',
    });
  });

  it('uses a configured JWKS URI without discovery, and shares one fetch between concurrent lookups', async () => {
    const { state, fetch } = fakeIssuer([first]);
    const cache = new JwksCache({
      fetch,
      ttlMs: 60_000,
      minRefetchMs: 60_000,
      timeoutMs: 1_000,
      jwksUris: { [issuer]: `${issuer}/keys` },
    });
    await Promise.all([cache.keysFor(issuer, 'first'), cache.keysFor(issuer, 'first')]);
    expect([state.discoveries, state.jwksFetches]).toEqual([0, 1]);
  });
});
