import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DevIdp, numberedUsers, startDevIdp } from '@zksso/dev-idp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, startServeChild } from './child.ts';
import { postSalt, tokenFor } from './helpers.ts';

const USERS = 40;

describe('crash safety (SQLite, SIGKILL mid-burst)', () => {
  let idp: DevIdp;
  let dir: string;
  beforeAll(async () => {
    idp = await startDevIdp({ users: numberedUsers(USERS) });
    dir = mkdtempSync(join(tmpdir(), 'salt-crash-'));
  });
  afterAll(async () => {
    await idp.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every answered salt after a SIGKILL in the middle of a burst', { timeout: 90_000 }, async () => {
    const env = {
      SALT_MODE: 'stored',
      SALT_SQLITE_PATH: join(dir, 'salt.sqlite'),
      SALT_ISSUERS: idp.issuer,
      SALT_AUDIENCES: 'zksso-dev',
      SALT_RATE_IP_PER_MIN: '1000000',
      SALT_RATE_IP_BURST: '100000',
    };
    const tokens = new Map<string, string>();
    for (let i = 0; i < USERS; i++) tokens.set(`user${i}`, await tokenFor(idp, `user${i}`));

    const first = await startServeChild(env);
    const answered = new Map<string, string>();
    let failed = 0;
    const queue = [...tokens.keys()];
    const killAfter = 12;
    const worker = async () => {
      for (let user = queue.shift(); user !== undefined; user = queue.shift()) {
        try {
          const answer = await postSalt(first.url, { token: tokens.get(user) });
          if (answer.status === 200) answered.set(user, answer.body.salt as string);
          if (
            answered.size >= killAfter &&
            first.child.exitCode === null &&
            first.child.signalCode === null
          ) {
            first.child.kill('SIGKILL');
          }
        } catch {
          failed++;
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    const death = await exited(first.child);
    expect(death.signal).toBe('SIGKILL');
    expect(answered.size).toBeGreaterThanOrEqual(killAfter);
    expect(answered.size).toBeLessThan(USERS); // the kill did cut the burst short
    expect(failed).toBeGreaterThan(0);

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
  });
});
