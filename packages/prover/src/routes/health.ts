import { PROTOCOL_VERSION } from '@zksso/core';
import type { ProverConfig } from '../config.ts';
import { HttpAnswer } from '../http.ts';
import type { ProvingPool } from '../pool.ts';
import type { ServiceState } from '../state.ts';

/** Where the tiers' keys came from, as `/health` reports it. */
export type KeySource = 'custom' | 'keys-dir' | 'cache';

/**
 * `GET /health`: 200 when every tier is loaded and the service is not shutting down (503 otherwise), with
 * the tiers, their key types (DEVELOPMENT keys show here), the queue and the proving estimate.
 *
 * @example
 * ```ts
 * send(res, healthAnswer({ config, state, pool, keySource: 'cache' }), requestId);
 * ```
 */
export function healthAnswer(p: {
  config: ProverConfig;
  state: ServiceState;
  pool: ProvingPool;
  keySource: KeySource;
}): HttpAnswer {
  const { config, state, pool } = p;
  const keyTypes = Object.fromEntries(
    [...state.tiers.values()].map((t) => [String(t.tier), t.vkey.zksso?.keyType ?? 'unknown']),
  );
  const distinct = [...new Set(Object.values(keyTypes))];
  const health = {
    status: state.closing ? 'shutting-down' : state.ready ? 'ok' : 'loading',
    version: PROTOCOL_VERSION,
    tiers: [...state.tiers.keys()].sort((a, b) => a - b),
    tiersConfigured: config.tiers,
    // One value when every loaded tier agrees ('mixed' otherwise); per tier in keyTypes.
    keyType: distinct.length === 0 ? null : distinct.length === 1 ? distinct[0] : 'mixed',
    keyTypes,
    keySource: p.keySource,
    queueDepth: pool.queueDepth,
    inFlight: pool.inFlight,
    concurrency: config.concurrency,
    queueSize: config.queueSize,
    estimatedProvingSeconds: Math.round(pool.estimateMs / 100) / 10,
  };
  return HttpAnswer.json(state.ready && !state.closing ? 200 : 503, health);
}
