import type { Hex } from 'viem';
import { SavedSessionNotActiveError, SessionUnknownError } from '../errors.ts';
import type { SessionLimitState, SessionRecord } from '../sdk.ts';
import type { CliStore, SavedSession } from '../state.ts';
import { formatDuration, formatEth, formatTokenAmount } from '../units.ts';

/**
 * Unix seconds at which a saved session's spec expires (0 when the record does not say).
 *
 * @example
 * ```ts
 * recordExpiresAt(saved.record); // 1800003600
 * ```
 */
export function recordExpiresAt(record: SessionRecord): number {
  const spec = record.spec as { expiresAt?: unknown } | undefined;
  const value = Number(spec?.expiresAt ?? 0);
  return Number.isFinite(value) ? value : 0;
}

/**
 * Finds a saved session by full hash or unique prefix (at least `0x` and 4 hex digits).
 *
 * @throws SessionUnknownError when none or several match.
 * @example
 * ```ts
 * const saved = findSession(store, '0x1234');
 * ```
 */
export function findSession(store: CliStore, hashOrPrefix: string): SavedSession<SessionRecord> {
  const wanted = hashOrPrefix.toLowerCase();
  if (!/^0x[0-9a-f]{4,64}$/.test(wanted)) {
    throw new SessionUnknownError(
      hashOrPrefix,
      `"${hashOrPrefix}" is not a session hash (0x and at least 4 hex digits)`,
    );
  }
  const matches = store
    .listSessions<SessionRecord>()
    .filter((s) => s.record.sessionHash.toLowerCase().startsWith(wanted));
  if (matches.length === 0)
    throw new SessionUnknownError(hashOrPrefix, `no saved session matches ${hashOrPrefix}`);
  if (matches.length > 1) {
    throw new SessionUnknownError(
      hashOrPrefix,
      `${matches.length} saved sessions start with ${hashOrPrefix}: give more digits`,
    );
  }
  return matches[0] as SavedSession<SessionRecord>;
}

/**
 * Refuses a saved session known here to be unusable: revoked by `zksso session revoke`, or past its expiry.
 * Nothing is sent for it: the chain would refuse it (the bundler before any gas is paid), so say it now.
 *
 * @throws SavedSessionNotActiveError (exit code 4).
 * @example
 * ```ts
 * assertSavedSessionUsable(findSession(store, '0x1234'), now);
 * ```
 */
export function assertSavedSessionUsable(saved: SavedSession<SessionRecord>, now: number): void {
  if (saved.revokedAt !== undefined) {
    throw new SavedSessionNotActiveError(saved.record.sessionHash, 'revoked', saved.revokedAt);
  }
  const expiresAt = recordExpiresAt(saved.record);
  if (expiresAt > 0 && expiresAt < now) {
    throw new SavedSessionNotActiveError(saved.record.sessionHash, 'expired', expiresAt);
  }
}

/**
 * The session `zksso session send` uses without `--session`: the newest saved one that is not revoked,
 * not expired, on this chain and (when logged in) of the logged-in account.
 *
 * @throws SavedSessionNotActiveError (exit code 4) when the account's newest saved session is revoked or
 *   expired and no other is usable; SessionUnknownError (exit code 2) when there is no saved session at all.
 * @example
 * ```ts
 * const saved = defaultSession(store, { chainId: 31337, account: login?.session.address, now });
 * ```
 */
export function defaultSession(
  store: CliStore,
  filter: { chainId: number; account: string | undefined; now: number },
): SavedSession<SessionRecord> {
  const mine = store
    .listSessions<SessionRecord>()
    .filter(
      (s) =>
        s.record.chainId === filter.chainId &&
        (filter.account === undefined || s.record.account.toLowerCase() === filter.account.toLowerCase()),
    )
    .sort((a, b) => b.record.createdAt - a.record.createdAt);
  const usable = mine.find((s) => s.revokedAt === undefined && recordExpiresAt(s.record) > filter.now);
  if (usable) return usable;
  const newest = mine[0];
  if (newest) {
    // Say why the session the user most likely means cannot be used, rather than that there is none.
    assertSavedSessionUsable(newest, filter.now);
  }
  throw new SessionUnknownError(
    undefined,
    'no usable saved session: create one with `zksso session create`, or give --session',
  );
}

function amount(limit: SessionLimitState, value: bigint): string {
  // Fee and transfer/call value limits are in wei; constraint limits count the argument's own units (the
  // token's, when the SDK could read them).
  return limit.policy === 'constraint' ? formatTokenAmount(value, limit.unit) : formatEth(value);
}

/**
 * One limit as a line for people: `transfer 0x1111… allowance 0.002 ETH per 1 min: used 0.001 ETH,
 * remaining 0.001 ETH, resets 12:01:00Z (in 40 s)`.
 *
 * @example
 * ```ts
 * describeLimit(limit, Math.floor(Date.now() / 1000));
 * ```
 */
export function describeLimit(limit: SessionLimitState, now: number): string {
  const what = [
    limit.policy,
    limit.target,
    limit.selector,
    limit.argumentIndex === undefined ? undefined : `arg ${limit.argumentIndex}`,
  ]
    .filter((x) => x !== undefined)
    .join(' ');
  if (limit.kind === 'unlimited') return `${what}: unlimited`;
  const head =
    limit.kind === 'allowance'
      ? `${what}: allowance ${amount(limit, limit.limit)} per ${formatDuration(limit.period ?? 0)}`
      : `${what}: lifetime ${amount(limit, limit.limit)}`;
  const reset =
    limit.kind === 'allowance' && limit.resetsAt
      ? `, resets ${new Date(limit.resetsAt * 1000).toISOString()} (in ${formatDuration(limit.resetsAt - now)})`
      : '';
  return `${head}: used ${amount(limit, limit.used)}, remaining ${amount(limit, limit.remaining)}${reset}`;
}

/** Short form of a hash for tables. @example `shortHash('0x1234…')` */
export function shortHash(hash: Hex | string): string {
  return `${hash.slice(0, 10)}…${hash.slice(-4)}`;
}
