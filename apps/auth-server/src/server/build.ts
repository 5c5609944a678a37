import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The auth server's package folder (apps/auth-server). */
export const APP_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where the built app goes (gitignored). */
export const DIST_DIR = join(APP_ROOT, 'dist');

const STAMP = '.build-stamp.json';
const LOCK = join(APP_ROOT, '.build-lock');
const STALE_LOCK_MS = 5 * 60_000;

/** The sources whose change makes the built app stale: the app, and the libraries it bundles. */
function sourceRoots(): string[] {
  const repo = join(APP_ROOT, '..', '..');
  return [
    join(APP_ROOT, 'index.html'),
    join(APP_ROOT, 'callback.html'),
    join(APP_ROOT, 'vite.config.ts'),
    join(APP_ROOT, 'src', 'app'),
    join(APP_ROOT, 'src', 'shared'),
    join(repo, 'packages', 'sdk', 'src'),
    join(repo, 'packages', 'core', 'src'),
    join(repo, 'packages', 'contracts', 'src'),
  ];
}

function newestMtime(path: string): number {
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

/** Is dist/ missing or older than a source? @example `if (appBuildReason()) await buildApp();` */
export function appBuildReason(): string | undefined {
  let stamp: { sources?: number };
  try {
    stamp = JSON.parse(readFileSync(join(DIST_DIR, STAMP), 'utf8'));
  } catch {
    return 'not built yet';
  }
  const newest = Math.max(...sourceRoots().map(newestMtime));
  return (stamp.sources ?? 0) < newest ? 'sources changed' : undefined;
}

async function withLock<T>(run: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS)
          rmSync(LOCK, { recursive: true, force: true });
      } catch {}
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await run();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * Builds the browser app with Vite into `dist/` when it is missing or older than its sources (the app, and
 * @zksso/sdk, core and contracts, which it bundles), so a fresh clone serves without a manual build step.
 * One build at a time across processes (a lock folder); the new build replaces `dist/` only when complete.
 *
 * @example
 * ```ts
 * const { built, reason } = await ensureAppBuilt(); // { built: true, reason: 'not built yet' } the first time
 * ```
 */
export async function ensureAppBuilt(
  options: { force?: boolean; onStatus?: (line: string) => void } = {},
): Promise<{ built: boolean; reason?: string; distDir: string }> {
  if (!options.force && !appBuildReason()) return { built: false, distDir: DIST_DIR };
  return withLock(async () => {
    // Another process may have built it while this one waited for the lock.
    const reason = options.force ? 'forced' : appBuildReason();
    if (!reason) return { built: false, distDir: DIST_DIR };
    options.onStatus?.(`building the auth server app with Vite (${reason})`);
    const sources = Math.max(...sourceRoots().map(newestMtime));
    const outDir = join(APP_ROOT, `.dist-build-${process.pid}`);
    const { build } = await import('vite');
    await build({ configFile: join(APP_ROOT, 'vite.config.ts'), build: { outDir, emptyOutDir: true } });
    writeFileSync(join(outDir, STAMP), `${JSON.stringify({ sources, builtAt: new Date().toISOString() })}\n`);
    const old = join(APP_ROOT, `.dist-old-${process.pid}`);
    try {
      renameSync(DIST_DIR, old);
    } catch {}
    renameSync(outDir, DIST_DIR);
    rmSync(old, { recursive: true, force: true });
    return { built: true, reason, distDir: DIST_DIR };
  });
}
