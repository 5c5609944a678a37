// Graceful shutdown with a real SIGTERM: the service runs in a process of its own (test/fixtures/
// signal-server.ts: the CLI's signal wiring and pino on stdout, a stand-in tier and prove module). While a
// request is being proved the process gets SIGTERM: it stops accepting connections at once, still answers
// the accepted request, exits 0, and its stdout log never holds the token, salt, randomness or the user's
// claims.
import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleShutdownSignals } from '../src/shutdown.ts';
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

const FIXTURE = fileURLToPath(new URL('./fixtures/signal-server.ts', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let issuer: TestIssuer;
let key: TestKey;

beforeAll(async () => {
  key = makeKey('sigterm');
  issuer = await startTestIssuer([key]);
});
afterAll(async () => {
  await issuer?.stop();
});

/** Starts the fixture; resolves with its URL once it logged `ready`. */
function startChild(): Promise<{
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
}> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    env: {
      ...process.env,
      ZKSSO_PROVER_ISSUERS: issuer.issuer,
      ZKSSO_PROVER_AUDIENCES: 'test-client.apps.example.com',
      LOG_LEVEL: 'info',
      FAKE_PROVE_SLEEP_MS: '4000',
      SHUTDOWN_TIMEOUT_MS: '30000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (chunk) => (err += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`fixture did not start:\n${out}\n${err}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`fixture exited with ${code}:\n${out}\n${err}`)));
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      const url = /"url":"(http:\/\/[^"]+)"/.exec(out)?.[1];
      if (url && /"msg":"ready"/.test(out)) {
        clearTimeout(timer);
        resolve({ child, url, stdout: () => out, stderr: () => err });
      }
    });
  });
}

describe('SIGTERM (the CLI’s handleShutdownSignals, in a real process)', () => {
  it('stops accepting, finishes the proof in flight, exits 0, and logs no secrets or personal data', async () => {
    const { child, url, stdout, stderr } = await startChild();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const secrets = makeSecrets();
      const jwt = signJwt(key, payloadFor(issuer.issuer, secrets));
      const body = proveBody(jwt, secrets);
      let settled = false;
      const accepted = postProve(url, body).finally(() => (settled = true));
      // Wait until the job is with the worker, then send the signal.
      for (let i = 0; i < 100; i++) {
        const health = (await (await fetch(`${url}/health`)).json()) as { inFlight: number };
        if (health.inFlight === 1) break;
        await sleep(50);
      }
      child.kill('SIGTERM');
      // New connections are refused while the accepted proof is still being made.
      let refused = false;
      for (let i = 0; i < 40 && !refused; i++) {
        refused = await fetch(`${url}/ping`).then(
          () => false,
          () => true,
        );
        if (!refused) await sleep(50);
      }
      expect(refused).toBe(true);
      expect(settled).toBe(false);

      const answer = await accepted;
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(await exited).toBe(0);
      expect(stderr()).toContain('SIGTERM: draining');
      const log = stdout();
      expect(log).toContain('"msg":"shutting down"');
      expect(log).toContain('"msg":"proof made"');
      expect(log).toContain('"msg":"stopped"');
      for (const secret of [
        jwt,
        jwt.split('.')[1] as string,
        jwt.split('.')[2] as string,
        secrets.salt.toString(16),
        secrets.salt.toString(10),
        secrets.randomness.toString(10),
        secrets.randomness.toString(16),
        secrets.nonce,
        // personal data from the token's claims
        '110169484474386276334',
        'user@example.com',
      ]) {
        expect(log).not.toContain(secret);
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

describe('handleShutdownSignals', () => {
  it('closes once on the first SIGTERM or SIGINT, then exits 0 (1 when closing fails)', async () => {
    const signals = new EventEmitter();
    const exits: number[] = [];
    let closes = 0;
    handleShutdownSignals(
      {
        close: async () => {
          closes += 1;
        },
      },
      { signals: signals as never, exit: (code) => exits.push(code), log: () => undefined },
    );
    signals.emit('SIGTERM');
    signals.emit('SIGINT');
    await sleep(10);
    expect(closes).toBe(1);
    expect(exits).toEqual([0]);

    const failing = new EventEmitter();
    handleShutdownSignals(
      { close: () => Promise.reject(new Error('stuck')) },
      { signals: failing as never, exit: (code) => exits.push(code), log: () => undefined },
    );
    failing.emit('SIGINT');
    await sleep(10);
    expect(exits).toEqual([0, 1]);
  });
});
