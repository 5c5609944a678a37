import type { Hex } from 'viem';
import { diffIssuer, type PendingRevocation, toUpdates } from './diff.ts';
import { OracleChainError, OracleQuorumError } from './errors.ts';
import { type FetchIssuerOptions, fetchIssuerKeys, type WatchedIssuer } from './issuers.ts';
import type { IssuerKey, SkippedKey } from './jwks.ts';
import type { OracleLogger } from './logger.ts';
import type { OracleMetrics } from './metrics.ts';
import { isPermanentRevert, type RegistryClient, type SubmittedBatch } from './registry.ts';
import { type RetryOptions, retryWithBackoff } from './retry.ts';
import { type AbsenceState, saveAbsenceState } from './state.ts';

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
 * The result of one pass (`JwkOracle.reconcileOnce`).
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

/** What {@link runPass} works with: the oracle's parts and state, shared between passes. */
export interface PassContext {
  issuers: readonly WatchedIssuer[];
  registry: RegistryClient;
  /** Since when each on-chain key has been absent from its issuer's JWKS (mutated by the pass). */
  absence: AbsenceState;
  stateFile: string | undefined;
  gracePeriodMs: number;
  now: () => number;
  metrics: OracleMetrics;
  logger: OracleLogger;
  fetch: Omit<FetchIssuerOptions, 'logger' | 'signal'>;
  chainRetry: RetryOptions | undefined;
  signal: AbortSignal;
}

type Fetched = {
  watched: WatchedIssuer;
  published: IssuerKey[] | undefined;
  skipped: SkippedKey[];
  error: string | undefined;
};

/**
 * One reconcile pass: read every issuer's keys (a failure keeps its last known good set and revokes
 * nothing), read the registry, diff (adding at once, revoking after the grace period), and submit the changes
 * as one batch, retrying chain failures that retrying can fix.
 *
 * @throws {OracleChainError} {@link OracleQuorumError} when the batch cannot be submitted.
 * @example
 * ```ts
 * const report = await runPass(context);
 * ```
 */
export async function runPass(context: PassContext): Promise<Report> {
  const { metrics, logger } = context;
  metrics.passes++;
  const fetched = await Promise.all(context.issuers.map((watched) => fetchOne(context, watched)));

  let reports: IssuerReport[] = [];
  let batch: SubmittedBatch | undefined;
  await retryWithBackoff(
    async () => {
      ({ reports, batch } = await diffAndSubmit(context, fetched));
    },
    {
      attempts: 4,
      baseDelayMs: 1_000,
      maxDelayMs: 30_000,
      ...context.chainRetry,
      signal: context.signal,
      retryable: (error) =>
        !(error instanceof OracleQuorumError) &&
        !(error instanceof OracleChainError && isPermanentRevert(error.details.revert as string | undefined)),
      onRetry: (error, attempt, delayMs) =>
        logger.warn('chain.retry', { attempt, delayMs, error: (error as Error).message }),
    },
  );

  const changed = batch !== undefined;
  if (batch) logBatch(context, reports, batch);
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

/** One issuer's keys now, warning once per skipped kid; a failure is reported, not thrown. */
async function fetchOne(context: PassContext, watched: WatchedIssuer): Promise<Fetched> {
  try {
    const set = await fetchIssuerKeys(watched, {
      ...context.fetch,
      signal: context.signal,
      logger: context.logger,
    });
    for (const skipped of set.skipped) {
      if (watched.warnedKids.has(skipped.kid)) continue;
      watched.warnedKids.add(skipped.kid);
      context.logger.warn('jwk.skipped', {
        issuer: watched.issuer,
        kid: skipped.kid,
        reason: skipped.reason,
      });
    }
    watched.lastKnownGood = set.keys;
    return { watched, published: set.keys, skipped: set.skipped, error: undefined };
  } catch (error) {
    context.metrics.fetchFailures++;
    context.logger.error('jwks.failed', {
      issuer: watched.issuer,
      error: (error as Error).message,
      keptKeys: watched.lastKnownGood?.length ?? 0,
    });
    return { watched, published: undefined, skipped: [], error: (error as Error).message };
  }
}

/** Reads the registry, diffs each issuer, moves the absence clocks, and submits one batch when needed. */
async function diffAndSubmit(
  context: PassContext,
  fetched: readonly Fetched[],
): Promise<{ reports: IssuerReport[]; batch: SubmittedBatch | undefined }> {
  const { absence, logger } = context;
  const at = context.now();
  const onChain = await Promise.all(fetched.map((f) => context.registry.keysOf(f.watched.issHash)));
  const diffs = fetched.map((f, i) => {
    const diff = diffIssuer({
      issHash: f.watched.issHash,
      published: f.published,
      lastKnownGood: f.watched.lastKnownGood,
      onChain: onChain[i] ?? [],
      absentSince: absence.get(f.watched.issHash) ?? new Map(),
      now: at,
      gracePeriodMs: context.gracePeriodMs,
    });
    return { f, diff };
  });
  // Absence clocks follow the provider, whatever happens to the transaction.
  for (const { f, diff } of diffs) {
    const clocks = new Map(diff.absentSince);
    for (const hash of diff.revoke) clocks.set(hash, absence.get(f.watched.issHash)?.get(hash) ?? at);
    absence.set(f.watched.issHash, clocks);
  }
  if (context.stateFile) saveAbsenceState(context.stateFile, absence);
  const reports: IssuerReport[] = diffs.map(({ f, diff }) => ({
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
  if (updates.length === 0) return { reports, batch: undefined };
  return { reports, batch: await context.registry.submit(updates) };
}

function logBatch(context: PassContext, reports: readonly IssuerReport[], batch: SubmittedBatch): void {
  const { metrics, logger } = context;
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
