import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { sendJson } from './sendJson.ts';

/** Content types of the files a Vite build emits; anything else is `application/octet-stream`. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Which files of the build a path may name: every file, or only Vite's hashed `assets/`. */
export type BuiltFiles = 'all' | 'assets';

/**
 * The file of the build in `distDir` that `pathname` (as in the URL, percent-encoded) names, or undefined:
 * no dotfile (the build stamp), nothing outside `distDir` (or outside `distDir/assets` when `files` is
 * `'assets'`), no folder, no malformed percent-encoding.
 *
 * @example
 * ```ts
 * resolveBuiltFile('/repo/apps/demo/dist', '/assets/index-abc123.js', 'all'); // '/repo/apps/demo/dist/assets/index-abc123.js'
 * resolveBuiltFile('/repo/apps/demo/dist', '/..%2fpackage.json', 'all'); // undefined
 * ```
 */
export function resolveBuiltFile(distDir: string, pathname: string, files: BuiltFiles): string | undefined {
  // Checked decoded, so that `%2e` or `%2f` cannot hide a dotfile or a `..`.
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('/.')) return undefined;
  const within = files === 'assets' ? `${distDir}${sep}assets${sep}` : `${distDir}${sep}`;
  const file = normalize(join(distDir, decoded));
  if (!file.startsWith(within)) return undefined;
  try {
    return statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Parameters of {@link serveBuiltFile}.
 *
 * @example
 * ```ts
 * const site: ServeBuiltFileParameters = { distDir, pages: { '/': 'index.html' }, files: 'all' };
 * ```
 */
export interface ServeBuiltFileParameters {
  /** The app's Vite build. */
  distDir: string;
  /** Paths answered with a page of the build, e.g. `{ '/': 'index.html', '/callback': 'callback.html' }`. */
  pages: Readonly<Record<string, string>>;
  /** Which other files a path may name (see {@link resolveBuiltFile}). */
  files: BuiltFiles;
}

/**
 * Answers a GET or HEAD with a file of the app's build: a page of `pages`, or the file the path names. Vite
 * names `assets/` by content hash, so they are cached for a year (`immutable`); everything else (the pages)
 * is `no-store`, so a new build shows at once. An unknown path answers 404 `NOT_FOUND` in JSON. The caller
 * sets its own headers (CSP) first and refuses other methods.
 *
 * @example
 * ```ts
 * serveBuiltFile(req, res, pathname, { distDir, pages: { '/': 'index.html' }, files: 'all' });
 * ```
 */
export function serveBuiltFile(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  parameters: ServeBuiltFileParameters,
): void {
  const { distDir, pages, files } = parameters;
  const page = Object.hasOwn(pages, pathname) ? pages[pathname] : undefined;
  const file = page ? join(distDir, page) : resolveBuiltFile(distDir, pathname, files);
  if (!file) {
    sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `no page ${pathname}` } });
    return;
  }
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': statSync(file).size,
    'cache-control': pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-store',
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}
