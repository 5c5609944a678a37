// Crash safety: the salt service is killed with SIGKILL in the middle of a burst of first requests; after a
// restart every salt it had answered must come back unchanged. Run for the SQLite store (WAL,
// synchronous=FULL) and for the Postgres store (each insert commits before the answer). Loopback only; the
// burst is bounded (USERS requests).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DevIdp, numberedUsers, startDevIdp } from '@zksso/dev-idp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, startServeChild } from './child.ts';
import { postSalt, tokenFor } from './helpers.ts';
import { type PostgresCluster, startPostgresCluster } from './postgres-cluster.ts';

const USERS = 40;
const KILL_AFTER = 12;

let idp: DevIdp;
let tokens: Map<string, string>;
beforeAll(async () => {
  idp = await startDevIdp({ users: numberedUsers(USERS) });
  tokens = new Map();
  for (let i = 0; i < USERS; i++) tokens.set(`user${i}`, await tokenFor(idp, `user${i}`));
});
afterAll(async () => {
  await idp?.stop();
});

/** First users' requests from 6 clients; the server is SIGKILLed once KILL_AFTER salts were answered. */
async function burstThenKill(env: Record<string, string>) {
  const first = await startServeChild(env);
  const answered = new Map<string, string>();
  let failed = 0;
  const queue = [...tokens.keys()];
  const worker = async () => {
    for (let user = queue.shift(); user !== undefined; user = queue.shift()) {
      try {
        const answer = await postSalt(first.url, { token: tokens.get(user) });
        if (answer.status === 200) answered.set(user, answer.body.salt as string);
        if (answered.size >= KILL_AFTER && first.child.exitCode === null && first.child.signalCode === null) {
          first.child.kill('SIGKILL');
        }
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  return { answered, failed, death: await exited(first.child) };
}

/** Restarts the service on the same store and checks every answered salt; stops it with SIGTERM. */
async function expectSaltsKept(env: Record<string, string>, answered: Map<string, string>) {
  const second = await startServeChild(env);
  try {
    for (const [user, salt] of answered) {
      const again = await postSalt(second.url, { token: tokens.get(user) });
      expect(again.status).toBe(200);
      expect(again.body.salt).toBe(salt);
    }
  } finally {
    second.child.kill('SIGTERM');
    expect((await exited(second.child)).code).toBe(0); // graceful shutdown on SIGTERM
  }
}

function baseEnv(): Record<string, string> {
  return {
    SALT_MODE: 'stored',
    SALT_ISSUERS: idp.issuer,
    SALT_AUDIENCES: 'zksso-dev',
    SALT_RATE_IP_PER_MIN: '1000000',
    SALT_RATE_IP_BURST: '100000',
  };
}

describe('crash safety (SQLite, SIGKILL mid-burst)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'salt-crash-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every answered salt after a SIGKILL in the middle of a burst', { timeout: 90_000 }, async () => {
    const env = { ...baseEnv(), SALT_SQLITE_PATH: join(dir, 'salt.sqlite') };
    const { answered, failed, death } = await burstThenKill(env);
    expect(death.signal).toBe('SIGKILL');
    expect(answered.size).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(answered.size).toBeLessThan(USERS); // the kill did cut the burst short
    expect(failed).toBeGreaterThan(0);
    await expectSaltsKept(env, answered);
  });
});

describe('crash safety (Postgres, SIGKILL mid-burst)', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgresCluster();
  }, 120_000);
  afterAll(() => {
    cluster?.stop();
  });

  it('keeps every answered salt after a SIGKILL in the middle of a burst', { timeout: 90_000 }, async () => {
    const env = { ...baseEnv(), SALT_STORE: 'postgres', SALT_DATABASE_URL: cluster.url };
    const { answered, failed, death } = await burstThenKill(env);
    expect(death.signal).toBe('SIGKILL');
    expect(answered.size).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(answered.size).toBeLessThan(USERS);
    expect(failed).toBeGreaterThan(0);
    await expectSaltsKept(env, answered);
  });
});
