import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROTOCOL_VERSION, type ProveResponse } from '@zksso/core';
import { type Logger, pino } from 'pino';
import type { ProverConfig } from './config.ts';
import { ProverError } from './errors.ts';
import { createErrorResponder, HttpAnswer, requestIdOf, send } from './http.ts';
import { JwksCache } from './jwks.ts';
import { createMetrics, type ProverMetrics } from './metrics.ts';
import { ProvingPool } from './pool.ts';
import { ProofLimits } from './proof-limits.ts';
import { healthAnswer } from './routes/health.ts';
import { createProveRoute } from './routes/prove.ts';
import type { ServiceState } from './state.ts';
import { defaultTierLoader, preloadTiers, type TierKeys, type TierLoader } from './tier-keys.ts';

export type { TierKeys };
/** The protocol version this service speaks (protocol §12), re-exported from @zksso/core. */
export { PROTOCOL_VERSION };

/** Hooks for tests and embedding; production uses the defaults. */
export interface ProverServiceOptions {
  /** Default: pino at `config.logLevel` on stdout. */
  readonly logger?: Logger;
  /** Used for discovery and JWKS requests; default global fetch. */
  readonly fetch?: typeof fetch;
  /**
   * Loads a tier's keys; default: from `config.keysDir` when set (checked, never built), else
   * `ensureTierArtifacts` (builds DEVELOPMENT keys on first use).
   */
  readonly loadTier?: TierLoader;
  /** Module (file URL) exporting the worker's `prove(job)`; default snarkjs (`./prove-job.ts`). */
  readonly proveModule?: string;
  /** Unix seconds now, for the token's lifetime and the expiry check. */
  readonly nowSeconds?: () => number;
  /** Milliseconds now, for the rate limits; default `Date.now`. */
  readonly nowMs?: () => number;
}

/** A prover service. */
export interface ProverService {
  /** Starts HTTP, the workers and the tier preload; resolves when every configured tier is ready. */
  listen(): Promise<string>;
  /** Stops accepting, lets in-flight proofs finish (up to `shutdownTimeoutMs`), stops the workers. */
  close(): Promise<void>;
  /** `http://host:port` once listening. */
  readonly url: string;
  readonly metrics: ProverMetrics;
  readonly jwks: JwksCache;
}

/** The answer of `POST /v1`: `@zksso/core`'s wire type, the one the SDK reads. */
export type { ProveResponse };

/**
 * Creates the prover service: `POST /v1` (token + secrets → zkLogin proof, `routes/prove.ts`), `GET /ping`,
 * `GET /health` (`routes/health.ts`), `GET /metrics`. Stateless: any number of instances can serve behind a
 * load balancer. This function only composes the parts (JWKS cache, worker pool, rate limits, tier loading,
 * routes) and runs the HTTP server's life.
 *
 * @example
 * ```ts
 * const service = createProverService(loadConfig());
 * const url = await service.listen();
 * process.on('SIGTERM', () => service.close().then(() => process.exit(0)));
 * ```
 */
export function createProverService(config: ProverConfig, options: ProverServiceOptions = {}): ProverService {
  const log = options.logger ?? pino({ level: config.logLevel, base: { service: 'prover' } });
  const metrics = createMetrics();
  const jwks = new JwksCache(config.issuers, {
    ttlMs: config.jwksTtlMs,
    minRefetchMs: config.jwksMinRefetchMs,
    timeoutMs: config.jwksTimeoutMs,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const loadTier = options.loadTier ?? defaultTierLoader(config);
  const pool = new ProvingPool({
    concurrency: config.concurrency,
    queueSize: config.queueSize,
    ...(options.proveModule ? { proveModule: options.proveModule } : {}),
    onChange: () => {
      metrics.queueDepth.set(pool.queueDepth);
      metrics.inFlight.set(pool.inFlight);
    },
  });
  const state: ServiceState = { tiers: new Map(), ready: false, closing: undefined };
  const answerError = createErrorResponder(metrics, log);
  const handleProve = createProveRoute({
    config,
    state,
    jwks,
    pool,
    limits: new ProofLimits(config, metrics, options.nowMs),
    metrics,
    log,
    answerError,
    ...(options.nowSeconds ? { nowSeconds: options.nowSeconds } : {}),
  });
  const keySource = options.loadTier ? 'custom' : config.keysDir !== undefined ? 'keys-dir' : 'cache';
  const inFlightRequests = new Set<Promise<unknown>>();
  let server: Server | undefined;
  let url = '';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = requestIdOf(req, randomUUID);
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (path === '/v1') {
        if (req.method !== 'POST') throw new ProverError('METHOD_NOT_ALLOWED', 'use POST /v1');
        await handleProve(req, res, requestId);
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        throw new ProverError('METHOD_NOT_ALLOWED', `use GET ${path}`);
      }
      if (path === '/ping') {
        send(res, new HttpAnswer(200, 'pong', 'text/plain; charset=utf-8'), requestId);
      } else if (path === '/health') {
        send(res, healthAnswer({ config, state, pool, keySource }), requestId);
      } else if (path === '/metrics') {
        const text = await metrics.registry.metrics();
        send(res, new HttpAnswer(200, text, metrics.registry.contentType), requestId);
      } else {
        throw new ProverError('NOT_FOUND', `no route ${path}`);
      }
    } catch (error) {
      if (!res.headersSent) answerError(res, error, requestId);
      else res.end();
    }
  }

  const service: ProverService = {
    metrics,
    jwks,
    get url() {
      return url;
    },
    async listen() {
      if (server) return url;
      const http = createServer((req, res) => {
        const work = handle(req, res);
        inFlightRequests.add(work);
        work.finally(() => inFlightRequests.delete(work));
      });
      server = http;
      http.requestTimeout = config.timeoutMs + 30_000;
      await new Promise<void>((resolve, reject) => {
        http.once('error', reject);
        http.listen(config.port, config.host, () => resolve());
      });
      const { port } = http.address() as AddressInfo;
      url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
      log.info(
        { url, tiers: config.tiers, concurrency: config.concurrency, queueSize: config.queueSize },
        'listening',
      );
      if (config.issuers.length > 0 && config.audiences.length === 0) {
        log.warn('ZKSSO_PROVER_AUDIENCES is empty: every token is refused with AUDIENCE_NOT_ALLOWED');
      }
      const [workers, keys] = await Promise.allSettled([
        pool.start(),
        preloadTiers(config.tiers, loadTier, state.tiers, log),
      ]);
      const failure = [keys, workers].find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure) {
        // A tier that cannot load (e.g. a bad ZKSSO_PROVER_KEYS_DIR file) is a startup error: stop what
        // started (HTTP, workers) so the caller gets the error, not a half-started service.
        log.error(
          { err: { name: failure.reason?.name, message: failure.reason?.message } },
          'startup failed',
        );
        await service.close();
        throw failure.reason;
      }
      state.ready = true;
      log.info({ tiers: config.tiers }, 'ready');
      return url;
    },
    close() {
      state.closing ??= (async () => {
        log.info({ inFlight: pool.inFlight, queued: pool.queueDepth }, 'shutting down');
        const stopped = server
          ? new Promise<void>((resolve) => server?.close(() => resolve()))
          : Promise.resolve();
        server?.closeIdleConnections();
        await pool.close(config.shutdownTimeoutMs);
        await Promise.allSettled([...inFlightRequests]);
        server?.closeAllConnections();
        await stopped;
        log.info('stopped');
      })();
      return state.closing;
    },
  };
  return service;
}
