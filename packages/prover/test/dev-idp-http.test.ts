// The prover service against the dev IdP over HTTP (no proving: a stand-in prove module answers after the
// checks): JWKS rotation through `POST /dev/rotate-keys` (a token from the new key is accepted at once, a
// token from a key the issuer removed is refused, an overlapping key keeps working), and the error codes a
// real provider's tokens can meet. Malformed tokens a provider never issues are in errors.test.ts.
import { decodeJwt } from '@zksso/core';
import { type DevIdp, startDevIdp } from '@zksso/dev-idp';
import { devLogin } from '@zksso/sdk';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ProverConfig } from '../src/config.ts';
import { createProverService, type ProverService, type TierKeys } from '../src/server.ts';
import { makeSecrets, postProve, proveBody } from './helpers.ts';

const TIER = 1024;
const fakeTier = async (tier: number): Promise<TierKeys> => ({
  tier,
  wasmPath: '/nonexistent.wasm',
  zkeyPath: '/nonexistent.zkey',
  vkey: { protocol: 'groth16', curve: 'bn128', nPublic: 6 },
});
const FAKE_PROVE = new URL('./fake-prove.ts', import.meta.url).href;

let idp: DevIdp;
let service: ProverService;
let url: string;

function config(overrides: Partial<ProverConfig> = {}): ProverConfig {
  return {
    ...DEFAULT_CONFIG,
    port: 0,
    tiers: [TIER],
    concurrency: 1,
    queueSize: 4,
    maxExpirySeconds: 86_400,
    // Every unknown kid may refetch at once (the rate limit is tested in jwks.test.ts).
    jwksMinRefetchMs: 0,
    shutdownTimeoutMs: 10_000,
    issuers: [{ issuer: idp.issuer }],
    audiences: [{ audience: 'zksso-dev', issuer: idp.issuer }],
    ...overrides,
  };
}

beforeAll(async () => {
  idp = await startDevIdp();
  service = createProverService(config(), {
    loadTier: fakeTier,
    proveModule: FAKE_PROVE,
    logger: pino({ level: 'silent' }),
  });
  url = await service.listen();
});

afterAll(async () => {
  await service?.close();
  await idp?.stop();
});

async function login(user = 'alice', options: { expiry?: bigint; scope?: string } = {}) {
  const secrets = makeSecrets(options.expiry);
  const jwt = await devLogin({
    issuerUrl: idp.issuer,
    user,
    nonce: secrets.nonce,
    ...(options.scope ? { scope: options.scope } : {}),
  });
  return { secrets, jwt, kid: decodeJwt(jwt).header.kid, body: proveBody(jwt, secrets) };
}

/** Rotates the dev IdP's signing key over HTTP, as an operator's test script would. */
async function rotate(overlapMs = 0): Promise<{ kid: string; retiredKids: string[] }> {
  const answer = await fetch(`${idp.issuer}/dev/rotate-keys?overlapMs=${overlapMs}`, { method: 'POST' });
  expect(answer.status).toBe(200);
  return (await answer.json()) as { kid: string; retiredKids: string[] };
}

describe('prover service with the dev IdP: JWKS rotation over HTTP', () => {
  it('accepts the new key at once, refuses a removed key, keeps an overlapping key', async () => {
    const before = await login();
    expect((await postProve(url, before.body)).status).toBe(200);

    const rotation = await rotate();
    expect(rotation.retiredKids).toContain(before.kid);
    const after = await login();
    expect(after.kid).toBe(rotation.kid);
    // Unknown kid → one refetch → verified: no restart, no waiting for the TTL.
    const fresh = await postProve(url, after.body);
    expect(fresh.status, JSON.stringify(fresh.body)).toBe(200);
    // The refreshed set no longer has the old key: its token is refused though it verified before.
    const stale = await postProve(url, before.body);
    expect(stale.status).toBe(400);
    expect(stale.body.error?.code).toBe('JWT_KID_UNKNOWN');
    expect(stale.body.error?.details).toMatchObject({ kid: before.kid });

    // With an overlap the previous key stays published: tokens it signed still verify after a refetch.
    const overlap = await rotate(600_000);
    const third = await login();
    expect(third.kid).toBe(overlap.kid);
    expect((await postProve(url, third.body)).status).toBe(200);
    expect((await postProve(url, after.body)).status).toBe(200);

    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('zksso_prover_errors_total{code="JWT_KID_UNKNOWN"} 1');
  });
});

describe('prover service with the dev IdP: error codes of real tokens', () => {
  async function expectCode(body: unknown, code: string, target = url) {
    const answer = await postProve(target, body);
    expect(answer.body.error?.code, JSON.stringify(answer.body)).toBe(code);
    expect(answer.status).toBe(400);
    expect(answer.body.error?.message.length).toBeGreaterThan(10);
    return answer;
  }

  it('NONCE_MISMATCH, JWT_SIGNATURE_INVALID, EXPIRY_INVALID, EMAIL_NOT_VERIFIED', async () => {
    const { body, secrets } = await login('bob');
    await expectCode({ ...body, jwtRandomness: (secrets.randomness + 1n).toString() }, 'NONCE_MISMATCH');
    // bob's token with alice's signature: same key, wrong bytes.
    const alice = await login('alice');
    const [h, p] = body.jwt.split('.');
    const forged = `${h}.${p}.${alice.jwt.split('.')[2]}`;
    await expectCode({ ...body, jwt: forged }, 'JWT_SIGNATURE_INVALID');
    const far = await login('bob', { expiry: BigInt(Math.floor(Date.now() / 1000) + 2 * 86_400) });
    await expectCode(far.body, 'EXPIRY_INVALID');
    // carol's email is not verified: she cannot prove with keyClaimName email (sub is fine).
    const carol = await login('carol');
    await expectCode({ ...carol.body, keyClaimName: 'email' }, 'EMAIL_NOT_VERIFIED');
    expect((await postProve(url, carol.body)).status).toBe(200);
  });

  it('ISSUER_NOT_ALLOWED when the dev IdP is not on the allow-list', async () => {
    const other = createProverService(config({ issuers: [{ issuer: 'https://accounts.google.com' }] }), {
      loadTier: fakeTier,
      proveModule: FAKE_PROVE,
      logger: pino({ level: 'silent' }),
    });
    try {
      const otherUrl = await other.listen();
      const { body } = await login();
      const answer = await expectCode(body, 'ISSUER_NOT_ALLOWED', otherUrl);
      expect(answer.body.error?.details).toMatchObject({ iss: idp.issuer });
    } finally {
      await other.close();
    }
  });
});
