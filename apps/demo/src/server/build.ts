import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EnsureViteAppBuiltReturnType, ensureViteAppBuilt, viteAppBuildReason } from '@zksso/web-server';

/** The demo's package folder (apps/demo). */
export const DEMO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where the built app goes (gitignored). */
export const DEMO_DIST_DIR = join(DEMO_ROOT, 'dist');

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
  return viteAppBuildReason({ appRoot: root, sourceRoots: demoSourceRoots(root) });
}

/**
 * Builds the demo with Vite into `dist/` when it is missing or older than its sources, so a fresh clone
 * serves the demo without a manual build step. One build at a time across processes; the new build replaces
 * `dist/` only once complete (`ensureViteAppBuilt` of @zksso/web-server).
 *
 * @example
 * ```ts
 * const { built, reason } = await ensureDemoBuilt(); // { built: true, reason: 'not built yet' } the first time
 * ```
 */
export async function ensureDemoBuilt(
  options: { force?: boolean; onStatus?: (line: string) => void } = {},
): Promise<EnsureViteAppBuiltReturnType> {
  return ensureViteAppBuilt({
    appRoot: DEMO_ROOT,
    sourceRoots: demoSourceRoots(),
    label: 'the demo dapp',
    ...options,
  });
}
