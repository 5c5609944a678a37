// The prover must not work for nothing: tokens that are expired, not yet valid or for a client id it does
// not serve are refused before any proving; a client that hangs up has its queued job dropped and its
// running job killed (with the worker's children); proofs are limited per subject and per client address
// (429 + Retry-After). A recording stand-in prove module (test/recording-prove.ts) writes a line per job it
// starts, so "no proof was made" is checked where it happens: in the worker.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { type ClientRequest, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ProverConfig } from '../src/config.ts';
import { createProverService, type ProverService, type ProverServiceOptions } from '../src/server.ts';
import {
  type HttpResult,
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

const RECORDING_PROVE = new URL('./recording-prove.ts', import.meta.url).href;
const AUD = 'test-client.apps.example.com';
const work = mkdtempSync(join(tmpdir(), 'zksso-prover-guards-'));

let issuer: TestIssuer;
let otherIssuer: TestIssuer;
let key: TestKey;
let otherKey: TestKey;
const services: ProverService[] = [];

beforeAll(async () => {
  key = makeKey('guards');
  otherKey = makeKey('other');
  issuer = await startTestIssuer([key]);
  otherIssuer = await startTestIssuer([otherKey]);
});

afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
  for (const name of ['RECORDING_PROVE_LOG', 'RECORDING_PROVE_CHILD', 'FAKE_PROVE_SLEEP_MS']) {
    delete process.env[name];
  }
});

afterAll(async () => {
  await issuer?.stop();
  await otherIssuer?.stop();
});

/**
 * Starts a service with the recording prove module. `env` is what its workers are forked with (they read
 * it when a job starts); the returned `started()` counts the jobs that reached a worker.
 */
async function serve(
  overrides: Partial<ProverConfig> = {},
  env: Record<string, string> = {},
  options: Partial<ProverServiceOptions> = {},
) {
  const log = join(work, `jobs-${services.length}-${Date.now()}.log`);
  writeFileSync(log, '');
  Object.assign(process.env, { RECORDING_PROVE_LOG: log, FAKE_PROVE_SLEEP_MS: '10', ...env });
  const service = createProverService(
    {
      ...DEFAULT_CONFIG,
      port: 0,
      tiers: [1024],
      concurrency: 1,
      queueSize: 2,
      maxExpirySeconds: 86_400,
      jwksMinRefetchMs: 0,
      shutdownTimeoutMs: 5_000,
      issuers: [{ issuer: issuer.issuer }, { issuer: otherIssuer.issuer }],
      audiences: [{ audience: AUD }],
      ratePerSubject: 0,
      ratePerAddress: 0,
      ...overrides,
    },
    {
      loadTier: async (tier) => ({
        tier,
        wasmPath: '/nonexistent.wasm',
        zkeyPath: '/nonexistent.zkey',
        vkey: { protocol: 'groth16', curve: 'bn128', nPublic: 6 },
      }),
      proveModule: RECORDING_PROVE,
      logger: pino({ level: 'silent' }),
      ...options,
    },
  );
  services.push(service);
  const url = await service.listen();
  const lines = () =>
    readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
  return { service, url, started: () => lines().length, lines };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A body for `payload` changes of a token by the main issuer (or `from`). */
function bodyWith(
  payload: Record<string, unknown> = {},
  from: { issuer: TestIssuer; key: TestKey } = { issuer, key },
) {
  const secrets = makeSecrets();
  return proveBody(signJwt(from.key, { ...payloadFor(from.issuer.issuer, secrets), ...payload }), secrets);
}

async function expectRefused(url: string, body: unknown, status: number, code: string): Promise<HttpResult> {
  const answer = await postProve(url, body);
  expect(answer.body.error?.code, JSON.stringify(answer.body)).toBe(code);
  expect(answer.status).toBe(status);
  return answer;
}

async function metric(url: string, line: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const match = text.split('\n').find((l) => l.startsWith(`${line} `));
  return match ? Number(match.slice(line.length + 1)) : 0;
}

/** Waits (bounded) until `check` holds; the bound only keeps a broken build from hanging the suite. */
async function until(what: string, check: () => boolean | Promise<boolean>, limitMs = 30_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function health(url: string): Promise<{ queueDepth: number; inFlight: number }> {
  return (await (await fetch(`${url}/health`)).json()) as { queueDepth: number; inFlight: number };
}

/** Sends a request without waiting for its answer, so the test can hang up on it. */
function openRequest(url: string, body: unknown): ClientRequest {
  const payload = JSON.stringify(body);
  const req = request(`${url}/v1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
  });
  req.on('error', () => undefined); // the hang-up this test makes on purpose
  req.end(payload);
  return req;
}

/** Whether a process is gone (a zombie waiting for a reaper that is not us counts as gone). */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

describe('the token must be valid now (before any proving)', () => {
  it('refuses an expired token with TOKEN_EXPIRED, allows the clock skew, and proves nothing refused', async () => {
    const { url, started } = await serve({ clockSkewSeconds: 60 });
    const expired = await expectRefused(url, bodyWith({ exp: nowSeconds() - 120 }), 400, 'TOKEN_EXPIRED');
    expect(expired.body.error?.details).toMatchObject({ clockSkewSeconds: 60 });
    await expectRefused(url, bodyWith({ exp: undefined }), 400, 'CLAIM_MISSING');
    await expectRefused(url, bodyWith({ exp: String(nowSeconds() + 600) }), 400, 'CLAIM_NOT_NUMBER');
    expect(started()).toBe(0);
    expect(await metric(url, 'zksso_prover_errors_total{code="TOKEN_EXPIRED"}')).toBe(1);

    // Expired 20 s ago by the issuer's clock: within the 60 s skew, proved.
    const skewed = await postProve(url, bodyWith({ exp: nowSeconds() - 20 }));
    expect(skewed.status, JSON.stringify(skewed.body)).toBe(200);
    expect(started()).toBe(1);
  });

  it('with no skew, refuses a token whose exp is now', async () => {
    const { url, started } = await serve({ clockSkewSeconds: 0 }, {}, { nowSeconds: () => 2_000_000_000 });
    const secrets = makeSecrets(2_000_000_000n + 3600n);
    const jwt = signJwt(key, {
      ...payloadFor(issuer.issuer, secrets),
      iat: 1_999_999_000,
      exp: 2_000_000_000,
    });
    await expectRefused(url, proveBody(jwt, secrets), 400, 'TOKEN_EXPIRED');
    expect(started()).toBe(0);
  });

  it('refuses nbf or iat in the future with TOKEN_NOT_YET_VALID, within the skew proves', async () => {
    const { url, started } = await serve({ clockSkewSeconds: 60 });
    const nbf = await expectRefused(url, bodyWith({ nbf: nowSeconds() + 600 }), 400, 'TOKEN_NOT_YET_VALID');
    expect(nbf.body.error?.details).toMatchObject({ claim: 'nbf' });
    const iat = await expectRefused(url, bodyWith({ iat: nowSeconds() + 600 }), 400, 'TOKEN_NOT_YET_VALID');
    expect(iat.body.error?.details).toMatchObject({ claim: 'iat' });
    expect(started()).toBe(0);
    const early = await postProve(url, bodyWith({ nbf: nowSeconds() + 20, iat: nowSeconds() + 20 }));
    expect(early.status, JSON.stringify(early.body)).toBe(200);
    expect(started()).toBe(1);
  });
});

describe('the token must be for a configured client id (aud)', () => {
  it('refuses an audience no app uses with AUDIENCE_NOT_ALLOWED, and a client id bound to another issuer', async () => {
    const { url, started } = await serve({
      audiences: [{ audience: AUD }, { audience: 'other-only', issuer: otherIssuer.issuer }],
    });
    const stranger = await expectRefused(
      url,
      bodyWith({ aud: 'some-other-app' }),
      400,
      'AUDIENCE_NOT_ALLOWED',
    );
    expect(stranger.body.error?.details).toMatchObject({ aud: 'some-other-app', iss: issuer.issuer });
    // 'other-only' is a client id of the other issuer: the main issuer's token for it is refused.
    await expectRefused(url, bodyWith({ aud: 'other-only' }), 400, 'AUDIENCE_NOT_ALLOWED');
    expect(started()).toBe(0);
    expect(await metric(url, 'zksso_prover_errors_total{code="AUDIENCE_NOT_ALLOWED"}')).toBe(2);

    const bound = await postProve(
      url,
      bodyWith({ aud: 'other-only' }, { issuer: otherIssuer, key: otherKey }),
    );
    expect(bound.status, JSON.stringify(bound.body)).toBe(200);
    expect((await postProve(url, bodyWith())).status).toBe(200);
    expect(started()).toBe(2);
  });

  it('refuses every token when no client id is configured (the default)', async () => {
    const { url, started } = await serve({ audiences: DEFAULT_CONFIG.audiences });
    await expectRefused(url, bodyWith(), 400, 'AUDIENCE_NOT_ALLOWED');
    expect(started()).toBe(0);
  });
});

describe('a client that hangs up is not worked for', () => {
  it('drops a queued job whose client went away: it never reaches a worker', async () => {
    // Concurrency 1: the first request proves (5 s), the second waits in the queue.
    const { url, started } = await serve({}, { FAKE_PROVE_SLEEP_MS: '5000' });
    const first = postProve(url, bodyWith());
    await until('the first job runs', async () => (await health(url)).inFlight === 1);
    const second = openRequest(url, bodyWith());
    await until('the second job is queued', async () => (await health(url)).queueDepth === 1);
    second.destroy();
    await until('the queued job is dropped', async () => (await health(url)).queueDepth === 0);
    expect(await metric(url, 'zksso_prover_cancelled_total{stage="queued"}')).toBe(1);
    expect(await metric(url, 'zksso_prover_errors_total{code="CLIENT_CLOSED"}')).toBe(1);

    const answer = await first;
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    await until('the pool is idle', async () => (await health(url)).inFlight === 0);
    expect(started()).toBe(1); // the dropped job never started
    expect((await postProve(url, bodyWith())).status).toBe(200);
    expect(started()).toBe(2);
  });

  it('counts a client that hangs up in the middle of its body as gone, not as a server fault', async () => {
    const { url, started } = await serve();
    const payload = JSON.stringify(bodyWith());
    const req = request(`${url}/v1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
    });
    req.on('error', () => undefined);
    req.write(payload.slice(0, 100));
    // Give the server a moment to parse the headers and start reading (it can only count what it saw).
    await new Promise((resolve) => setTimeout(resolve, 500));
    req.destroy();
    await until(
      'the hang-up is counted',
      async () => (await metric(url, 'zksso_prover_cancelled_total{stage="checks"}')) === 1,
    );
    expect(await metric(url, 'zksso_prover_errors_total{code="INTERNAL"}')).toBe(0);
    expect(await metric(url, 'zksso_prover_errors_total{code="CLIENT_CLOSED"}')).toBe(1);
    expect(started()).toBe(0);
  });

  it('kills the worker proving for a client that went away, with its child process; the next request proves', async () => {
    const { url, lines } = await serve({}, { FAKE_PROVE_SLEEP_MS: '600000', RECORDING_PROVE_CHILD: '1' });
    const req = openRequest(url, bodyWith());
    await until('the job starts with its child process', () => lines().length === 1);
    const [, workerPid, , childPid] = (lines()[0] as string).split(' ').map(Number);
    expect(isGone(workerPid as number)).toBe(false);
    expect(isGone(childPid as number)).toBe(false);
    // The fresh worker (forked on cancel) proves quickly, without a child.
    process.env.FAKE_PROVE_SLEEP_MS = '10';
    delete process.env.RECORDING_PROVE_CHILD;

    req.destroy();
    await until('the worker is killed', () => isGone(workerPid as number));
    await until('its child process is killed', () => isGone(childPid as number));
    expect(await metric(url, 'zksso_prover_cancelled_total{stage="proving"}')).toBe(1);
    expect(await health(url)).toMatchObject({ inFlight: 0, queueDepth: 0 });

    const next = await postProve(url, bodyWith());
    expect(next.status, JSON.stringify(next.body)).toBe(200);
    expect(lines()).toHaveLength(2);
    expect(lines()[1]).not.toContain(`start ${workerPid}`);
  });
});

describe('proofs are limited per subject and per client address (429 RATE_LIMITED + Retry-After)', () => {
  it('per subject: a window’s allowance, then 429 until a proof is earned back; other subjects unaffected', async () => {
    let now = Date.now();
    const { url, started } = await serve(
      { ratePerSubject: 2, rateWindowSeconds: 3600 },
      {},
      { nowMs: () => now },
    );
    const alice = { sub: 'alice-110169484474386276334' };
    // A refused request is not charged.
    await expectRefused(url, bodyWith({ ...alice, aud: 'nope' }), 400, 'AUDIENCE_NOT_ALLOWED');
    expect((await postProve(url, bodyWith(alice))).status).toBe(200);
    expect((await postProve(url, bodyWith(alice))).status).toBe(200);
    const limited = await expectRefused(url, bodyWith(alice), 429, 'RATE_LIMITED');
    expect(limited.body.error?.details).toEqual({ limit: 'subject', perWindow: 2, windowSeconds: 3600 });
    // One proof per 1,800 s comes back: that is the wait.
    expect(Number(limited.headers.get('retry-after'))).toBe(1800);
    expect(JSON.stringify(limited.body)).not.toContain(alice.sub);
    expect(started()).toBe(2);

    // Another subject of the same issuer, and the same sub at another issuer, are other subjects.
    expect((await postProve(url, bodyWith({ sub: 'bob' }))).status).toBe(200);
    const elsewhere = bodyWith(alice, { issuer: otherIssuer, key: otherKey });
    expect((await postProve(url, elsewhere)).status).toBe(200);

    now += 1_800_000; // half a window: one proof earned back
    expect((await postProve(url, bodyWith(alice))).status).toBe(200);
    await expectRefused(url, bodyWith(alice), 429, 'RATE_LIMITED');
    expect(started()).toBe(5);
    expect(await metric(url, 'zksso_prover_rate_limited_total{limit="subject"}')).toBe(2);
    expect(await metric(url, 'zksso_prover_errors_total{code="RATE_LIMITED"}')).toBe(2);
  });

  it('per client address: 429 beyond the allowance whoever the subject; X-Forwarded-For only with TRUST_PROXY', async () => {
    const direct = await serve({ ratePerAddress: 2, rateWindowSeconds: 60 });
    // A client cannot dodge the limit by sending its own X-Forwarded-For.
    for (const [i, xff] of ['10.0.0.1', '10.0.0.2'].entries()) {
      const answer = await postProve(direct.url, bodyWith({ sub: `user-${i}` }), {
        headers: { 'x-forwarded-for': xff },
      });
      expect(answer.status).toBe(200);
    }
    const limited = await postProve(direct.url, bodyWith({ sub: 'user-3' }), {
      headers: { 'x-forwarded-for': '10.0.0.3' },
    });
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 'address' } });
    // One proof per 30 s comes back (less the moments the two proofs took).
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(20);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(30);
    expect(direct.started()).toBe(2);
    expect(await metric(direct.url, 'zksso_prover_rate_limited_total{limit="address"}')).toBe(1);

    // Behind a trusted proxy: the last entry (the proxy's) is the client; entries before it are ignored.
    const proxied = await serve({ ratePerAddress: 1, rateWindowSeconds: 60, trustProxy: true });
    const via = (xff: string) =>
      postProve(proxied.url, bodyWith({ sub: `u-${Math.random()}` }), {
        headers: { 'x-forwarded-for': xff },
      });
    expect((await via('6.6.6.6, 203.0.113.1')).status).toBe(200);
    expect((await via('7.7.7.7, 203.0.113.2')).status).toBe(200);
    expect((await via('8.8.8.8, 203.0.113.1')).status).toBe(429);
  });
});
