import { normalizeIssuer, ZkSsoError } from '@zksso/core';
import { type Address, type Hex, isAddress } from 'viem';
import { diffIssuer, type PendingRevocation, toUpdates } from './diff.ts';
import { JwksFetchError, OracleChainError, OracleConfigError, OracleQuorumError } from './errors.ts';
import {
  discoverJwksUri,
  fetchJson,
  type IssuerKey,
  issuerHash,
  parseJwks,
  type SkippedKey,
} from './jwks.ts';
import { jsonLineLogger, type OracleLogger } from './logger.ts';
import { emptyMetrics, type OracleMetrics, startHealthServer } from './metrics.ts';
import {
  createRegistryClient,
  isPermanentRevert,
  type RegistryAuthority,
  type SubmittedBatch,
} from './registry.ts';
import { type RetryOptions, retryWithBackoff, sleep } from './retry.ts';
import { localOracleSigner, type OracleSigner } from './signers.ts';
import { type AbsenceState, loadAbsenceState, saveAbsenceState } from './state.ts';

/**
 * One watched issuer: its `iss` and, optionally, its JWKS URL (else found by OpenID discovery).
 *
 * @example
 * ```ts
 * const issuers: IssuerConfig[] = ['https://accounts.google.com', { issuer: 'https://idp.example', jwksUri: 'https://idp.example/keys' }];
 * ```
 */
export type IssuerConfig = string | { issuer: string; jwksUri?: string };

/**
 * Who signs: the registry owner (`applyUpdates`) or oracle keys (`applyOracleBatch`, k-of-n).
 *
 * @example
 * ```ts
 * const signer: SignerConfig = { mode: 'oracle', privateKeys: [key1, key2], submitterKey: payer };
 * ```
 */
export type SignerConfig =
  | { mode: 'owner'; privateKey: Hex }
  | {
      mode: 'oracle';
      /** Oracle keys held by this instance. */
      privateKeys?: readonly Hex[];
      /** Other signers (remote peers); see README "Several oracle instances". */
      signers?: readonly OracleSigner[];
      /** Pays for the transaction (anyone may submit a signed batch); default the first private key. */
      submitterKey?: Hex;
    };

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
 * What one pass saw and did for one issuer.
 *
 * @example
 * ```ts
 * for (const issuer of report.issuers) if (issuer.status === 'fetch-failed') console.error(issuer.error);
 * ```
 */
export interface IssuerReport {
  issuer: string;
  issHash: bigint;
  /** `ok`: fetched now; `fetch-failed`: the provider failed after retries (nothing revoked). */
  status: 'ok' | 'fetch-failed';
  error?: string;
  /** Usable keys the pass worked from (the fresh set, or the last known good one when the fetch failed). */
  keys: IssuerKey[];
  skipped: SkippedKey[];
  added: IssuerKey[];
  revoked: bigint[];
  pendingRevocations: PendingRevocation[];
  /** Published keys the registry has revoked or rotated: they stay invalid (the registry never re-activates). */
  blocked: IssuerKey[];
}

/**
 * The result of {@link JwkOracle.reconcileOnce}.
 *
 * @example
 * ```ts
 * const report: Report = await oracle.reconcileOnce();
 * if (!report.ok) process.exitCode = 2;
 * ```
 */
export interface Report {
  /** True when every issuer was fetched and the registry now matches (or no change was needed). */
  ok: boolean;
  /** True when a transaction changed the registry. */
  changed: boolean;
  txHash?: Hex;
  blockNumber?: bigint;
  issuers: IssuerReport[];
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

interface WatchedIssuer {
  issuer: string;
  issHash: bigint;
  configuredJwksUri?: string;
  discoveredJwksUri?: string;
  lastKnownGood?: IssuerKey[];
  warnedKids: Set<string>;
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
  const issuers = validateIssuers(config.issuers);
  if (!isAddress(config.registry))
    throw new OracleConfigError('registry is not an address', { registry: config.registry });
  if (!config.rpcUrl) throw new OracleConfigError('rpcUrl is required');
  const authority = toAuthority(config.signer);
  const logger = config.logger ?? jsonLineLogger();
  const now = config.now ?? Date.now;
  const gracePeriodMs = config.gracePeriodMs ?? 3_600_000;
  if (!(gracePeriodMs >= 0)) throw new OracleConfigError('gracePeriodMs must be >= 0');
  const registry = createRegistryClient({
    rpcUrl: config.rpcUrl,
    registry: config.registry,
    authority,
    rpcTimeoutMs: config.rpcTimeoutMs,
    receiptTimeoutMs: config.receiptTimeoutMs,
  });
  const absence: AbsenceState = config.stateFile ? loadAbsenceState(config.stateFile) : new Map();
  const metrics = emptyMetrics();
  const controller = new AbortController();
  let loop: Promise<void> | undefined;
  let health: { url: string; close: () => Promise<void> } | undefined;
  let running: Promise<Report> | undefined;

  async function fetchIssuer(watched: WatchedIssuer) {
    const fetchOptions = {
      timeoutMs: config.fetchTimeoutMs ?? 10_000,
      fetch: config.fetch,
      signal: controller.signal,
    };
    return retryWithBackoff(
      async () => {
        if (!watched.configuredJwksUri && !watched.discoveredJwksUri) {
          watched.discoveredJwksUri = await discoverJwksUri(watched.issuer, fetchOptions);
        }
        const url = (watched.configuredJwksUri ?? watched.discoveredJwksUri) as string;
        try {
          return parseJwks(await fetchJson(url, watched.issuer, fetchOptions));
        } catch (error) {
          // A moved jwks_uri is found again by the next discovery.
          watched.discoveredJwksUri = undefined;
          if (error instanceof ZkSsoError) throw error;
          throw new JwksFetchError(watched.issuer, url, (error as Error).message);
        }
      },
      {
        attempts: 4,
        baseDelayMs: 500,
        maxDelayMs: 10_000,
        ...config.fetchRetry,
        signal: controller.signal,
        onRetry: (error, attempt, delayMs) =>
          logger.warn('jwks.retry', {
            issuer: watched.issuer,
            attempt,
            delayMs,
            error: (error as Error).message,
          }),
      },
    );
  }

  async function pass(): Promise<Report> {
    metrics.passes++;
    const fetched = await Promise.all(
      issuers.map(async (watched) => {
        try {
          const set = await fetchIssuer(watched);
          for (const skipped of set.skipped) {
            if (watched.warnedKids.has(skipped.kid)) continue;
            watched.warnedKids.add(skipped.kid);
            logger.warn('jwk.skipped', { issuer: watched.issuer, kid: skipped.kid, reason: skipped.reason });
          }
          watched.lastKnownGood = set.keys;
          return { watched, published: set.keys, skipped: set.skipped, error: undefined };
        } catch (error) {
          metrics.fetchFailures++;
          logger.error('jwks.failed', {
            issuer: watched.issuer,
            error: (error as Error).message,
            keptKeys: watched.lastKnownGood?.length ?? 0,
          });
          return { watched, published: undefined, skipped: [], error: (error as Error).message };
        }
      }),
    );

    let reports: IssuerReport[] = [];
    let batch: SubmittedBatch | undefined;
    await retryWithBackoff(
      async () => {
        const at = now();
        const onChain = await Promise.all(fetched.map((f) => registry.keysOf(f.watched.issHash)));
        const diffs = fetched.map((f, i) => {
          const diff = diffIssuer({
            issHash: f.watched.issHash,
            published: f.published,
            lastKnownGood: f.watched.lastKnownGood,
            onChain: onChain[i] ?? [],
            absentSince: absence.get(f.watched.issHash) ?? new Map(),
            now: at,
            gracePeriodMs,
          });
          return { f, diff };
        });
        // Absence clocks follow the provider, whatever happens to the transaction.
        for (const { f, diff } of diffs) {
          const clocks = new Map(diff.absentSince);
          for (const hash of diff.revoke) clocks.set(hash, absence.get(f.watched.issHash)?.get(hash) ?? at);
          absence.set(f.watched.issHash, clocks);
        }
        if (config.stateFile) saveAbsenceState(config.stateFile, absence);
        reports = diffs.map(({ f, diff }) => ({
          issuer: f.watched.issuer,
          issHash: f.watched.issHash,
          status: f.error === undefined ? ('ok' as const) : ('fetch-failed' as const),
          ...(f.error === undefined ? {} : { error: f.error }),
          keys: f.published ?? f.watched.lastKnownGood ?? [],
          skipped: f.skipped,
          added: diff.add,
          revoked: diff.revoke,
          pendingRevocations: diff.pending,
          blocked: diff.blocked,
        }));
        for (const r of reports) {
          for (const key of r.blocked) {
            logger.warn('jwk.blocked', {
              issuer: r.issuer,
              kid: key.kid,
              modulusHash: key.modulusHash,
              reason: 'revoked or rotated on chain',
            });
          }
          for (const p of r.pendingRevocations) {
            logger.info('jwk.revocation-pending', {
              issuer: r.issuer,
              modulusHash: p.modulusHash,
              revokeAt: new Date(p.revokeAt).toISOString(),
            });
          }
        }
        const updates = toUpdates(diffs.map(({ f, diff }) => ({ issHash: f.watched.issHash, diff })));
        if (updates.length === 0) {
          batch = undefined;
          return;
        }
        batch = await registry.submit(updates);
      },
      {
        attempts: 4,
        baseDelayMs: 1_000,
        maxDelayMs: 30_000,
        ...config.chainRetry,
        signal: controller.signal,
        retryable: (error) =>
          !(error instanceof OracleQuorumError) &&
          !(
            error instanceof OracleChainError && isPermanentRevert(error.details.revert as string | undefined)
          ),
        onRetry: (error, attempt, delayMs) =>
          logger.warn('chain.retry', { attempt, delayMs, error: (error as Error).message }),
      },
    );

    const changed = batch !== undefined;
    if (batch) {
      metrics.transactions++;
      metrics.keysAdded += batch.added.length;
      metrics.keysRevoked += batch.revoked.length;
      for (const r of reports) {
        for (const key of r.added)
          logger.info('jwk.added', {
            issuer: r.issuer,
            kid: key.kid,
            modulusHash: key.modulusHash,
            txHash: batch.txHash,
          });
        for (const hash of r.revoked)
          logger.info('jwk.revoked', { issuer: r.issuer, modulusHash: hash, txHash: batch.txHash });
      }
    }
    const ok = reports.every((r) => r.status === 'ok');
    logger.info('pass.done', {
      ok,
      changed,
      added: reports.reduce((n, r) => n + r.added.length, 0),
      revoked: reports.reduce((n, r) => n + r.revoked.length, 0),
      ...(batch ? { txHash: batch.txHash, blockNumber: batch.blockNumber } : {}),
    });
    return {
      ok,
      changed,
      ...(batch ? { txHash: batch.txHash, blockNumber: batch.blockNumber } : {}),
      issuers: reports,
    };
  }

  async function reconcileOnce(): Promise<Report> {
    // One pass at a time: a concurrent caller waits for the pass in flight, then runs its own.
    while (running) await running.catch(() => undefined);
    running = pass();
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

function validateIssuers(configs: readonly IssuerConfig[]): WatchedIssuer[] {
  if (!configs || configs.length === 0) throw new OracleConfigError('at least one issuer is required');
  const seen = new Map<bigint, string>();
  return configs.map((c) => {
    const entry = typeof c === 'string' ? { issuer: c } : c;
    if (!entry.issuer) throw new OracleConfigError('an issuer is empty');
    const issuer = normalizeIssuer(entry.issuer);
    let issHash: bigint;
    try {
      issHash = issuerHash(issuer);
    } catch (error) {
      throw new OracleConfigError(`issuer ${issuer} cannot be hashed: ${(error as Error).message}`, {
        issuer,
      });
    }
    const previous = seen.get(issHash);
    if (previous) throw new OracleConfigError(`issuer ${issuer} is configured twice`, { issuer, previous });
    seen.set(issHash, issuer);
    return {
      issuer,
      issHash,
      ...(entry.jwksUri ? { configuredJwksUri: entry.jwksUri } : {}),
      warnedKids: new Set<string>(),
    };
  });
}

function toAuthority(signer: SignerConfig): RegistryAuthority {
  if (signer?.mode === 'owner') {
    if (!signer.privateKey) throw new OracleConfigError('owner mode needs a private key');
    return { mode: 'owner', privateKey: signer.privateKey };
  }
  if (signer?.mode === 'oracle') {
    const local = (signer.privateKeys ?? []).map(localOracleSigner);
    const signers = [...local, ...(signer.signers ?? [])];
    const submitterKey = signer.submitterKey ?? signer.privateKeys?.[0];
    if (signers.length === 0) throw new OracleConfigError('oracle mode needs at least one signer');
    if (!submitterKey) throw new OracleConfigError('oracle mode needs a submitter key (or a private key)');
    return { mode: 'oracle', signers, submitterKey };
  }
  throw new OracleConfigError('signer.mode must be "owner" or "oracle"');
}
