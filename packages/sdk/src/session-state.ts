import type { SessionSpec, UsageLimit } from '@zksso/core';
import type { Address, Hex } from 'viem';
import { SESSION_LIMIT_KIND, SESSION_STATUS } from './contracts/index.ts';
import type { SessionLimitPolicy } from './errors.ts';
import type { TokenUnit } from './units.ts';

/** One usage limit of a session, as it stands at a given time. */
export interface SessionLimitState {
  /** What the limit applies to. */
  policy: SessionLimitPolicy;
  target?: Address;
  selector?: Hex;
  /** For a constraint: the word index of the constrained argument (protocol §11). */
  argumentIndex?: number;
  kind: 'lifetime' | 'allowance' | 'unlimited';
  limit: bigint;
  used: bigint;
  remaining: bigint;
  /** Seconds, allowance only. */
  period?: number;
  /** Unix seconds, allowance only: when the current period ends. */
  resetsAt?: number;
  /** Index of the transfer or call policy (absent for the fee). */
  policyIndex?: number;
  /** Index of the constraint within its call policy. */
  constraintIndex?: number;
  /**
   * A constraint's amounts are the argument's own units: the target token's, when it answers `symbol()` and
   * `decimals()` (read by getSessionState); absent otherwise (raw units). Fee, transfer and call limits are wei.
   */
  unit?: TokenUnit;
}

/**
 * A session's status and every limit's usage.
 *
 * @example
 * ```ts
 * const state: SessionState = await getSessionState({ network, session });
 * state.limits.find((l) => l.policy === 'transfer')?.remaining;
 * ```
 */
export interface SessionState {
  status: 'active' | 'expired' | 'revoked' | 'not-found';
  /** Unix seconds. */
  expiresAt: number;
  limits: SessionLimitState[];
}

/** `LimitState` of the validator's `sessionStateAt` view (docs/contracts.md §7). */
export interface ContractLimitState {
  kind: number;
  policyIndex: bigint;
  constraintIndex: bigint;
  target: Address;
  selector: Hex;
  limitType: number;
  limit: bigint;
  used: bigint;
  remaining: bigint;
  periodStart: number;
  resetsAt: number;
}

/** `SessionState` of the validator's `sessionStateAt` view. */
export interface ContractSessionState {
  status: number;
  expiresAt: number;
  fee: ContractLimitState;
  transferValue: readonly ContractLimitState[];
  callValue: readonly ContractLimitState[];
  constraints: readonly ContractLimitState[];
}

const POLICY_OF_KIND: Record<number, SessionLimitPolicy> = {
  [SESSION_LIMIT_KIND.fee]: 'fee',
  [SESSION_LIMIT_KIND.transfer]: 'transfer',
  [SESSION_LIMIT_KIND.call]: 'call',
  [SESSION_LIMIT_KIND.constraint]: 'constraint',
};
const LIMIT_KIND = ['unlimited', 'lifetime', 'allowance'] as const;

/**
 * The spec's limit a validator `LimitState` reports on (for its period and constraint index).
 *
 * @example
 * ```ts
 * specLimitOf(spec, SESSION_LIMIT_KIND.transfer, 0, 0); // spec.transferPolicies[0].valueLimit
 * ```
 */
export function specLimitOf(
  spec: SessionSpec,
  kind: number,
  policyIndex: number,
  constraintIndex: number,
): { limit: UsageLimit; argumentIndex?: number } | undefined {
  if (kind === SESSION_LIMIT_KIND.fee) return { limit: spec.feeLimit };
  if (kind === SESSION_LIMIT_KIND.transfer) {
    const policy = spec.transferPolicies[policyIndex];
    return policy && { limit: policy.valueLimit };
  }
  const call = spec.callPolicies[policyIndex];
  if (!call) return undefined;
  if (kind === SESSION_LIMIT_KIND.call) return { limit: call.valueLimit };
  const constraint = call.constraints[constraintIndex];
  return constraint && { limit: constraint.limit, argumentIndex: Number(constraint.index) };
}

/**
 * Turns the validator's `sessionStateAt(account, spec, now)` answer into a {@link SessionState}: status
 * names (`expired` once `now` is past `expiresAt`), one entry per limit (fee, transfers, calls, constraints)
 * with `period`/`resetsAt` for allowances only.
 *
 * @example
 * ```ts
 * const state = toSessionState(await readContract(…'sessionStateAt'…), spec, now);
 * ```
 */
export function toSessionState(raw: ContractSessionState, spec: SessionSpec, now: number): SessionState {
  const expiresAt = Number(raw.expiresAt || spec.expiresAt);
  const status =
    raw.status === SESSION_STATUS.notInitialized
      ? 'not-found'
      : raw.status === SESSION_STATUS.closed
        ? 'revoked'
        : now > expiresAt
          ? 'expired'
          : 'active';
  const entries = [raw.fee, ...raw.transferValue, ...raw.callValue, ...raw.constraints];
  const limits = entries.map((entry): SessionLimitState => {
    const policy = POLICY_OF_KIND[entry.kind] ?? 'fee';
    const kind = LIMIT_KIND[entry.limitType] ?? 'unlimited';
    const fromSpec = specLimitOf(spec, entry.kind, Number(entry.policyIndex), Number(entry.constraintIndex));
    return {
      policy,
      ...(policy !== 'fee' ? { target: entry.target, policyIndex: Number(entry.policyIndex) } : {}),
      ...(policy === 'call' || policy === 'constraint' ? { selector: entry.selector } : {}),
      ...(policy === 'constraint'
        ? { constraintIndex: Number(entry.constraintIndex), argumentIndex: fromSpec?.argumentIndex ?? 0 }
        : {}),
      kind,
      limit: entry.limit,
      used: entry.used,
      remaining: entry.remaining,
      ...(kind === 'allowance'
        ? { period: Number(fromSpec?.limit.period ?? 0n), resetsAt: Number(entry.resetsAt) }
        : {}),
    };
  });
  return { status, expiresAt, limits };
}
