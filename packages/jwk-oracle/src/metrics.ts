import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROTOCOL_VERSION } from '@zksso/core';

/**
 * Counters of an oracle since it started.
 *
 * @example
 * ```ts
 * const { keysAdded, lastPassOk } = oracle.metrics();
 * ```
 */
export interface OracleMetrics {
  passes: number;
  passesFailed: number;
  keysAdded: number;
  keysRevoked: number;
  transactions: number;
  fetchFailures: number;
  chainFailures: number;
  /** ms since epoch of the last pass that ended in sync (0 if none). */
  lastSuccessAt: number;
  /** Whether the last pass ended in sync. */
  lastPassOk: boolean;
}

/**
 * Fresh zeroed counters.
 *
 * @example
 * ```ts
 * const metrics = emptyMetrics();
 * ```
 */
export function emptyMetrics(): OracleMetrics {
  return {
    passes: 0,
    passesFailed: 0,
    keysAdded: 0,
    keysRevoked: 0,
    transactions: 0,
    fetchFailures: 0,
    chainFailures: 0,
    lastSuccessAt: 0,
    lastPassOk: false,
  };
}

/**
 * The counters in Prometheus text format (`zksso_jwk_oracle_*`), without a client library.
 *
 * @example
 * ```ts
 * response.end(prometheusText(oracle.metrics()));
 * ```
 */
export function prometheusText(metrics: OracleMetrics): string {
  const lines: string[] = [];
  const counter = (name: string, help: string, value: number, type = 'counter') =>
    lines.push(
      `# HELP zksso_jwk_oracle_${name} ${help}`,
      `# TYPE zksso_jwk_oracle_${name} ${type}`,
      `zksso_jwk_oracle_${name} ${value}`,
    );
  counter('passes_total', 'Reconciliation passes run.', metrics.passes);
  counter('passes_failed_total', 'Passes that did not end in sync.', metrics.passesFailed);
  counter('keys_added_total', 'Keys added to the registry.', metrics.keysAdded);
  counter('keys_revoked_total', 'Keys revoked in the registry.', metrics.keysRevoked);
  counter('transactions_total', 'Batch transactions mined.', metrics.transactions);
  counter('fetch_failures_total', 'Issuer fetches that failed after retries.', metrics.fetchFailures);
  counter('chain_failures_total', 'Chain steps that failed after retries.', metrics.chainFailures);
  counter(
    'last_success_timestamp_seconds',
    'When the last pass ended in sync.',
    Math.floor(metrics.lastSuccessAt / 1000),
    'gauge',
  );
  return `${lines.join('\n')}\n`;
}

/**
 * Serves `GET /health` (200 while the last pass ended in sync, else 503; JSON with `zksso/v1`) and
 * `GET /metrics` (Prometheus text) on 127.0.0.1 unless another host is given.
 *
 * @example
 * ```ts
 * const server = await startHealthServer(() => oracle.metrics(), { port: 9464 });
 * ```
 */
export async function startHealthServer(
  metrics: () => OracleMetrics,
  options: { port: number; host?: string },
): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const current = metrics();
    if (req.method === 'GET' && req.url === '/health') {
      res.writeHead(current.lastPassOk ? 200 : 503, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          status: current.lastPassOk ? 'ok' : 'degraded',
          version: PROTOCOL_VERSION,
          ...current,
        }),
      );
    } else if (req.method === 'GET' && req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(prometheusText(current));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
