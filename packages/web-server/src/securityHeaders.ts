/**
 * Parameters of {@link strictContentSecurityPolicy}: the sources an app allows beyond its own origin.
 *
 * @example
 * ```ts
 * const sources: StrictContentSecurityPolicyParameters = { images: ["'self'", 'data:'] };
 * ```
 */
export interface StrictContentSecurityPolicyParameters {
  /** `img-src`, e.g. `["'self'", 'https:', 'data:']`. */
  images: readonly string[];
  /** `font-src`; none given: no `font-src` directive (fonts fall back to `default-src 'none'`). */
  fonts?: readonly string[];
}

/**
 * The Content-Security-Policy of a zkSSO web app: everything denied by default; scripts, styles and fetches
 * from the app's own origin only (it proxies the chain and the services there), so no inline script and no
 * third-party fetch; no framing, no `<base>`, no form posts, no plugins. Only images (and fonts) vary by app.
 *
 * @example
 * ```ts
 * strictContentSecurityPolicy({ images: ["'self'", 'data:'] });
 * // "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; …"
 * ```
 */
export function strictContentSecurityPolicy(parameters: StrictContentSecurityPolicyParameters): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src ${parameters.images.join(' ')}`,
    ...(parameters.fonts ? [`font-src ${parameters.fonts.join(' ')}`] : []),
    "connect-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * Headers every answer of a zkSSO web app carries besides its CSP: no MIME sniffing, no referrer (a popup URL
 * names the dapp), no framing (for browsers that ignore `frame-ancestors`).
 *
 * @example
 * ```ts
 * for (const [name, value] of Object.entries(BASE_SECURITY_HEADERS)) res.setHeader(name, value);
 * ```
 */
export const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};
