// TOKEN_NOT_YET_VALID from `nbf` alone: the token's `iat` is the current time, only its `nbf` is in the
// future. (salt-service.test.ts also sends a future `iat`, which fails the same code by another check.)
import { generateSigningKey, startDevIdp } from '@zksso/dev-idp';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SaltService, startSaltService } from '../src/index.ts';
import { errorCode, postSalt, signTestToken, silentLogger, testConfig } from './helpers.ts';

const TOLERANCE_S = 30;
const key = generateSigningKey();
let idp: Awaited<ReturnType<typeof startDevIdp>>;
let service: SaltService;

beforeAll(async () => {
  idp = await startDevIdp({ keys: [key] });
  service = await startSaltService({
    config: testConfig(idp, { SALT_CLOCK_TOLERANCE_S: String(TOLERANCE_S) }),
    logger: silentLogger,
  });
});
afterAll(async () => {
  await service?.close();
  await idp?.stop();
});

describe('nbf alone in the future', () => {
  it('answers 401 TOKEN_NOT_YET_VALID naming nbf, for a token issued now', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await signTestToken(idp, key, { times: { iat: now, nbf: now + TOLERANCE_S + 600 } });
    const claims = decodeJwt(token);
    expect(claims.iat).toBe(now); // the iat check alone would accept it
    expect(claims.nbf).toBe(now + TOLERANCE_S + 600);

    const answer = await postSalt(service.url, { token });
    expect([answer.status, errorCode(answer)]).toEqual([401, 'TOKEN_NOT_YET_VALID']);
    expect((answer.body.error as { message: string }).message).toMatch(/nbf/);
    expect(JSON.stringify(answer.body)).not.toContain(token);
  });

  it('accepts the same token shape when nbf is past or within the clock tolerance', async () => {
    const now = Math.floor(Date.now() / 1000);
    const past = await postSalt(service.url, {
      token: await signTestToken(idp, key, { times: { iat: now, nbf: now - 60 } }),
    });
    expect(past.status).toBe(200);
    // Within the leeway: a few seconds of clock skew between the IdP and this service is tolerated.
    const skewed = await postSalt(service.url, {
      token: await signTestToken(idp, key, { times: { iat: now, nbf: now + 5 } }),
    });
    expect(skewed.status).toBe(200);
    expect(skewed.body.salt).toBe(past.body.salt);
  });
});
