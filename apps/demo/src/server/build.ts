import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The demo's package folder (apps/demo). */
export const DEMO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where the built app goes (gitignored). */
export const DEMO_DIST_DIR = join(DEMO_ROOT, 'dist');

const STAMP = '.build-stamp.json';
const LOCK = join(DEMO_ROOT, '.build-lock');
// A build takes seconds; a lock older than this was left by a killed process.
const STALE_LOCK_MS = 5 * 60_000;

/**
 * The files whose change makes the built app stale: the app itself, its Vite config and lockfile, and the
 * workspace libraries it bundles from source (@zksso/sdk, core, contracts).
 *
 * @example
 * ```ts
 * demoSourceRoots(); // ['…/apps/demo/index.html', …, '…/packages/sdk/src', …]
 * ```
 */
export function demoSourceRoots(root = DEMO_ROOT): string[] {
  const repo = join(root, '..', '..');
  return [
    join(root, 'index.html'),
    join(root, 'vite.config.ts'),
    join(root, 'package.json'),
    join(root, 'src', 'app'),
    join(repo, 'package-lock.json'),
    join(repo, 'packages', 'sdk', 'src'),
    join(repo, 'packages', 'core', 'src'),
    join(repo, 'packages', 'contracts', 'src'),
  ];
}

/** The newest modification time under `path` (tests and node_modules left out), 0 if it does not exist. */
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

/**
 * Why the built app must be (re)built, or undefined when `dist/` is up to date: `'not built yet'`, or
 * `'sources changed'` when a source is newer than the build's stamp.
 *
 * @example
 * ```ts
 * if (demoBuildReason()) await ensureDemoBuilt();
 * ```
 */
export function demoBuildReason(root = DEMO_ROOT): string | undefined {
  let stamp: { sources?: number };
  try {
    stamp = JSON.parse(readFileSync(join(root, 'dist', STAMP), 'utf8'));
  } catch {
    return 'not built yet';
  }
  const newest = Math.max(...demoSourceRoots(root).map(newestMtime));
  return (stamp.sources ?? 0) < newest ? 'sources changed' : undefined;
}

/** Runs `work` holding a lock folder, so two processes (a test and `npm run dev`) never build at once. */
async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS)
          rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // Released meanwhile: try again.
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * Builds the demo with Vite into `dist/` when it is missing or older than its sources, so a fresh clone
 * serves the demo without a manual build step. The new build replaces `dist/` only once complete.
 *
 * @example
 * ```ts
 * const { built, reason } = await ensureDemoBuilt(); // { built: true, reason: 'not built yet' } the first time
 * ```
 */
export async function ensureDemoBuilt(
  options: { force?: boolean; onStatus?: (line: string) => void } = {},
): Promise<{ built: boolean; reason?: string; distDir: string }> {
  if (!options.force && !demoBuildReason()) return { built: false, distDir: DEMO_DIST_DIR };
  return withBuildLock(async () => {
    // Another process may have built it while this one waited for the lock.
    const reason = options.force ? 'forced' : demoBuildReason();
    if (!reason) return { built: false, distDir: DEMO_DIST_DIR };
    options.onStatus?.(`building the demo dapp with Vite (${reason})`);
    // Taken before building: a source saved during the build makes the next start build again.
    const sources = Math.max(...demoSourceRoots().map(newestMtime));
    const outDir = join(DEMO_ROOT, `.dist-build-${process.pid}`);
    const { build } = await import('vite');
    await build({
      configFile: join(DEMO_ROOT, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
    writeFileSync(join(outDir, STAMP), `${JSON.stringify({ sources, builtAt: new Date().toISOString() })}\n`);
    const old = join(DEMO_ROOT, `.dist-old-${process.pid}`);
    try {
      renameSync(DEMO_DIST_DIR, old);
    } catch {
      // No previous build.
    }
    renameSync(outDir, DEMO_DIST_DIR);
    rmSync(old, { recursive: true, force: true });
    return { built: true, reason, distDir: DEMO_DIST_DIR };
  });
}
