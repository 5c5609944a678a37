// Every error a client can get before proving, over HTTP, against a loopback issuer that signs whatever
// the test needs. No proof is made here (a stand-in prove module is loaded), so this suite is fast.
import { request } from 'node:http';
import { Writable } from 'node:stream';
import { computeIdentityCommitment, ephemeralKeyId, toHex32 } from '@zksso/core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ProverConfig } from '../src/config.ts';
import { createProverService, type ProverService, type TierKeys } from '../src/server.ts';
import { extendedEphemeralKeyBytes } from '../src/sui-encoding.ts';
import {
  makeKey,
  makeSecrets,
  payloadFor,
  postProve,
  proveBody,
  signJwt,
  startTestIssuer,
  type TestIssuer,
  type TestKey,
} from './helpers.ts';

const TIER = 1024;
const fakeTier = async (tier: number): Promise<TierKeys> => ({
  tier,
  wasmPath: '/nonexistent.wasm',
  zkeyPath: '/nonexistent.zkey',
  vkey: { protocol: 'groth16', curve: 'bn128', nPublic: 6 },
});
const FAKE_PROVE = new URL('./fake-prove.ts', import.meta.url).href;
const FAILING_PROVE = new URL('./failing-prove.ts', import.meta.url).href;

let issuer: TestIssuer;
let weakIssuer: TestIssuer;
let key: TestKey;
let service: ProverService;
let url: string;
const logLines: string[] = [];

function config(overrides: Partial<ProverConfig> = {}): ProverConfig {
  return {
    ...DEFAULT_CONFIG,
    port: 0,
    tiers: [TIER],
    concurrency: 1,
    queueSize: 2,
    maxExpirySeconds: 7 * 24 * 3600,
    maxBodyBytes: 8 * 1024,
    jwksMinRefetchMs: 0,
    shutdownTimeoutMs: 5_000,
    issuers: [
      { issuer: issuer.issuer },
      { issuer: weakIssuer.issuer, jwksUri: weakIssuer.jwksUri },
      // Allowed, but nothing listens there: JWKS_UNAVAILABLE.
      { issuer: 'http://127.0.0.1:9', jwksUri: 'http://127.0.0.1:9/jwks' },
    ],
    audiences: [{ audience: 'test-client.apps.example.com' }],
    // Every request here comes from one address, most for one subject: the limits are tested in
    // guards.test.ts.
    ratePerSubject: 0,
    ratePerAddress: 0,
    ...overrides,
  };
}

beforeAll(async () => {
  key = makeKey('main');
  issuer = await startTestIssuer([key]);
  weakIssuer = await startTestIssuer([makeKey('weak', 1024)]);
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  service = createProverService(config(), {
    loadTier: fakeTier,
    proveModule: FAKE_PROVE,
    logger: pino({ level: 'debug' }, sink),
  });
  url = await service.listen();
});

afterAll(async () => {
  await service?.close();
  await issuer?.stop();
  await weakIssuer?.stop();
});

/** A valid body for the main issuer (randomness and salt fresh), then changed by `change`. */
function validBody(
  options: { payload?: Record<string, unknown>; extra?: Record<string, unknown>; expiry?: bigint } = {},
) {
  const secrets = makeSecrets(options.expiry);
  const jwt = signJwt(key, { ...payloadFor(issuer.issuer, secrets), ...options.payload });
  return { secrets, jwt, body: proveBody(jwt, secrets, options.extra) };
}

async function expectError(body: unknown, status: number, code: string, options?: { contentType?: string }) {
  const answer = await postProve(url, body, options);
  expect(answer.body.error?.code, JSON.stringify(answer.body)).toBe(code);
  expect(answer.status).toBe(status);
  expect(typeof answer.body.error?.message).toBe('string');
  return answer;
}

describe('prover service: routes', () => {
  it('answers /ping, /health and /metrics', async () => {
    const ping = await fetch(`${url}/ping`);
    expect(await ping.text()).toBe('pong');
    expect(ping.headers.get('zksso-version')).toBe('zksso/v1');
    const health = await (await fetch(`${url}/health`)).json();
    expect(health).toMatchObject({
      status: 'ok',
      version: 'zksso/v1',
      tiers: [TIER],
      queueDepth: 0,
      inFlight: 0,
    });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('zksso_prover_queue_depth');
    expect(metrics).toContain('zksso_prover_in_flight');
    expect(metrics).toContain('zksso_prover_request_duration_seconds');
  });

  it('refuses unknown routes, wrong methods, wrong media types and oversized bodies', async () => {
    const notFound = await fetch(`${url}/nope`);
    expect(notFound.status).toBe(404);
    expect(((await notFound.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    const get = await fetch(`${url}/v1`);
    expect(get.status).toBe(405);
    expect(((await get.json()) as { error: { code: string } }).error.code).toBe('METHOD_NOT_ALLOWED');
    await expectError('{}', 415, 'UNSUPPORTED_MEDIA_TYPE', { contentType: 'text/plain' });
    await expectError({ jwt: 'x'.repeat(9000) }, 413, 'PAYLOAD_TOO_LARGE');
  });
});

describe('prover service: request shape (BAD_REQUEST)', () => {
  it('names the field that is wrong', async () => {
    const { body } = validBody();
    await expectError('{not json', 400, 'BAD_REQUEST');
    await expectError([1, 2], 400, 'BAD_REQUEST');
    const noJwt = { ...body, jwt: undefined };
    expect((await expectError(noJwt, 400, 'BAD_REQUEST')).body.error?.details).toMatchObject({
      field: 'jwt',
    });
    const sui = await expectError({ ...body, maxEpoch: '10' }, 400, 'BAD_REQUEST');
    expect(sui.body.error?.message).toContain('expiry');
    await expectError({ ...body, extra: 1 }, 400, 'BAD_REQUEST');
    const bigSalt = await expectError({ ...body, salt: (2n ** 128n).toString() }, 400, 'BAD_REQUEST');
    expect(bigSalt.body.error?.details).toMatchObject({ field: 'salt' });
    // Sui sends standard base64: base64url (and unpadded text) is refused, not misread.
    const b64Salt = await expectError({ ...body, salt: 'q83vEjRWeJ-_' }, 400, 'BAD_REQUEST');
    expect(b64Salt.body.error?.details).toMatchObject({ field: 'salt' });
    const badKey = await expectError({ ...body, ephemeralPublicKey: 'AVqu-' }, 400, 'BAD_REQUEST');
    expect(badKey.body.error?.details).toMatchObject({ field: 'ephemeralPublicKey' });
    await expectError({ ...body, jwtRandomness: 12 }, 400, 'BAD_REQUEST');
    await expectError({ ...body, expiry: '0' }, 400, 'BAD_REQUEST');
    await expectError({ ...body, ephemeralPublicKey: { type: 'ed25519', key: '0x00' } }, 400, 'BAD_REQUEST');
    await expectError(
      { ...body, ephemeralPublicKey: { type: 'secp256k1', address: '0x1234' } },
      400,
      'BAD_REQUEST',
    );
  });

  it('refuses a P-256 key that is not on the curve (INVALID_EPHEMERAL_KEY)', async () => {
    const { body } = validBody();
    await expectError(
      { ...body, ephemeralPublicKey: { type: 'p256', x: '1', y: '2' } },
      400,
      'INVALID_EPHEMERAL_KEY',
    );
  });
});

describe('prover service: token and claims', () => {
  it('refuses tokens that cannot be decoded', async () => {
    const { body } = validBody();
    await expectError({ ...body, jwt: 'abc' }, 400, 'JWT_MALFORMED');
    await expectError({ ...body, jwt: 'a+b.c.d' }, 400, 'JWT_BAD_BASE64URL');
    const notJson = `${Buffer.from('[1]').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.AA`;
    await expectError({ ...body, jwt: notJson }, 400, 'JWT_BAD_JSON');
  });

  it('refuses other algorithms and tokens longer than the largest served tier', async () => {
    const { secrets, body } = validBody();
    const hs = signJwt(key, payloadFor(issuer.issuer, secrets), { alg: 'HS256', kid: key.kid });
    await expectError({ ...body, jwt: hs }, 400, 'JWT_UNSUPPORTED_ALG');
    const long = signJwt(key, payloadFor(issuer.issuer, secrets, { name: 'x'.repeat(800) }));
    const tooLong = await expectError({ ...body, jwt: long }, 400, 'JWT_TOO_LONG');
    expect(tooLong.body.error?.details).toMatchObject({ max: TIER });
  });

  it('refuses missing, long, escaped, array and unverified claims', async () => {
    await expectError(validBody({ payload: { nonce: undefined } }).body, 400, 'CLAIM_MISSING');
    await expectError(validBody({ payload: { sub: '1'.repeat(125) } }).body, 400, 'CLAIM_TOO_LONG');
    await expectError(validBody({ payload: { aud: ['a', 'b'] } }).body, 400, 'AUD_IS_ARRAY');
    await expectError(validBody({ payload: { sub: 123 } }).body, 400, 'CLAIM_NOT_STRING');
    await expectError(validBody({ payload: { nonce: 'short' } }).body, 400, 'NONCE_MALFORMED');
    await expectError(
      validBody({ payload: { email_verified: false }, extra: { keyClaimName: 'email' } }).body,
      400,
      'EMAIL_NOT_VERIFIED',
    );
    await expectError(validBody({ extra: { keyClaimName: 'name' } }).body, 400, 'KEY_CLAIM_UNSUPPORTED');
    // Raw JSON with an escaped quote inside sub: the circuit compares raw bytes, so it cannot be proved.
    const secrets = makeSecrets();
    const raw = JSON.stringify(payloadFor(issuer.issuer, secrets)).replace(
      '"sub":"110169484474386276334"',
      '"sub":"1101\\"69"',
    );
    await expectError(proveBody(signJwt(key, raw), secrets), 400, 'CLAIM_HAS_ESCAPE');
  });

  it('refuses a claim layout the circuit cannot read (CLAIM_LAYOUT_UNSUPPORTED), after every other check', async () => {
    const secrets = makeSecrets();
    const raw = JSON.stringify(payloadFor(issuer.issuer, secrets)).replace('"aud":', '"aud":           ');
    const answer = await expectError(proveBody(signJwt(key, raw), secrets), 400, 'CLAIM_LAYOUT_UNSUPPORTED');
    expect(answer.body.error?.details).toMatchObject({ claim: 'aud' });
  });
});

describe('prover service: issuer, keys and signature', () => {
  it('refuses issuers off the allow-list', async () => {
    const answer = await expectError(
      validBody({ payload: { iss: 'https://evil.example.com' } }).body,
      400,
      'ISSUER_NOT_ALLOWED',
    );
    expect(answer.body.error?.details).toMatchObject({ iss: 'https://evil.example.com' });
  });

  it('answers 503 JWKS_UNAVAILABLE with Retry-After when the issuer cannot be reached', async () => {
    const answer = await expectError(
      validBody({ payload: { iss: 'http://127.0.0.1:9' } }).body,
      503,
      'JWKS_UNAVAILABLE',
    );
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('answers 502 JWKS_UNAVAILABLE when the JWKS endpoint answers an error', async () => {
    const other = await startTestIssuer([makeKey('o')]);
    other.failWith = 500;
    const local = createProverService(config({ issuers: [{ issuer: other.issuer }] }), {
      loadTier: fakeTier,
      proveModule: FAKE_PROVE,
      logger: pino({ level: 'silent' }),
    });
    try {
      const localUrl = await local.listen();
      const secrets = makeSecrets();
      const jwt = signJwt(other.keys[0] as TestKey, payloadFor(other.issuer, secrets));
      const answer = await postProve(localUrl, proveBody(jwt, secrets));
      expect(answer.status).toBe(502);
      expect(answer.body.error?.code).toBe('JWKS_UNAVAILABLE');
    } finally {
      await local.close();
      await other.stop();
    }
  });

  it('refuses a bad signature, an unknown kid and a key zksso/v1 cannot prove', async () => {
    const secrets = makeSecrets();
    const forged = signJwt(makeKey(key.kid), payloadFor(issuer.issuer, secrets));
    await expectError(proveBody(forged, secrets), 400, 'JWT_SIGNATURE_INVALID');
    const unknown = signJwt(makeKey('not-published'), payloadFor(issuer.issuer, secrets));
    const kid = await expectError(proveBody(unknown, secrets), 400, 'JWT_KID_UNKNOWN');
    expect(kid.body.error?.details).toMatchObject({ kid: 'not-published' });
    const weak = signJwt(weakIssuer.keys[0] as TestKey, payloadFor(weakIssuer.issuer, secrets));
    await expectError(proveBody(weak, secrets), 400, 'JWK_UNSUPPORTED');
  });
});

describe('prover service: nonce and expiry', () => {
  it('refuses a nonce that does not commit to the key, expiry and randomness', async () => {
    const { body, secrets } = validBody();
    await expectError(
      { ...body, jwtRandomness: (secrets.randomness + 1n).toString() },
      400,
      'NONCE_MISMATCH',
    );
    await expectError(
      { ...body, ephemeralPublicKey: { type: 'secp256k1', address: `0x${'11'.repeat(20)}` } },
      400,
      'NONCE_MISMATCH',
    );
  });

  it('refuses an expiry in the past or beyond the maximum lifetime (EXPIRY_INVALID)', async () => {
    const now = BigInt(Math.floor(Date.now() / 1000));
    const past = await expectError(validBody({ expiry: now - 10n }).body, 400, 'EXPIRY_INVALID');
    expect(past.body.error?.details).toHaveProperty('latest');
    await expectError(validBody({ expiry: now + 8n * 24n * 3600n }).body, 400, 'EXPIRY_INVALID');
  });
});

describe('prover service: logs and readiness', () => {
  it('never logs the token, salt or randomness, and logs the error code with a request id', async () => {
    const { body, secrets, jwt } = validBody();
    await expectError(
      { ...body, jwtRandomness: (secrets.randomness + 1n).toString() },
      400,
      'NONCE_MISMATCH',
    );
    const text = logLines.join('');
    expect(text).toContain('"code":"NONCE_MISMATCH"');
    expect(text).toContain('"requestId"');
    for (const secret of [
      jwt,
      jwt.split('.')[1] as string,
      secrets.salt.toString(16),
      secrets.randomness.toString(),
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('answers 503 NOT_READY (and /health 503) while the tiers are loading', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const loading = createProverService(config(), {
      loadTier: async (tier) => {
        await gate;
        return fakeTier(tier);
      },
      proveModule: FAKE_PROVE,
      logger: pino({ level: 'silent' }),
    });
    const listening = loading.listen();
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const base = loading.url;
      expect((await fetch(`${base}/health`)).status).toBe(503);
      const answer = await postProve(base, validBody().body);
      expect(answer.status).toBe(503);
      expect(answer.body.error?.code).toBe('NOT_READY');
      expect(answer.headers.get('retry-after')).not.toBeNull();
      release();
      await listening;
      expect((await fetch(`${base}/health`)).status).toBe(200);
    } finally {
      release();
      await listening.catch(() => undefined);
      await loading.close();
    }
  });
});

/** Standard base64 of an integer's big-endian bytes (16 bytes, as Sui's SDK sends salt and randomness). */
const base64Of = (value: bigint) =>
  Buffer.from(value.toString(16).padStart(32, '0'), 'hex').toString('base64');

describe('prover service: decimal or base64 where Sui accepts both', () => {
  it('proves from base64 and from decimal forms of the ephemeral key, jwtRandomness and salt alike', async () => {
    const { secrets, jwt } = validBody();
    const extended = Buffer.from(extendedEphemeralKeyBytes(secrets.ephemeralPublicKey));
    const forms = {
      base64: {
        ephemeralPublicKey: extended.toString('base64'),
        jwtRandomness: base64Of(secrets.randomness),
        salt: base64Of(secrets.salt),
      },
      decimal: {
        ephemeralPublicKey: BigInt(`0x${extended.toString('hex')}`).toString(10),
        jwtRandomness: secrets.randomness.toString(10),
        salt: secrets.salt.toString(10),
      },
    };
    const idc = computeIdentityCommitment({
      keyClaimName: 'sub',
      keyClaimValue: '110169484474386276334',
      aud: 'test-client.apps.example.com',
      iss: issuer.issuer,
      salt: secrets.salt,
    });
    for (const [name, form] of Object.entries(forms)) {
      const answer = await postProve(url, { jwt, expiry: secrets.expiry.toString(), ...form });
      expect(answer.status, `${name}: ${JSON.stringify(answer.body)}`).toBe(200);
      // The nonce matched (else NONCE_MISMATCH) and the salt was read as the same number.
      expect(answer.body.keyId, name).toBe(ephemeralKeyId(secrets.ephemeralPublicKey));
      expect(answer.body.identityCommitment, name).toBe(toHex32(idc));
    }
    // A base64 randomness of another value is read as that value: the nonce no longer matches.
    await expectError(
      {
        jwt,
        expiry: secrets.expiry.toString(),
        ...forms.base64,
        jwtRandomness: base64Of(secrets.randomness + 1n),
      },
      400,
      'NONCE_MISMATCH',
    );
  });
});

describe('prover service: server-side failures', () => {
  it('answers 500 PROVE_FAILED naming the cause, never the worker’s message, when proving fails', async () => {
    const lines: string[] = [];
    const failing = createProverService(config(), {
      loadTier: fakeTier,
      proveModule: FAILING_PROVE,
      logger: pino(
        { level: 'info' },
        new Writable({
          write(chunk, _encoding, done) {
            lines.push(String(chunk));
            done();
          },
        }),
      ),
    });
    try {
      const failingUrl = await failing.listen();
      const { body, secrets } = validBody();
      const answer = await postProve(failingUrl, body);
      expect(answer.status).toBe(500);
      expect(answer.body.error).toMatchObject({ code: 'PROVE_FAILED', details: { cause: 'WITNESS_FAILED' } });
      expect(JSON.stringify(answer.body)).not.toContain('FAILING-PROVE-MARKER');
      // Logged server-side (name and message), without the request's secrets.
      const text = lines.join('');
      expect(text).toContain('FAILING-PROVE-MARKER');
      expect(text).not.toContain(body.jwt);
      expect(text).not.toContain(secrets.salt.toString(16));
      const metrics = await (await fetch(`${failingUrl}/metrics`)).text();
      expect(metrics).toContain('zksso_prover_errors_total{code="PROVE_FAILED"} 1');
    } finally {
      await failing.close();
    }
  });

  it('answers 500 INTERNAL with a message that reveals nothing for an unexpected fault', async () => {
    const broken = createProverService(config(), {
      loadTier: fakeTier,
      proveModule: FAKE_PROVE,
      logger: pino({ level: 'silent' }),
      nowSeconds: () => {
        throw new Error('clock exploded: INTERNAL-MARKER');
      },
    });
    try {
      const brokenUrl = await broken.listen();
      const answer = await postProve(brokenUrl, validBody().body);
      expect(answer.status).toBe(500);
      expect(answer.body.error).toEqual({ code: 'INTERNAL', message: 'internal error' });
    } finally {
      await broken.close();
    }
  });
});

describe('prover service: graceful shutdown', () => {
  it('finishes an accepted proof, and answers 503 SHUTTING_DOWN to a request whose body arrives after close()', async () => {
    const local = createProverService(config(), {
      loadTier: fakeTier,
      proveModule: FAKE_PROVE,
      logger: pino({ level: 'silent' }),
    });
    const localUrl = await local.listen();
    let closing: Promise<void> | undefined;
    const accepted = postProve(localUrl, validBody().body);
    // A second request: headers now, body only once the shutdown has begun.
    const late = JSON.stringify(validBody().body);
    const lateAnswer = new Promise<{ status: number; retryAfter: string | undefined; body: string }>(
      (resolve, reject) => {
        const req = request(`${localUrl}/v1`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(late) },
        });
        req.on('response', (res) => {
          let body = '';
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body }),
          );
        });
        req.on('error', reject);
        req.flushHeaders();
        setTimeout(() => {
          closing = local.close();
          setTimeout(() => req.end(late), 100);
        }, 300);
      },
    );
    const refused = await lateAnswer;
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body).error.code).toBe('SHUTTING_DOWN');
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    // The proof accepted before close() is still made and answered.
    const first = await accepted;
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    await closing;
    // Closed: no new connections.
    await expect(fetch(`${localUrl}/ping`)).rejects.toThrow();
  });
});

describe('prover service: metrics', () => {
  it('exposes queue depth, a latency histogram and errors by code in Prometheus text', async () => {
    await expectError({ ...validBody().body, salt: '-1' }, 400, 'BAD_REQUEST');
    const ok = await postProve(url, validBody().body);
    expect(ok.status).toBe(200);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^# TYPE zksso_prover_queue_depth gauge$/m);
    expect(metrics).toMatch(/^zksso_prover_queue_depth 0$/m);
    expect(metrics).toMatch(/^# TYPE zksso_prover_request_duration_seconds histogram$/m);
    expect(metrics).toMatch(/^zksso_prover_request_duration_seconds_bucket\{le="\+Inf",tier="1024"\} [1-9]/m);
    expect(metrics).toMatch(/^zksso_prover_errors_total\{code="BAD_REQUEST"\} [1-9]/m);
    expect(metrics).toMatch(/^zksso_prover_errors_total\{code="NONCE_MISMATCH"\} [1-9]/m);
    expect(metrics).toMatch(/^zksso_prover_requests_total\{code="OK"\} [1-9]/m);
  });
});

describe('prover service: overload and timeout over HTTP (stand-in prove; real proofs: prove.test.ts)', () => {
  it('refuses a burst beyond workers + queue with 503 QUEUE_FULL + Retry-After and answers every accepted one', async () => {
    const local = createProverService(config({ concurrency: 1, queueSize: 1 }), {
      loadTier: fakeTier,
      proveModule: FAKE_PROVE,
      logger: pino({ level: 'silent' }),
    });
    // Stand-in proofs of 5 s (the workers read it when they start), so that no proof ends while the burst
    // is still being checked, even on a busy machine: exactly 1 proving + 1 queued are accepted.
    process.env.FAKE_PROVE_SLEEP_MS = '5000';
    try {
      const localUrl = await local.listen().finally(() => delete process.env.FAKE_PROVE_SLEEP_MS);
      const answers = await Promise.all([1, 2, 3, 4, 5].map(() => postProve(localUrl, validBody().body)));
      const refused = answers.filter((a) => a.status === 503);
      const accepted = answers.filter((a) => a.status === 200);
      expect(refused).toHaveLength(3);
      expect(accepted).toHaveLength(2);
      for (const answer of refused) {
        expect(answer.body.error?.code).toBe('QUEUE_FULL');
        expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
      const metrics = await (await fetch(`${localUrl}/metrics`)).text();
      expect(metrics).toContain('zksso_prover_errors_total{code="QUEUE_FULL"} 3');
      expect(metrics).toContain('zksso_prover_requests_total{code="OK"} 2');
    } finally {
      await local.close();
    }
  });

  it('answers 504 PROVE_TIMEOUT when the request outlives TIMEOUT_MS, and frees the worker', async () => {
    const local = createProverService(config({ timeoutMs: 500 }), {
      loadTier: fakeTier,
      proveModule: FAKE_PROVE,
      logger: pino({ level: 'silent' }),
    });
    try {
      const localUrl = await local.listen();
      const answer = await postProve(localUrl, validBody().body);
      expect(answer.status).toBe(504);
      expect(answer.body.error).toMatchObject({ code: 'PROVE_TIMEOUT', details: { stage: 'proving' } });
      const health = (await (await fetch(`${localUrl}/health`)).json()) as { inFlight: number };
      expect(health.inFlight).toBe(0);
    } finally {
      await local.close();
    }
  });
});
