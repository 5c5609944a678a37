/**
 * A service the browser reaches through the auth server (same origin, so `connect-src 'self'`); the
 * forwarding itself is `proxyRequest` of @zksso/web-server.
 */
export type ProxiedService = 'rpc' | 'bundler' | 'salt' | 'prover';

/**
 * Joins an upstream base URL and the rest of the proxied path: `/salt/get_salt` with base
 * `http://127.0.0.1:5557` → `http://127.0.0.1:5557/get_salt`; the query string is kept.
 *
 * @example
 * ```ts
 * upstreamUrl('http://127.0.0.1:5558', '/v1', ''); // URL http://127.0.0.1:5558/v1
 * ```
 */
export function upstreamUrl(base: string, rest: string, search: string): URL {
  const url = new URL(base);
  const basePath = url.pathname.replace(/\/+$/, '');
  url.pathname = `${basePath}${rest}` || '/';
  url.search = search;
  return url;
}
