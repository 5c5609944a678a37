import { BASE_SECURITY_HEADERS, strictContentSecurityPolicy } from '@zksso/web-server';

/**
 * Headers of every demo answer: a strict Content-Security-Policy (scripts, styles and fetches from the
 * demo's own origin only: the chain and bundler are proxied there; no inline script), no framing.
 * `Cross-Origin-Opener-Policy: same-origin-allow-popups` isolates the page but keeps `window.opener` in the
 * auth server's popup, which the popup protocol needs (`same-origin` would sever it).
 *
 * @example
 * ```ts
 * for (const [name, value] of Object.entries(demoSecurityHeaders())) res.setHeader(name, value);
 * ```
 */
export function demoSecurityHeaders(): Record<string, string> {
  return {
    'content-security-policy': strictContentSecurityPolicy({ images: ["'self'", 'data:'] }),
    'cross-origin-opener-policy': 'same-origin-allow-popups',
    ...BASE_SECURITY_HEADERS,
  };
}
