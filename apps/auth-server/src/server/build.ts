import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EnsureViteAppBuiltReturnType, ensureViteAppBuilt, viteAppBuildReason } from '@zksso/web-server';

/** The auth server's package folder (apps/auth-server). */
export const APP_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where the built app goes (gitignored). */
export const DIST_DIR = join(APP_ROOT, 'dist');

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

/** Is dist/ missing or older than a source? @example `if (appBuildReason()) await ensureAppBuilt();` */
export function appBuildReason(): string | undefined {
  return viteAppBuildReason({ appRoot: APP_ROOT, sourceRoots: sourceRoots() });
}

/**
 * Builds the browser app with Vite into `dist/` when it is missing or older than its sources (the app, and
 * @zksso/sdk, core and contracts, which it bundles), so a fresh clone serves without a manual build step.
 * One build at a time across processes; the new build replaces `dist/` only when complete
 * (`ensureViteAppBuilt` of @zksso/web-server).
 *
 * @example
 * ```ts
 * const { built, reason } = await ensureAppBuilt(); // { built: true, reason: 'not built yet' } the first time
 * ```
 */
export async function ensureAppBuilt(
  options: { force?: boolean; onStatus?: (line: string) => void } = {},
): Promise<EnsureViteAppBuiltReturnType> {
  return ensureViteAppBuilt({
    appRoot: APP_ROOT,
    sourceRoots: sourceRoots(),
    label: 'the auth server app',
    ...options,
  });
}
