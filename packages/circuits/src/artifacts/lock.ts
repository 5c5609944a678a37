import { mkdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Options of {@link withFileLock}. */
export interface FileLockOptions {
  /** A lock not refreshed for this long is taken over (its owner crashed or hangs). Default 2 minutes. */
  readonly staleMs?: number;
  /** How often the owner refreshes the lock. Default 10 s. */
  readonly heartbeatMs?: number;
  /** How often a waiter looks again. Default 500 ms. */
  readonly pollMs?: number;
  /** Called once when this process starts waiting for another owner. */
  readonly onWait?: (owner: LockOwner | undefined) => void;
}

/** Who holds a lock (written into it). */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/**
 * Runs `task` while holding a cross-process lock at `lockPath` (a directory: `mkdir` is atomic on every
 * local file system). Others wait; a lock is taken over when its owner process is gone (same host), or,
 * for an owner on another host or one that died before naming itself, when its heartbeat stopped for
 * `staleMs`.
 *
 * @example
 * ```ts
 * await withFileLock('/cache/zksso/tier-1024.lock', async () => buildOnce());
 * ```
 */
export async function withFileLock<T>(
  lockPath: string,
  task: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const staleMs = options.staleMs ?? 120_000;
  const heartbeatMs = options.heartbeatMs ?? 10_000;
  const pollMs = options.pollMs ?? 500;
  let waited = false;
  for (;;) {
    try {
      await mkdir(lockPath);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = await readOwner(lockPath);
    if (await isStale(lockPath, owner, staleMs)) {
      await rm(lockPath, { recursive: true, force: true });
      continue;
    }
    if (!waited) {
      waited = true;
      options.onWait?.(owner);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  await writeFile(join(lockPath, 'owner.json'), JSON.stringify(me));
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(lockPath, now, now).catch(() => {});
  }, heartbeatMs);
  heartbeat.unref();
  try {
    return await task();
  } finally {
    clearInterval(heartbeat);
    await rm(lockPath, { recursive: true, force: true });
  }
}

async function readOwner(lockPath: string): Promise<LockOwner | undefined> {
  try {
    return JSON.parse(await readFile(join(lockPath, 'owner.json'), 'utf8')) as LockOwner;
  } catch {
    return undefined; // being created right now, or written by a crashed owner
  }
}

async function isStale(lockPath: string, owner: LockOwner | undefined, staleMs: number): Promise<boolean> {
  // Same host: the owner's pid says it all (its heartbeat may lag while it computes synchronously).
  if (owner && owner.host === hostname()) return !isAlive(owner.pid);
  try {
    const { mtimeMs } = await stat(lockPath);
    return Date.now() - mtimeMs > staleMs;
  } catch {
    return false; // released meanwhile: the next mkdir will tell
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
