import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The prover's Prometheus metrics, in a registry of their own (several services may share a process). */
export interface ProverMetrics {
  readonly registry: Registry;
  readonly queueDepth: Gauge;
  readonly inFlight: Gauge;
  /** End-to-end latency of successful `POST /v1` requests, by tier. */
  readonly latency: Histogram<'tier'>;
  /** Time a worker spent on one proof (witness, prove, self-verify), by tier. */
  readonly provingTime: Histogram<'tier'>;
  /** `POST /v1` answers by code (`OK` or the error code). */
  readonly requests: Counter<'code'>;
  /** Error answers by code (all routes). */
  readonly errors: Counter<'code'>;
  /** Requests whose client went away before the answer, by the stage they were in (checks, queued, proving). */
  readonly cancelled: Counter<'stage'>;
  /** Proofs refused with 429 RATE_LIMITED, by the limit that refused them (subject, address). */
  readonly rateLimited: Counter<'limit'>;
}

const SECONDS_BUCKETS = [0.5, 1, 2, 5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600];

/**
 * Creates the metrics served at `GET /metrics` (names prefixed `zksso_prover_`), plus Node's defaults.
 *
 * @example
 * ```ts
 * const metrics = createMetrics();
 * metrics.requests.inc({ code: 'OK' });
 * const text = await metrics.registry.metrics();
 * ```
 */
export function createMetrics(): ProverMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'zksso_prover_' });
  return {
    registry,
    queueDepth: new Gauge({
      name: 'zksso_prover_queue_depth',
      help: 'Proof requests waiting for a worker',
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: 'zksso_prover_in_flight',
      help: 'Proofs being made now',
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'zksso_prover_request_duration_seconds',
      help: 'End-to-end latency of successful proof requests',
      labelNames: ['tier'],
      buckets: SECONDS_BUCKETS,
      registers: [registry],
    }),
    provingTime: new Histogram({
      name: 'zksso_prover_proving_duration_seconds',
      help: 'Worker time per proof (witness, Groth16 prove, self-verify)',
      labelNames: ['tier'],
      buckets: SECONDS_BUCKETS,
      registers: [registry],
    }),
    requests: new Counter({
      name: 'zksso_prover_requests_total',
      help: 'Proof requests by answer code (OK or an error code)',
      labelNames: ['code'],
      registers: [registry],
    }),
    errors: new Counter({
      name: 'zksso_prover_errors_total',
      help: 'Error answers by code',
      labelNames: ['code'],
      registers: [registry],
    }),
    cancelled: new Counter({
      name: 'zksso_prover_cancelled_total',
      help: 'Proof requests whose client went away, by stage (checks, queued: dropped; proving: worker killed)',
      labelNames: ['stage'],
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'zksso_prover_rate_limited_total',
      help: 'Proof requests refused with 429 RATE_LIMITED, by limit (subject, address)',
      labelNames: ['limit'],
      registers: [registry],
    }),
  };
}
