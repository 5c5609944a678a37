import type { IssuerKey } from './jwks.ts';
import { Action, type JwkUpdate, KeyStatus, type KeyStatusValue } from './registry-abi.ts';

/**
 * A key on chain for one issuer (from `keysOf`).
 *
 * @example
 * ```ts
 * const key: OnChainKey = { modulusHash, status: KeyStatus.Active };
 * ```
 */
export interface OnChainKey {
  modulusHash: bigint;
  status: KeyStatusValue;
}

/**
 * Input of {@link diffIssuer}.
 *
 * @example
 * ```ts
 * diffIssuer({ issHash, published, lastKnownGood, onChain, absentSince, now: Date.now(), gracePeriodMs: 0 });
 * ```
 */
export interface DiffInput {
  issHash: bigint;
  /** The issuer's usable keys now (from a successful fetch), or undefined when the fetch failed. */
  published: readonly IssuerKey[] | undefined;
  /** The last key set fetched successfully (used to keep adding when the provider is down). */
  lastKnownGood: readonly IssuerKey[] | undefined;
  onChain: readonly OnChainKey[];
  /** When each on-chain active key was first seen missing from the JWKS (ms since epoch), by modulus hash. */
  absentSince: ReadonlyMap<bigint, number>;
  now: number;
  /** How long a key must stay out of the JWKS before it is revoked (ms). */
  gracePeriodMs: number;
}

/**
 * A key that left the JWKS and will be revoked once its grace period ends.
 *
 * @example
 * ```ts
 * for (const p of diff.pending) console.log(p.modulusHash, new Date(p.revokeAt));
 * ```
 */
export interface PendingRevocation {
  modulusHash: bigint;
  absentSince: number;
  revokeAt: number;
}

/**
 * The result of {@link diffIssuer}.
 *
 * @example
 * ```ts
 * const { add, revoke, pending } = diffIssuer(input);
 * ```
 */
export interface IssuerDiff {
  add: IssuerKey[];
  revoke: bigint[];
  pending: PendingRevocation[];
  /** Published keys the registry has revoked or rotated out: they can never be active again. */
  blocked: IssuerKey[];
  /** The new absence map for this issuer (keys back in the JWKS or no longer active are dropped). */
  absentSince: Map<bigint, number>;
}

/**
 * Compares an issuer's published keys with the registry. Adds every published key the registry does not know;
 * revokes an active key only after a successful fetch has not listed it for `gracePeriodMs`. A failed fetch
 * (`published` undefined) never revokes and keeps the absence clocks as they are; keys of the last known good
 * set are still added. An empty published set never revokes either (a provider glitch, not a rotation).
 *
 * @example
 * ```ts
 * const diff = diffIssuer({ issHash, published, lastKnownGood, onChain, absentSince: new Map(), now: Date.now(), gracePeriodMs: 0 });
 * ```
 */
export function diffIssuer(input: DiffInput): IssuerDiff {
  const statusOf = new Map(input.onChain.map((k) => [k.modulusHash, k.status]));
  const source = input.published ?? input.lastKnownGood ?? [];
  const add: IssuerKey[] = [];
  const blocked: IssuerKey[] = [];
  for (const key of source) {
    const status = statusOf.get(key.modulusHash) ?? KeyStatus.Unknown;
    if (status === KeyStatus.Unknown) add.push(key);
    else if (status !== KeyStatus.Active) blocked.push(key);
  }

  const revoke: bigint[] = [];
  const pending: PendingRevocation[] = [];
  const absentSince = new Map<bigint, number>();
  const active = input.onChain.filter((k) => k.status === KeyStatus.Active).map((k) => k.modulusHash);
  if (input.published === undefined || input.published.length === 0) {
    // No trustworthy view of the provider: keep the clocks, revoke nothing.
    for (const hash of active) {
      const since = input.absentSince.get(hash);
      if (since !== undefined) absentSince.set(hash, since);
    }
    return { add, revoke, pending, blocked, absentSince };
  }
  const published = new Set(input.published.map((k) => k.modulusHash));
  for (const hash of active) {
    if (published.has(hash)) continue;
    const since = input.absentSince.get(hash) ?? input.now;
    const revokeAt = since + input.gracePeriodMs;
    if (input.now >= revokeAt) revoke.push(hash);
    else {
      absentSince.set(hash, since);
      pending.push({ modulusHash: hash, absentSince: since, revokeAt });
    }
  }
  return { add, revoke, pending, blocked, absentSince };
}

/**
 * Turns per-issuer diffs into one batch in a canonical order (adds before revocations, then by issuer and
 * modulus hash), so independent oracle instances that see the same state build byte-identical batches.
 *
 * @example
 * ```ts
 * const updates = toUpdates([{ issHash, diff }]);
 * ```
 */
export function toUpdates(
  diffs: readonly { issHash: bigint; diff: Pick<IssuerDiff, 'add' | 'revoke'> }[],
): JwkUpdate[] {
  const updates: JwkUpdate[] = [];
  for (const { issHash, diff } of diffs) {
    for (const key of diff.add)
      updates.push({ action: Action.Add, issHash, modulusHash: key.modulusHash, replacement: 0n });
    for (const hash of diff.revoke)
      updates.push({ action: Action.Revoke, issHash, modulusHash: hash, replacement: 0n });
  }
  const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
  return updates.sort(
    (a, b) => a.action - b.action || cmp(a.issHash, b.issHash) || cmp(a.modulusHash, b.modulusHash),
  );
}
