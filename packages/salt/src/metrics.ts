import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The Prometheus metrics of one salt service (its own registry, so several can live in one process). */
export type SaltMetrics = ReturnType<typeof createMetrics>;

/**
 * Creates the registry and metrics served on `GET /metrics`.
 *
 * @example
 * ```ts
 * const metrics = createMetrics();
 * metrics.requests.inc({ route: '/get_salt', status: '200', code: 'OK' });
 * ```
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'salt_' });
  return {
    registry,
    requests: new Counter({
      name: 'salt_http_requests_total',
      help: 'HTTP requests by route, status and error code (OK when answered)',
      labelNames: ['route', 'status', 'code'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'salt_http_request_duration_seconds',
      help: 'Time to answer a request',
      labelNames: ['route'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: 'salt_in_flight_requests',
      help: 'get_salt requests being answered',
      registers: [registry],
    }),
    saltsIssued: new Counter({
      name: 'salt_salts_answered_total',
      help: 'Salts answered, by mode',
      labelNames: ['mode'] as const,
      registers: [registry],
    }),
  };
}
