import { mkdirSync, rmSync, statSync } from 'node:fs';

/** A build takes seconds to a minute; a lock older than this was left by a killed process. */
export const STALE_LOCK_MS = 5 * 60_000;

/**
 * Runs `work` holding `lockDir` (a folder: `mkdir` is atomic across processes), so two processes, a test and
 * `npm run dev`, never build the same app at once. Waits in 250 ms steps while another holds it; a lock
 * older than {@link STALE_LOCK_MS} is taken over.
 *
 * @example
 * ```ts
 * await withBuildLock(join(appRoot, '.build-lock'), () => build());
 * ```
 */
export async function withBuildLock<T>(lockDir: string, work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      try {
        if (Date.now() - statSync(lockDir).mtimeMs > STALE_LOCK_MS)
          rmSync(lockDir, { recursive: true, force: true });
      } catch {
        // Released meanwhile: try again.
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
