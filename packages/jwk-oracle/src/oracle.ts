import type { ZkSsoError } from '@zksso/core';
import { type Address, isAddress } from 'viem';
import { type SignerConfig, toAuthority } from './authority.ts';
import { OracleConfigError } from './errors.ts';
import { type IssuerConfig, watchIssuers } from './issuers.ts';
import { jsonLineLogger, type OracleLogger } from './logger.ts';
import { emptyMetrics, type OracleMetrics, startHealthServer } from './metrics.ts';
import { type PassContext, type Report, runPass } from './pass.ts';
import { createRegistryClient } from './registry.ts';
import { type RetryOptions, sleep } from './retry.ts';
import { type AbsenceState, loadAbsenceState } from './state.ts';

/**
 * Configuration of {@link createJwkOracle}.
 *
 * @example
 * ```ts
 * const config: JwkOracleConfig = { issuers: ['https://accounts.google.com'], rpcUrl, registry, signer: { mode: 'owner', privateKey } };
 * ```
 */
export interface JwkOracleConfig {
  issuers: readonly IssuerConfig[];
  rpcUrl: string;
  registry: Address;
  signer: SignerConfig;
  /** Time between passes of `start()` (default 60 000 ms). */
  pollIntervalMs?: number;
  /** How long a key must be absent from the JWKS before it is revoked (default 3 600 000 ms; 0 = at once). */
  gracePeriodMs?: number;
  /** Where absence clocks persist between runs (default: memory only). */
  stateFile?: string;
  /** Per HTTP request to a provider (default 10 000 ms). */
  fetchTimeoutMs?: number;
  /** Retries of each provider fetch (default 4 attempts, 500 ms base, 10 s cap). */
  fetchRetry?: RetryOptions;
  /** Retries of the read-diff-submit step (default 4 attempts, 1 s base, 30 s cap). */
  chainRetry?: RetryOptions;
  /** Per JSON-RPC request (default 15 000 ms). */
  rpcTimeoutMs?: number;
  /** Wait for the batch receipt (default 60 000 ms). */
  receiptTimeoutMs?: number;
  /** Serve `/health` and `/metrics` on this port while `start()` runs (default: no server). */
  healthPort?: number;
  /** Address the health server binds (default 127.0.0.1; `0.0.0.0` to let a remote Prometheus scrape it). */
  healthHost?: string;
  logger?: OracleLogger;
  /** Clock (ms since epoch); tests move it to cross the grace period. */
  now?: () => number;
  fetch?: typeof fetch;
}

/**
 * A running oracle.
 *
 * @example
 * ```ts
 * const oracle: JwkOracle = createJwkOracle(config);
 * await oracle.start();
 * ```
 */
export interface JwkOracle {
  /** One pass: fetch, diff, submit one batch. Throws {@link OracleChainError} / {@link OracleQuorumError}. */
  reconcileOnce(): Promise<Report>;
  /** Runs passes every `pollIntervalMs` until `stop()`; errors are logged, never thrown. */
  start(): Promise<void>;
  /** Ends the loop (waits for the current pass) and the health server; final (create a new oracle to restart). */
  stop(): Promise<void>;
  metrics(): OracleMetrics;
  /** The health server's URL while `start()` runs with `healthPort`. */
  healthUrl(): string | undefined;
}

/**
 * Creates a JWK oracle: it keeps the JwkRegistry's keys of each issuer equal to the issuer's published RS256
 * keys (protocol §7), adding new keys at once and revoking a key once it has been absent from the JWKS for the
 * grace period. Provider failures never revoke; chain failures are retried and the next pass converges.
 *
 * @example
 * ```ts
 * const oracle = createJwkOracle({
 *   issuers: ['https://accounts.google.com'],
 *   rpcUrl: 'http://127.0.0.1:8545',
 *   registry: '0x…',
 *   signer: { mode: 'owner', privateKey: process.env.ZKSSO_ORACLE_PRIVATE_KEY as Hex },
 * });
 * const report = await oracle.reconcileOnce();
 * ```
 */
export function createJwkOracle(config: JwkOracleConfig): JwkOracle {
  const issuers = watchIssuers(config.issuers);
  if (!isAddress(config.registry))
    throw new OracleConfigError('registry is not an address', { registry: config.registry });
  if (!config.rpcUrl) throw new OracleConfigError('rpcUrl is required');
  const authority = toAuthority(config.signer);
  const logger = config.logger ?? jsonLineLogger();
  const now = config.now ?? Date.now;
  const gracePeriodMs = config.gracePeriodMs ?? 3_600_000;
  if (!(gracePeriodMs >= 0)) throw new OracleConfigError('gracePeriodMs must be >= 0');
  const absence: AbsenceState = config.stateFile ? loadAbsenceState(config.stateFile) : new Map();
  const metrics = emptyMetrics();
  const controller = new AbortController();
  const passContext: PassContext = {
    issuers,
    registry: createRegistryClient({
      rpcUrl: config.rpcUrl,
      registry: config.registry,
      authority,
      rpcTimeoutMs: config.rpcTimeoutMs,
      receiptTimeoutMs: config.receiptTimeoutMs,
    }),
    absence,
    stateFile: config.stateFile,
    gracePeriodMs,
    now,
    metrics,
    logger,
    fetch: {
      timeoutMs: config.fetchTimeoutMs ?? 10_000,
      ...(config.fetch ? { fetch: config.fetch } : {}),
      ...(config.fetchRetry ? { retry: config.fetchRetry } : {}),
    },
    chainRetry: config.chainRetry,
    signal: controller.signal,
  };
  let loop: Promise<void> | undefined;
  let health: { url: string; close: () => Promise<void> } | undefined;
  let running: Promise<Report> | undefined;

  async function reconcileOnce(): Promise<Report> {
    // One pass at a time: a concurrent caller waits for the pass in flight, then runs its own.
    while (running) await running.catch(() => undefined);
    running = runPass(passContext);
    try {
      const report = await running;
      metrics.lastPassOk = report.ok;
      if (report.ok) metrics.lastSuccessAt = now();
      else metrics.passesFailed++;
      return report;
    } catch (error) {
      metrics.lastPassOk = false;
      metrics.passesFailed++;
      metrics.chainFailures++;
      logger.error('pass.failed', { error: (error as Error).message, code: (error as ZkSsoError).code });
      throw error;
    } finally {
      running = undefined;
    }
  }

  async function start(): Promise<void> {
    if (loop) return;
    if (config.healthPort !== undefined)
      health = await startHealthServer(() => ({ ...metrics }), {
        port: config.healthPort,
        ...(config.healthHost ? { host: config.healthHost } : {}),
      });
    logger.info('oracle.started', {
      issuers: issuers.map((i) => i.issuer),
      registry: config.registry,
      mode: authority.mode,
      gracePeriodMs,
      ...(health ? { healthUrl: health.url } : {}),
    });
    loop = (async () => {
      while (!controller.signal.aborted) {
        await reconcileOnce().catch(() => undefined);
        await sleep(config.pollIntervalMs ?? 60_000, controller.signal);
      }
    })();
  }

  async function stop(): Promise<void> {
    controller.abort();
    await loop;
    await running?.catch(() => undefined);
    await health?.close();
    if (loop) logger.info('oracle.stopped', { passes: metrics.passes });
    health = undefined;
  }

  return { reconcileOnce, start, stop, metrics: () => ({ ...metrics }), healthUrl: () => health?.url };
}
