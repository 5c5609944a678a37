import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withBuildLock } from './buildLock.ts';
import { newestMtime } from './newestMtime.ts';

/** The file in `dist/` that records the newest source time the build was made from. */
export const BUILD_STAMP_FILE = '.build-stamp.json';

/**
 * Parameters of {@link viteAppBuildReason}.
 *
 * @example
 * ```ts
 * const app: ViteAppBuildReasonParameters = { appRoot: '/repo/apps/demo', sourceRoots: ['/repo/apps/demo/src/app'] };
 * ```
 */
export interface ViteAppBuildReasonParameters {
  /** The app's package folder: `vite.config.ts` in it, the build goes to its `dist/`. */
  appRoot: string;
  /** The files and folders whose change makes the build stale: the app's own, and the sources it bundles. */
  sourceRoots: readonly string[];
}

/** `'not built yet'`, `'sources changed'`, or undefined when `dist/` is current. */
export type ViteAppBuildReasonReturnType = 'not built yet' | 'sources changed' | undefined;

/**
 * Why the app in `appRoot` must be (re)built, or undefined when its `dist/` is up to date: `'not built yet'`
 * when `dist/` has no build stamp, `'sources changed'` when a file under `sourceRoots` (tests and
 * node_modules left out) is newer than the sources the build was made from.
 *
 * @example
 * ```ts
 * if (viteAppBuildReason({ appRoot, sourceRoots })) await ensureViteAppBuilt({ appRoot, sourceRoots, label: 'the demo' });
 * ```
 */
export function viteAppBuildReason(parameters: ViteAppBuildReasonParameters): ViteAppBuildReasonReturnType {
  let stamp: { sources?: number };
  try {
    stamp = JSON.parse(readFileSync(join(parameters.appRoot, 'dist', BUILD_STAMP_FILE), 'utf8'));
  } catch {
    return 'not built yet';
  }
  const newest = Math.max(...parameters.sourceRoots.map(newestMtime));
  return (stamp.sources ?? 0) < newest ? 'sources changed' : undefined;
}

/**
 * Parameters of {@link ensureViteAppBuilt}.
 *
 * @example
 * ```ts
 * const parameters: EnsureViteAppBuiltParameters = { appRoot, sourceRoots, label: 'the demo dapp' };
 * ```
 */
export interface EnsureViteAppBuiltParameters extends ViteAppBuildReasonParameters {
  /** Names the app in the status line: `building <label> with Vite (<reason>)`. */
  label: string;
  /** Build even when `dist/` is current (the reason is then `'forced'`). */
  force?: boolean;
  /** Receives the one-line status message, sent only when a build starts. */
  onStatus?: (line: string) => void;
  /** Vite's log level for the build, default `'warn'`. */
  logLevel?: 'info' | 'warn' | 'error' | 'silent';
}

/**
 * What {@link ensureViteAppBuilt} did: `built` with its `reason`, or nothing (`dist/` was current, or another
 * process built it meanwhile); `distDir` is the app's `dist/` either way.
 */
export interface EnsureViteAppBuiltReturnType {
  built: boolean;
  reason?: string;
  distDir: string;
}

/**
 * Builds a browser app with Vite (`<appRoot>/vite.config.ts`) into `<appRoot>/dist` when it is missing or
 * older than its sources, so a fresh clone serves without a manual build step. One build at a time across
 * processes (a `.build-lock` folder; a waiter checks again once it holds the lock, and usually finds the
 * build done). The build goes to a folder of its own and replaces `dist/` only once complete, so a server
 * running meanwhile never serves half a build.
 *
 * @example
 * ```ts
 * const { built, reason } = await ensureViteAppBuilt({
 *   appRoot: '/repo/apps/demo',
 *   sourceRoots: ['/repo/apps/demo/index.html', '/repo/apps/demo/src/app', '/repo/packages/sdk/src'],
 *   label: 'the demo dapp',
 *   onStatus: console.log, // "building the demo dapp with Vite (not built yet)"
 * }); // { built: true, reason: 'not built yet', distDir: '/repo/apps/demo/dist' } the first time
 * ```
 */
export async function ensureViteAppBuilt(
  parameters: EnsureViteAppBuiltParameters,
): Promise<EnsureViteAppBuiltReturnType> {
  const { appRoot, sourceRoots, label, force, onStatus, logLevel = 'warn' } = parameters;
  const distDir = join(appRoot, 'dist');
  if (!force && !viteAppBuildReason({ appRoot, sourceRoots })) return { built: false, distDir };
  return withBuildLock(join(appRoot, '.build-lock'), async () => {
    // Another process may have built it while this one waited for the lock.
    const reason = force ? 'forced' : viteAppBuildReason({ appRoot, sourceRoots });
    if (!reason) return { built: false, distDir };
    onStatus?.(`building ${label} with Vite (${reason})`);
    // Taken before building: a source saved during the build makes the next start build again.
    const sources = Math.max(...sourceRoots.map(newestMtime));
    const outDir = join(appRoot, `.dist-build-${process.pid}`);
    const { build } = await import('vite');
    try {
      await build({
        configFile: join(appRoot, 'vite.config.ts'),
        logLevel,
        build: { outDir, emptyOutDir: true },
      });
    } catch (error) {
      // A failed build leaves no half-written output behind for the next build, or the linter, to trip on.
      rmSync(outDir, { recursive: true, force: true });
      throw error;
    }
    writeFileSync(
      join(outDir, BUILD_STAMP_FILE),
      `${JSON.stringify({ sources, builtAt: new Date().toISOString() })}\n`,
    );
    const old = join(appRoot, `.dist-old-${process.pid}`);
    try {
      renameSync(distDir, old);
    } catch {
      // No previous build.
    }
    renameSync(outDir, distDir);
    rmSync(old, { recursive: true, force: true });
    return { built: true, reason, distDir };
  });
}
