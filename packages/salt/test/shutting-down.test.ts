// SHUTTING_DOWN over the wire: while the service drains (close() called, one slow request still in flight),
// a client reuses a kept-alive connection for a new request and gets 503 SHUTTING_DOWN with Retry-After
// instead of a reset. Deterministic: the store holds each request until the test releases it, so the order
// of events is fixed by the test, not by timing. Loopback only; every wait is bounded.
import { Agent, type IncomingHttpHeaders, request } from 'node:http';
import type { Socket } from 'node:net';
import { startDevIdp } from '@zksso/dev-idp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore, type SaltStore, startSaltService } from '../src/index.ts';
import { silentLogger, testConfig, tokenFor } from './helpers.ts';

const WAIT_MS = 10_000;

let idp: Awaited<ReturnType<typeof startDevIdp>>;
beforeAll(async () => {
  idp = await startDevIdp();
});
afterAll(async () => {
  await idp?.stop();
});

/** Rejects when `promise` has not settled within {@link WAIT_MS}: a hang fails the test, it never stalls it. */
function bounded<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), WAIT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A SQLite store whose `getOrCreate` waits until the test releases that call (calls kept in arrival order). */
function gatedStore() {
  const sqlite = openSqliteStore(':memory:');
  const releases: (() => void)[] = [];
  const listeners = new Set<() => void>();
  const store: SaltStore = {
    ...sqlite,
    kind: 'sqlite',
    async getOrCreate(key, candidate) {
      await new Promise<void>((release) => {
        releases.push(release);
        for (const listener of listeners) listener();
      });
      return sqlite.getOrCreate(key, candidate);
    },
  };
  /** Resolves once `count` requests are held in the store. */
  const held = (count: number) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (releases.length < count) return;
        listeners.delete(check);
        resolve();
      };
      listeners.add(check);
      check();
    });
  const releaseAll = () => {
    for (const release of releases) release();
  };
  return { store, releases, held, releaseAll };
}

type WireAnswer = {
  status: number;
  headers: IncomingHttpHeaders;
  body: { error?: { code: string }; salt?: string };
  socket: Socket;
  reusedSocket: boolean;
};

/** POST /get_salt through `agent`, reporting which socket carried it. */
function postThrough(agent: Agent, url: string, token: string): Promise<WireAnswer> {
  const payload = JSON.stringify({ token });
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/get_salt`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
            socket: req.socket as Socket,
            reusedSocket: req.reusedSocket,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('draining', () => {
  it('answers 503 SHUTTING_DOWN to a request on a kept-alive connection while an earlier request holds the drain open', async () => {
    const gate = gatedStore();
    const service = await startSaltService({
      config: testConfig(idp, { SALT_SHUTDOWN_TIMEOUT_MS: String(WAIT_MS) }),
      store: gate.store,
      logger: silentLogger,
    });
    // One socket per client: the keep-alive client's second request must go out on its first socket.
    const slowClient = new Agent({ keepAlive: false, maxSockets: 1 });
    const keepAliveClient = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const token = await tokenFor(idp, 'alice');
      const slow = postThrough(slowClient, service.url, token);
      await bounded(gate.held(1), 'the slow request to reach the store');
      const first = postThrough(keepAliveClient, service.url, token);
      await bounded(gate.held(2), 'the keep-alive request to reach the store');

      // SIGTERM path: both requests are in flight, so neither connection is idle and both stay open.
      let closed = false;
      const closing = service.close().then(() => {
        closed = true;
      });

      gate.releases[1]?.(); // the keep-alive request finishes during the drain
      const firstAnswer = await bounded(first, 'the keep-alive request');
      expect(firstAnswer.status).toBe(200);
      expect(firstAnswer.headers.connection).toBe('keep-alive');
      expect(closed).toBe(false); // the slow request still holds the drain open

      const second = await bounded(postThrough(keepAliveClient, service.url, token), 'the second request');
      expect(second.reusedSocket).toBe(true);
      expect(second.socket).toBe(firstAnswer.socket);
      expect(second.status).toBe(503);
      expect(second.body.error?.code).toBe('SHUTTING_DOWN');
      expect(second.headers['retry-after']).toBe('1');
      expect(second.headers.connection).toBe('close'); // the client is told not to reuse it again
      expect(closed).toBe(false);

      gate.releases[0]?.();
      const slowAnswer = await bounded(slow, 'the slow request');
      expect(slowAnswer.status).toBe(200);
      expect(slowAnswer.body.salt).toBe(firstAnswer.body.salt);
      await bounded(closing, 'the drain to finish');
      expect(closed).toBe(true);
    } finally {
      gate.releaseAll();
      slowClient.destroy();
      keepAliveClient.destroy();
      await service.close();
    }
  });
});
