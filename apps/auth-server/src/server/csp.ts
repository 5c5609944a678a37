import { BASE_SECURITY_HEADERS, strictContentSecurityPolicy } from '@zksso/web-server';

/**
 * The Content-Security-Policy of every page: scripts, styles and fetches only from the auth server's own
 * origin (the chain, bundler, salt service and prover are proxied there), no inline script, no framing.
 * Images may come from `https:` and `data:` (a dapp's icon); on a dev server `http://127.0.0.1:*` and
 * `http://localhost:*` too, where a local demo dapp serves its icon. The OpenID provider is reached by
 * navigation (a child window), which CSP does not restrict.
 *
 * @example
 * ```ts
 * res.setHeader('content-security-policy', contentSecurityPolicy({ dev: true }));
 * ```
 */
export function contentSecurityPolicy(options: { dev?: boolean } = {}): string {
  const images = ["'self'", 'https:', 'data:'];
  if (options.dev) images.push('http://127.0.0.1:*', 'http://localhost:*');
  return strictContentSecurityPolicy({ images, fonts: ["'self'"] });
}

/**
 * Headers sent with every answer. No `Cross-Origin-Opener-Policy` on `/popup` and `/callback`: it would
 * sever `window.opener`, which the popup protocol needs (docs/popup-protocol.md); `/account`, which no
 * dapp opens, gets `same-origin`.
 *
 * @example
 * ```ts
 * for (const [name, value] of Object.entries(securityHeaders('/account', { dev: false }))) res.setHeader(name, value);
 * ```
 */
export function securityHeaders(pathname: string, options: { dev?: boolean } = {}): Record<string, string> {
  const headers: Record<string, string> = {
    'content-security-policy': contentSecurityPolicy(options),
    ...BASE_SECURITY_HEADERS,
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy':
      'publickey-credentials-create=(self), publickey-credentials-get=(self), camera=(), microphone=(), geolocation=()',
  };
  if (pathname === '/account' || pathname === '/') headers['cross-origin-opener-policy'] = 'same-origin';
  return headers;
}
