import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STALE_LOCK_MS, withBuildLock } from './buildLock.ts';

describe('withBuildLock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zksso-build-lock-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs one holder at a time and releases the lock, also when the work fails', async () => {
    const lock = join(dir, 'one-at-a-time');
    const events: string[] = [];
    const work = (name: string) => async () => {
      events.push(`${name} in`);
      expect(existsSync(lock)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 50));
      events.push(`${name} out`);
      if (name === 'b') throw new Error('build failed');
      return name;
    };
    const results = await Promise.allSettled([
      withBuildLock(lock, work('a')),
      withBuildLock(lock, work('b')),
    ]);
    expect(results[0]).toEqual({ status: 'fulfilled', value: 'a' });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { message: 'build failed' } });
    // No interleaving: each holder leaves before the other enters.
    expect(events).toEqual(['a in', 'a out', 'b in', 'b out']);
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over a lock left by a killed process', async () => {
    const lock = join(dir, 'stale');
    mkdirSync(lock);
    const old = new Date(Date.now() - STALE_LOCK_MS - 60_000);
    utimesSync(lock, old, old);
    expect(await withBuildLock(lock, async () => 'built')).toBe('built');
    expect(existsSync(lock)).toBe(false);
  });
});
