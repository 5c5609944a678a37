/**
 * The dev IdP's counters, served as Prometheus text on `GET /metrics`. Hand-written (a few lines) so the dev
 * IdP keeps its dependencies to oidc-provider and jose.
 *
 * @example
 * ```ts
 * const metrics = new DevIdpMetrics();
 * metrics.countRequest('/jwks', 200);
 * console.log(metrics.render(1));
 * ```
 */
export class DevIdpMetrics {
  readonly #requests = new Map<string, number>();
  #rotations = 0;
  readonly #startedAt = Date.now();

  /** Counts one answered request by route group (never the full path: it may carry an interaction id). */
  countRequest(route: string, status: number): void {
    const key = `route="${route}",status="${status}"`;
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
  }

  /** Counts one key rotation. */
  countRotation(): void {
    this.#rotations++;
  }

  /** Prometheus text exposition (version 0.0.4). */
  render(publishedKeys: number): string {
    const lines = [
      '# HELP dev_idp_http_requests_total HTTP requests by route group and status',
      '# TYPE dev_idp_http_requests_total counter',
      ...[...this.#requests].map(([labels, n]) => `dev_idp_http_requests_total{${labels}} ${n}`),
      '# HELP dev_idp_key_rotations_total Signing key rotations since start',
      '# TYPE dev_idp_key_rotations_total counter',
      `dev_idp_key_rotations_total ${this.#rotations}`,
      '# HELP dev_idp_published_keys Keys in the JWKS now',
      '# TYPE dev_idp_published_keys gauge',
      `dev_idp_published_keys ${publishedKeys}`,
      '# HELP dev_idp_uptime_seconds Seconds since the IdP started',
      '# TYPE dev_idp_uptime_seconds gauge',
      `dev_idp_uptime_seconds ${Math.round((Date.now() - this.#startedAt) / 1000)}`,
    ];
    return `${lines.join('\n')}\n`;
  }
}

/**
 * The route group a request path is counted under.
 *
 * @example
 * ```ts
 * routeGroup('/interaction/abc/login'); // '/interaction'
 * ```
 */
export function routeGroup(path: string): string {
  if (path.startsWith('/interaction/')) return '/interaction';
  const known = [
    '/.well-known/openid-configuration',
    '/jwks',
    '/auth',
    '/token',
    '/me',
    '/health',
    '/metrics',
    '/dev/rotate-keys',
    '/dev/users',
  ];
  return known.find((route) => path === route || path.startsWith(`${route}/`)) ?? 'other';
}
