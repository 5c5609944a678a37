import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers.ts';
import { withFileLock } from './lock.ts';

describe('withFileLock', () => {
  it('serialises holders and releases the lock afterwards', async () => {
    const lock = join(await tempDir('lock'), 'x.lock');
    const events: string[] = [];
    const hold = (name: string) =>
      withFileLock(
        lock,
        async () => {
          events.push(`${name} in`);
          await new Promise((r) => setTimeout(r, 150));
          events.push(`${name} out`);
          return name;
        },
        { pollMs: 20 },
      );
    const results = await Promise.all([hold('a'), hold('b'), hold('c')]);
    expect(results).toEqual(['a', 'b', 'c']);
    for (let i = 0; i < events.length; i += 2) {
      expect(events[i]?.endsWith(' in')).toBe(true);
      expect(events[i + 1]).toBe(events[i]?.replace(' in', ' out'));
    }
    await expect(stat(lock)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('releases the lock when the task throws', async () => {
    const lock = join(await tempDir('lock-throw'), 'x.lock');
    await expect(withFileLock(lock, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(stat(lock)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('takes over a lock whose owner process is gone, and one whose heartbeat stopped', async () => {
    const dir = await tempDir('lock-stale');
    const dead = join(dir, 'dead.lock');
    await mkdir(dead);
    await writeFile(
      join(dead, 'owner.json'),
      JSON.stringify({ pid: 2 ** 22 + 4321, host: hostname(), since: '' }),
    );
    let waited = false;
    expect(await withFileLock(dead, async () => 'mine', { onWait: () => (waited = true) })).toBe('mine');
    expect(waited).toBe(false);

    const silent = join(dir, 'silent.lock'); // no owner file, and older than staleMs
    await mkdir(silent);
    await new Promise((r) => setTimeout(r, 120));
    expect(await withFileLock(silent, async () => 'taken', { staleMs: 100, pollMs: 20 })).toBe('taken');
  });

  it('waits for a live owner', async () => {
    const lock = join(await tempDir('lock-live'), 'x.lock');
    await mkdir(lock);
    await writeFile(
      join(lock, 'owner.json'),
      JSON.stringify({ pid: process.pid, host: hostname(), since: '' }),
    );
    let waited = false;
    const pending = withFileLock(lock, async () => 'after', { pollMs: 20, onWait: () => (waited = true) });
    await new Promise((r) => setTimeout(r, 100));
    expect(waited).toBe(true);
    await rm(lock, { recursive: true });
    expect(await pending).toBe('after');
  });
});
