// JWKS caching and key rotation against the dev IdP (a real OpenID provider on loopback): a token signed by
// a key published after rotation is accepted (refetch on unknown kid), a key the issuer removed is refused,
// refetches are rate-limited and shared. No proving: prepareProof stops before the worker.
import { computeNonce, decodeJwt, verifyJwtSignature } from '@zksso/core';
import { type DevIdp, startDevIdp } from '@zksso/dev-idp';
import { devLogin } from '@zksso/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JwksCache } from '../src/jwks.ts';
import { prepareProof } from '../src/prepare.ts';
import { parseProveRequest } from '../src/request.ts';
import { makeSecrets, proveBody } from './helpers.ts';

let idp: DevIdp;

beforeAll(async () => {
  idp = await startDevIdp();
});
afterAll(async () => {
  await idp?.stop();
});

async function token(user = 'alice') {
  const secrets = makeSecrets();
  const jwt = await devLogin({ issuerUrl: idp.issuer, user, nonce: secrets.nonce });
  return { jwt, secrets, kid: decodeJwt(jwt).header.kid };
}

describe('JwksCache with the dev IdP', () => {
  it('discovers the JWKS, accepts a key published by a rotation and refuses the removed key', async () => {
    const jwks = new JwksCache([{ issuer: idp.issuer }], {
      ttlMs: 3_600_000,
      minRefetchMs: 0,
      timeoutMs: 5_000,
    });
    const before = await token();
    const [oldKey] = await jwks.keysFor(idp.issuer, before.kid);
    expect(oldKey?.kid).toBe(before.kid);
    expect(await verifyJwtSignature(decodeJwt(before.jwt), oldKey as never)).toBe(true);
    expect(jwks.fetchCount(idp.issuer)).toBe(1);

    const rotation = await idp.rotateKeys(); // no overlap: the old key leaves the JWKS at once
    expect(rotation.retiredKids).toContain(before.kid);
    const after = await token();
    expect(after.kid).toBe(rotation.kid);
    // The cached set does not know the new kid: one refetch, then it verifies.
    const [newKey] = await jwks.keysFor(idp.issuer, after.kid);
    expect(jwks.fetchCount(idp.issuer)).toBe(2);
    expect(await verifyJwtSignature(decodeJwt(after.jwt), newKey as never)).toBe(true);

    // The old token's key is gone from the refreshed set: refused even though it was cached before.
    await expect(jwks.keysFor(idp.issuer, before.kid)).rejects.toMatchObject({ code: 'JWT_KID_UNKNOWN' });
  });

  it('rate-limits refetches on unknown kids and shares concurrent fetches', async () => {
    const jwks = new JwksCache([{ issuer: idp.issuer }], {
      ttlMs: 3_600_000,
      minRefetchMs: 60_000,
      timeoutMs: 5_000,
    });
    const { kid } = await token();
    await Promise.all([1, 2, 3, 4].map(() => jwks.keysFor(idp.issuer, kid)));
    expect(jwks.fetchCount(idp.issuer)).toBe(1);
    for (let i = 0; i < 5; i++) {
      await expect(jwks.keysFor(idp.issuer, `bogus-${i}`)).rejects.toMatchObject({ code: 'JWT_KID_UNKNOWN' });
    }
    expect(jwks.fetchCount(idp.issuer)).toBe(1);
  });

  it('refetches a set older than its TTL', async () => {
    let now = 1_000_000;
    const jwks = new JwksCache([{ issuer: idp.issuer }], {
      ttlMs: 60_000,
      minRefetchMs: 1_000,
      timeoutMs: 5_000,
      now: () => now,
    });
    const { kid } = await token();
    await jwks.keysFor(idp.issuer, kid);
    now += 30_000;
    await jwks.keysFor(idp.issuer, kid);
    expect(jwks.fetchCount(idp.issuer)).toBe(1);
    now += 31_000;
    await jwks.keysFor(idp.issuer, kid);
    expect(jwks.fetchCount(idp.issuer)).toBe(2);
  });
});

describe('prepareProof with the dev IdP', () => {
  it('accepts a fresh token after rotation and refuses the rotated-out one', async () => {
    const jwks = new JwksCache([{ issuer: idp.issuer }], {
      ttlMs: 3_600_000,
      minRefetchMs: 0,
      timeoutMs: 5_000,
    });
    const context = {
      jwks,
      tiers: [1024],
      maxExpirySeconds: 86_400,
      audiences: [{ audience: 'zksso-dev', issuer: idp.issuer }],
      clockSkewSeconds: 60,
    };
    const before = await token('bob');
    const prepared = await prepareProof(parseProveRequest(proveBody(before.jwt, before.secrets)), context);
    expect(prepared.tier).toBe(1024);
    expect(prepared.issuer).toBe(idp.issuer);
    expect(prepared.publicInputs).toHaveLength(6);

    await idp.rotateKeys();
    const after = await token('bob');
    const again = await prepareProof(parseProveRequest(proveBody(after.jwt, after.secrets)), context);
    expect(again.modulusHash).not.toBe(prepared.modulusHash);
    await expect(
      prepareProof(parseProveRequest(proveBody(before.jwt, before.secrets)), context),
    ).rejects.toMatchObject({ code: 'JWT_KID_UNKNOWN' });
  });

  it('checks the nonce against the request (computeNonce)', async () => {
    const jwks = new JwksCache([{ issuer: idp.issuer }], {
      ttlMs: 3_600_000,
      minRefetchMs: 0,
      timeoutMs: 5_000,
    });
    const { jwt, secrets } = await token();
    expect(computeNonce(secrets)).toBe(secrets.nonce);
    const other = { ...secrets, expiry: secrets.expiry + 1n };
    await expect(
      prepareProof(parseProveRequest(proveBody(jwt, other)), {
        jwks,
        tiers: [1024],
        maxExpirySeconds: 86_400,
        audiences: [{ audience: 'zksso-dev' }],
        clockSkewSeconds: 60,
      }),
    ).rejects.toMatchObject({ code: 'NONCE_MISMATCH' });
  });
});
