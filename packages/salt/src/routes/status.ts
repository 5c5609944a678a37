import type { ServerResponse } from 'node:http';
import { PROTOCOL_VERSION } from '@zksso/core';
import type { SaltConfig } from '../config.ts';
import { sendJson } from '../http.ts';
import type { SaltMetrics } from '../metrics.ts';
import type { SaltStore } from '../store/types.ts';

/**
 * `GET /health`: `{ status: 'ok', version, mode, store }` (the caller answers 503 SHUTTING_DOWN while
 * draining).
 *
 * @example
 * ```ts
 * sendHealth(res, config, store);
 * ```
 */
export function sendHealth(res: ServerResponse, config: SaltConfig, store: SaltStore | undefined): void {
  sendJson(res, 200, {
    status: 'ok',
    version: PROTOCOL_VERSION,
    mode: config.mode,
    store: store?.kind ?? null,
  });
}

/**
 * `GET /metrics`: the Prometheus text of the service's registry.
 *
 * @example
 * ```ts
 * await sendMetrics(res, metrics);
 * ```
 */
export async function sendMetrics(res: ServerResponse, metrics: SaltMetrics): Promise<void> {
  res.writeHead(200, { 'content-type': metrics.registry.contentType });
  res.end(await metrics.registry.metrics());
}
