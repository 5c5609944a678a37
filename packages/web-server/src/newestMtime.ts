import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The newest modification time (ms) of `path`, a file or a folder walked recursively, leaving out
 * `node_modules` and `*.test.ts` (neither goes into a browser build); 0 when `path` does not exist.
 *
 * @example
 * ```ts
 * newestMtime('apps/demo/src/app'); // 1764868800000
 * ```
 */
export function newestMtime(path: string): number {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.endsWith('.test.ts')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}
