import { Writable } from 'node:stream';
import { DEV_CLIENT_ID_OTHER, type DevIdp, generateSigningKey, startDevIdp } from '@zksso/dev-idp';
import { importJWK, SignJWT } from 'jose';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore, type SaltService, type SaltStore, startSaltService } from '../src/index.ts';
import {
  errorCode,
  postSalt,
  randomSeedHex,
  silentLogger,
  testConfig,
  tokenFor,
  unusedPort,
} from './helpers.ts';

const signingKey = generateSigningKey();
let idp: DevIdp;
let otherIdp: DevIdp;

beforeAll(async () => {
  // The test holds the IdP's private key so it can also sign tokens with odd claims (nbf, iat, aud array).
  idp = await startDevIdp({ keys: [signingKey] });
  otherIdp = await startDevIdp();
});
afterAll(async () => {
  await idp.stop();
  await otherIdp.stop();
});

async function craftToken(claims: Record<string, unknown>): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sub: '100000000000000000001', nonce: 'n', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: signingKey.kid })
    .setIssuer(idp.issuer)
    .setAudience((claims.aud as string | string[] | undefined) ?? 'zksso-dev')
    .setIssuedAt((claims.iat as number | undefined) ?? now)
    .setExpirationTime((claims.exp as number | undefined) ?? now + 600)
    .sign(await importJWK(signingKey, 'RS256'));
}

describe('salt service, stored mode (SQLite)', () => {
  let service: SaltService;
  beforeAll(async () => {
    service = await startSaltService({
      config: testConfig(idp, { SALT_AUDIENCES: `zksso-dev,${DEV_CLIENT_ID_OTHER}` }),
      logger: silentLogger,
    });
  });
  afterAll(async () => {
    await service.close();
  });

  it('answers the same salt for every token of a user, and different salts for other users or audiences', async () => {
    const first = await postSalt(service.url, { token: await tokenFor(idp, 'alice') });
    const again = await postSalt(service.url, { token: await tokenFor(idp, 'alice') });
    const bob = await postSalt(service.url, { token: await tokenFor(idp, 'bob') });
    const otherAud = await postSalt(service.url, {
      token: await tokenFor(idp, 'alice', DEV_CLIENT_ID_OTHER),
    });
    expect(first.status).toBe(200);
    expect(first.body.salt).toMatch(/^\d+$/);
    expect(BigInt(first.body.salt as string) < 2n ** 128n).toBe(true);
    expect(BigInt(first.body.saltHex as string)).toBe(BigInt(first.body.salt as string));
    expect(first.body.saltHex).toMatch(/^0x[0-9a-f]{64}$/);
    expect(again.body.salt).toBe(first.body.salt);
    expect(bob.body.salt).not.toBe(first.body.salt);
    expect(otherAud.body.salt).not.toBe(first.body.salt);
  });

  it('keys the salt by verified email when asked', async () => {
    const bySub = await postSalt(service.url, { token: await tokenFor(idp, 'bob') });
    const byEmail = await postSalt(service.url, { token: await tokenFor(idp, 'bob'), keyClaimName: 'email' });
    const byEmailAgain = await postSalt(service.url, {
      token: await tokenFor(idp, 'bob'),
      keyClaimName: 'email',
    });
    expect(byEmail.status).toBe(200);
    expect(byEmail.body.salt).toBe(byEmailAgain.body.salt);
    expect(byEmail.body.salt).not.toBe(bySub.body.salt);
  });

  it('refuses malformed requests: BAD_REQUEST, PAYLOAD_TOO_LARGE, NOT_FOUND, METHOD_NOT_ALLOWED', async () => {
    expect(errorCode(await postSalt(service.url, 'not json'))).toBe('BAD_REQUEST');
    expect(errorCode(await postSalt(service.url, { nope: 1 }))).toBe('BAD_REQUEST');
    expect(errorCode(await postSalt(service.url, { token: 'x', keyClaimName: 7 }))).toBe('BAD_REQUEST');
    const large = await postSalt(service.url, { token: 'a'.repeat(20_000) });
    expect([large.status, errorCode(large)]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const missing = await fetch(`${service.url}/nothing`);
    expect([missing.status, ((await missing.json()) as { error: { code: string } }).error.code]).toEqual([
      404,
      'NOT_FOUND',
    ]);
    const wrongMethod = await fetch(`${service.url}/get_salt`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect(((await wrongMethod.json()) as { error: { code: string } }).error.code).toBe('METHOD_NOT_ALLOWED');
    const postHealth = await fetch(`${service.url}/health`, { method: 'POST' });
    expect([postHealth.status, postHealth.headers.get('allow')]).toEqual([405, 'GET']);
    expect(postHealth.headers.get('content-type')).toBe('application/json');
  });

  it('answers 415 UNSUPPORTED_MEDIA_TYPE for a body not declared as JSON, even when it parses as JSON', async () => {
    const token = await tokenFor(idp, 'alice');
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      undefined,
    ]) {
      const answer = await fetch(`${service.url}/get_salt`, {
        method: 'POST',
        // undefined: fetch sends a string body as text/plain; a Blob without a type sends no content-type.
        ...(type ? { headers: { 'content-type': type } } : {}),
        body: type ? JSON.stringify({ token }) : new Blob([JSON.stringify({ token })]),
      });
      expect(answer.status, String(type)).toBe(415);
      expect(answer.headers.get('content-type')).toBe('application/json');
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe(
        'UNSUPPORTED_MEDIA_TYPE',
      );
    }
    // JSON with parameters or a +json type is accepted.
    for (const type of [
      'application/json; charset=utf-8',
      'Application/JSON',
      'application/merge-patch+json',
    ]) {
      const answer = await fetch(`${service.url}/get_salt`, {
        method: 'POST',
        headers: { 'content-type': type },
        body: JSON.stringify({ token }),
      });
      expect(answer.status, type).toBe(200);
      expect(((await answer.json()) as { salt: string }).salt).toMatch(/^\d+$/);
    }
  });

  it('refuses invalid tokens: INVALID_TOKEN for garbage, a forged signature and a non-RS256 token', async () => {
    const garbage = await postSalt(service.url, { token: 'abc.def.ghi' });
    expect([garbage.status, errorCode(garbage)]).toEqual([401, 'INVALID_TOKEN']);
    const token = await tokenFor(idp, 'alice');
    const [header, payload] = token.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload as string, 'base64url').toString()),
        sub: 'someone-else',
      }),
    ).toString('base64url');
    const forged = await postSalt(service.url, {
      token: `${header}.${forgedPayload}.${token.split('.')[2]}`,
    });
    expect(errorCode(forged)).toBe('INVALID_TOKEN');
    const hs256 = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(idp.issuer)
      .setAudience('zksso-dev')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new Uint8Array(32));
    expect(errorCode(await postSalt(service.url, { token: hs256 }))).toBe('INVALID_TOKEN');
  });

  it('refuses tokens of other issuers and audiences: ISSUER_NOT_ALLOWED, AUDIENCE_NOT_ALLOWED', async () => {
    const otherIssuer = await postSalt(service.url, { token: await tokenFor(otherIdp, 'alice') });
    expect([otherIssuer.status, errorCode(otherIssuer)]).toEqual([403, 'ISSUER_NOT_ALLOWED']);
    const arrayAud = await postSalt(service.url, { token: await craftToken({ aud: ['zksso-dev', 'x'] }) });
    expect(errorCode(arrayAud)).toBe('AUDIENCE_NOT_ALLOWED');
    const unknownAud = await postSalt(service.url, { token: await craftToken({ aud: 'someone-elses-app' }) });
    expect([unknownAud.status, errorCode(unknownAud)]).toEqual([403, 'AUDIENCE_NOT_ALLOWED']);
    // The crafted tokens are otherwise valid: the same signer with an allowed aud gets a salt.
    expect((await postSalt(service.url, { token: await craftToken({}) })).status).toBe(200);
  });

  it('checks time claims: TOKEN_EXPIRED, TOKEN_NOT_YET_VALID (nbf and iat)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await postSalt(service.url, {
      token: await craftToken({ iat: now - 7200, exp: now - 3600 }),
    });
    expect([expired.status, errorCode(expired)]).toEqual([401, 'TOKEN_EXPIRED']);
    const notYet = await postSalt(service.url, { token: await craftToken({ nbf: now + 3600 }) });
    expect(errorCode(notYet)).toBe('TOKEN_NOT_YET_VALID');
    const future = await postSalt(service.url, {
      token: await craftToken({ iat: now + 3600, exp: now + 7200 }),
    });
    expect(errorCode(future)).toBe('TOKEN_NOT_YET_VALID');
  });

  it('refuses email as key claim when unverified or not a known claim: EMAIL_NOT_VERIFIED, KEY_CLAIM_NOT_ALLOWED', async () => {
    const carol = await postSalt(service.url, { token: await tokenFor(idp, 'carol'), keyClaimName: 'email' });
    expect([carol.status, errorCode(carol)]).toEqual([403, 'EMAIL_NOT_VERIFIED']);
    const carolBySub = await postSalt(service.url, { token: await tokenFor(idp, 'carol') });
    expect(carolBySub.status).toBe(200);
    const phone = await postSalt(service.url, { token: await tokenFor(idp, 'alice'), keyClaimName: 'phone' });
    expect([phone.status, errorCode(phone)]).toEqual([400, 'KEY_CLAIM_NOT_ALLOWED']);
  });

  it('refuses claims longer than a proof can carry: CLAIM_TOO_LONG (422), the 124-byte limit itself passes', async () => {
    const longSub = await postSalt(service.url, { token: await craftToken({ sub: '1'.repeat(125) }) });
    expect([longSub.status, errorCode(longSub)]).toEqual([422, 'CLAIM_TOO_LONG']);
    expect((longSub.body.error as { message: string }).message).toMatch(
      /^sub is 125 bytes long; at most 124/,
    );
    expect(JSON.stringify(longSub.body)).not.toContain('1'.repeat(125));
    const longEmail = await postSalt(service.url, {
      token: await craftToken({ email: `${'e'.repeat(120)}@x.example`, email_verified: true }),
      keyClaimName: 'email',
    });
    expect([longEmail.status, errorCode(longEmail)]).toEqual([422, 'CLAIM_TOO_LONG']);
    const atLimit = await postSalt(service.url, { token: await craftToken({ sub: '2'.repeat(124) }) });
    expect(atLimit.status).toBe(200);
  });

  it('serves /health and Prometheus /metrics', async () => {
    const health = await fetch(`${service.url}/health`);
    expect(await health.json()).toEqual({
      status: 'ok',
      version: 'zksso/v1',
      mode: 'stored',
      store: 'sqlite',
    });
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/salt_http_requests_total\{route="\/get_salt",status="200",code="OK"\} [1-9]/);
    expect(metrics).toMatch(
      /salt_http_requests_total\{route="\/get_salt",status="403",code="ISSUER_NOT_ALLOWED"\} [1-9]/,
    );
  });
});

describe('salt service, derived mode', () => {
  it('derives the same salt for a user across instances with one seed, another for another aud or seed', async () => {
    const seed = randomSeedHex();
    const env = {
      SALT_MODE: 'derived',
      SALT_MASTER_SEED: seed,
      SALT_AUDIENCES: `zksso-dev,${DEV_CLIENT_ID_OTHER}`,
    };
    const a = await startSaltService({ config: testConfig(idp, env), logger: silentLogger });
    const b = await startSaltService({ config: testConfig(idp, env), logger: silentLogger });
    const c = await startSaltService({
      config: testConfig(idp, { ...env, SALT_MASTER_SEED: randomSeedHex() }),
      logger: silentLogger,
    });
    try {
      const fromA = await postSalt(a.url, { token: await tokenFor(idp, 'alice') });
      const fromB = await postSalt(b.url, { token: await tokenFor(idp, 'alice') });
      const otherAud = await postSalt(a.url, { token: await tokenFor(idp, 'alice', DEV_CLIENT_ID_OTHER) });
      const otherSeed = await postSalt(c.url, { token: await tokenFor(idp, 'alice') });
      const bob = await postSalt(a.url, { token: await tokenFor(idp, 'bob') });
      expect(fromA.status).toBe(200);
      expect(fromB.body.salt).toBe(fromA.body.salt);
      expect(otherAud.body.salt).not.toBe(fromA.body.salt);
      expect(otherSeed.body.salt).not.toBe(fromA.body.salt);
      expect(bob.body.salt).not.toBe(fromA.body.salt);
      expect(await (await fetch(`${a.url}/health`)).json()).toMatchObject({ mode: 'derived', store: null });
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });
});

describe('email key claim switched off', () => {
  it('answers KEY_CLAIM_NOT_ALLOWED (400) for keyClaimName "email" when SALT_ALLOW_EMAIL_KEY_CLAIM=false', async () => {
    const service = await startSaltService({
      config: testConfig(idp, { SALT_ALLOW_EMAIL_KEY_CLAIM: 'false' }),
      logger: silentLogger,
    });
    try {
      const byEmail = await postSalt(service.url, {
        token: await tokenFor(idp, 'alice'),
        keyClaimName: 'email',
      });
      expect([byEmail.status, errorCode(byEmail)]).toEqual([400, 'KEY_CLAIM_NOT_ALLOWED']);
      expect((await postSalt(service.url, { token: await tokenFor(idp, 'alice') })).status).toBe(200);
    } finally {
      await service.close();
    }
  });
});

describe('JWKS rotation', () => {
  it('accepts a token from a rotated-in key and refuses one from a removed key', async () => {
    const rotating = await startDevIdp();
    const service = await startSaltService({
      config: testConfig(rotating, { SALT_JWKS_CACHE_MAX_AGE_MS: '200', SALT_JWKS_COOLDOWN_MS: '0' }),
      logger: silentLogger,
    });
    try {
      const oldToken = await tokenFor(rotating, 'alice');
      const before = await postSalt(service.url, { token: oldToken });
      expect(before.status).toBe(200);
      await rotating.rotateKeys(); // no overlap: the old key leaves the JWKS at once
      const newToken = await tokenFor(rotating, 'alice');
      const rotatedIn = await postSalt(service.url, { token: newToken });
      expect(rotatedIn.status).toBe(200);
      expect(rotatedIn.body.salt).toBe(before.body.salt);
      await new Promise((resolve) => setTimeout(resolve, 300)); // past the JWKS cache age
      const removed = await postSalt(service.url, { token: oldToken });
      expect([removed.status, errorCode(removed)]).toEqual([401, 'INVALID_TOKEN']);
    } finally {
      await service.close();
      await rotating.stop();
    }
  });

  it('answers JWKS_UNAVAILABLE (503) when the issuer cannot be reached', async () => {
    const port = await unusedPort();
    const service = await startSaltService({
      config: testConfig(idp, {
        SALT_ISSUERS: `${idp.issuer}`,
        SALT_JWKS_URIS: `${idp.issuer}=http://127.0.0.1:${port}/jwks`,
        SALT_JWKS_TIMEOUT_MS: '2000',
      }),
      logger: silentLogger,
    });
    try {
      const answer = await postSalt(service.url, { token: await tokenFor(idp, 'alice') });
      expect([answer.status, errorCode(answer)]).toEqual([503, 'JWKS_UNAVAILABLE']);
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await service.close();
    }
  });
});

describe('protection', () => {
  it('rate-limits per client IP with 429 and Retry-After', async () => {
    const service = await startSaltService({
      config: testConfig(idp, { SALT_RATE_IP_PER_MIN: '6', SALT_RATE_IP_BURST: '3' }),
      logger: silentLogger,
    });
    try {
      const token = await tokenFor(idp, 'alice');
      const statuses: number[] = [];
      let limited: Awaited<ReturnType<typeof postSalt>> | undefined;
      for (let i = 0; i < 5; i++) {
        const answer = await postSalt(service.url, { token });
        statuses.push(answer.status);
        if (answer.status === 429) limited = answer;
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(errorCode(limited as never)).toBe('RATE_LIMITED');
      expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      await service.close();
    }
  });

  it('rate-limits per subject: one user is limited, another is not', async () => {
    const service = await startSaltService({
      config: testConfig(idp, { SALT_RATE_SUBJECT_PER_MIN: '2', SALT_RATE_SUBJECT_BURST: '2' }),
      logger: silentLogger,
    });
    try {
      const alice = await tokenFor(idp, 'alice');
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await postSalt(service.url, { token: alice }));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
      expect(errorCode(answers[2] as never)).toBe('RATE_LIMITED');
      expect(Number(answers[2]?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await postSalt(service.url, { token: await tokenFor(idp, 'bob') })).status).toBe(200);
    } finally {
      await service.close();
    }
  });

  it('answers 503 OVERLOADED beyond the in-flight bound, then drains in-flight requests on close', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered: () => void = () => {};
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const sqlite = openSqliteStore(':memory:');
    // A store that holds the first request until the test releases it.
    const slowStore: SaltStore = {
      ...sqlite,
      kind: 'sqlite',
      async getOrCreate(key, candidate) {
        entered();
        await gate;
        return sqlite.getOrCreate(key, candidate);
      },
    };
    const service = await startSaltService({
      config: testConfig(idp, { SALT_MAX_IN_FLIGHT: '1' }),
      store: slowStore,
      logger: silentLogger,
    });
    const token = await tokenFor(idp, 'alice');
    const held = postSalt(service.url, { token });
    await inside;
    const overloaded = await postSalt(service.url, { token });
    expect([overloaded.status, errorCode(overloaded)]).toEqual([503, 'OVERLOADED']);
    expect(overloaded.headers.get('retry-after')).toBe('1');

    let closed = false;
    const closing = service.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closed).toBe(false); // still draining the held request
    await expect(fetch(`${service.url}/health`)).rejects.toThrow(); // no new connections
    release();
    const answer = await held;
    expect(answer.status).toBe(200);
    await closing;
    expect(closed).toBe(true);
  });

  it('answers INTERNAL_ERROR (500) when the store fails, and never logs tokens or salts', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino({ level: 'info' }, sink);
    const sqlite = openSqliteStore(':memory:');
    let fail = false;
    const flakyStore: SaltStore = {
      ...sqlite,
      kind: 'sqlite',
      async getOrCreate(key, candidate) {
        if (fail) throw new Error('disk I/O error');
        return sqlite.getOrCreate(key, candidate);
      },
    };
    const service = await startSaltService({ config: testConfig(idp), store: flakyStore, logger });
    try {
      const token = await tokenFor(idp, 'alice');
      const ok = await postSalt(service.url, { token });
      expect(ok.status).toBe(200);
      fail = true;
      const failed = await postSalt(service.url, { token });
      expect([failed.status, errorCode(failed)]).toEqual([500, 'INTERNAL_ERROR']);
      const log = lines.join('');
      expect(log).toContain('"code":"INTERNAL_ERROR"');
      expect(log).toContain('"iss"');
      expect(log).not.toContain(token);
      expect(log).not.toContain(token.split('.')[2]);
      expect(log).not.toContain(ok.body.salt as string);
      expect(log).not.toContain((ok.body.saltHex as string).slice(2).replace(/^0+/, ''));
      expect(log).not.toContain('100000000000000000001'); // nor the subject
    } finally {
      await service.close();
    }
  });
});
