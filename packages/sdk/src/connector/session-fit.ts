import { ConstraintCondition, LimitType, type SessionSpec, type UsageLimit } from '@zksso/core';
import { type Address, type Hex, hexToBigInt, isAddressEqual, size, slice } from 'viem';

/**
 * One call as the provider sends it (the SDK's `Call`).
 *
 * @example
 * ```ts
 * const call: SessionCall = { to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', value: 10n ** 15n };
 * ```
 */
export interface SessionCall {
  to: Address;
  value?: bigint;
  data?: Hex;
}

/**
 * Why a session cannot carry calls (what {@link sessionFit} found first).
 *
 * @example
 * ```ts
 * if (fit.ok === false && fit.reason === 'expired') dropSession();
 * ```
 */
export type SessionMisfit =
  | 'expired'
  | 'no-transfer-policy'
  | 'no-call-policy'
  | 'value-per-use'
  | 'value-limit'
  | 'constraint'
  | 'constraint-limit';

/**
 * Whether calls fit a session's policy as far as the policy alone tells, with no chain access: the session
 * has not expired; every plain transfer (call data under 4 bytes) goes to a transfer policy's target and
 * every other call to a call policy's target and selector; each value is within `maxValuePerUse` and
 * within a lifetime or per-period limit (summed over the batch); each constrained argument meets its
 * condition and limit. What the chain alone knows (the amounts already used this period, the fee limit,
 * a revocation) is checked by sending: the validator refuses, and the provider falls back to the popup.
 * Mirrors SessionKeyValidator's checks (protocol §11).
 *
 * @example
 * ```ts
 * sessionFit(spec, [{ to: shop, value: parseEther('0.01') }], BigInt(Math.floor(Date.now() / 1000)));
 * // { ok: true } or { ok: false, reason: 'value-per-use', callIndex: 0 }
 * ```
 */
export function sessionFit(
  spec: SessionSpec,
  calls: readonly SessionCall[],
  nowSeconds: bigint,
): { ok: true } | { ok: false; reason: SessionMisfit; callIndex?: number } {
  if (nowSeconds >= spec.expiresAt) return { ok: false, reason: 'expired' };
  // The batch's sums per limit: a batch may not spend more than a limit allows in total.
  const spent = new Map<UsageLimit, bigint>();
  const spend = (limit: UsageLimit, amount: bigint): boolean => {
    if (limit.limitType === LimitType.Unlimited) return true;
    const total = (spent.get(limit) ?? 0n) + amount;
    spent.set(limit, total);
    return total <= limit.limit;
  };
  for (const [callIndex, call] of calls.entries()) {
    const value = call.value ?? 0n;
    const data = call.data ?? '0x';
    if (size(data) < 4) {
      const policy = spec.transferPolicies.find((p) => isAddressEqual(p.target, call.to));
      if (!policy) return { ok: false, reason: 'no-transfer-policy', callIndex };
      if (value > policy.maxValuePerUse) return { ok: false, reason: 'value-per-use', callIndex };
      if (!spend(policy.valueLimit, value)) return { ok: false, reason: 'value-limit', callIndex };
      continue;
    }
    const selector = slice(data, 0, 4).toLowerCase();
    const policy = spec.callPolicies.find(
      (p) => isAddressEqual(p.target, call.to) && p.selector === selector,
    );
    if (!policy) return { ok: false, reason: 'no-call-policy', callIndex };
    if (value > policy.maxValuePerUse) return { ok: false, reason: 'value-per-use', callIndex };
    if (!spend(policy.valueLimit, value)) return { ok: false, reason: 'value-limit', callIndex };
    for (const constraint of policy.constraints) {
      const start = 4 + 32 * Number(constraint.index);
      if (size(data) < start + 32) return { ok: false, reason: 'constraint', callIndex };
      const word = hexToBigInt(slice(data, start, start + 32));
      if (!meets(constraint.condition, word, hexToBigInt(constraint.refValue)))
        return { ok: false, reason: 'constraint', callIndex };
      if (!spend(constraint.limit, word)) return { ok: false, reason: 'constraint-limit', callIndex };
    }
  }
  return { ok: true };
}

/** The validator compares words as uint256. */
function meets(condition: number, word: bigint, ref: bigint): boolean {
  switch (condition) {
    case ConstraintCondition.Unconstrained:
      return true;
    case ConstraintCondition.Equal:
      return word === ref;
    case ConstraintCondition.Greater:
      return word > ref;
    case ConstraintCondition.Less:
      return word < ref;
    case ConstraintCondition.GreaterEqual:
      return word >= ref;
    case ConstraintCondition.LessEqual:
      return word <= ref;
    case ConstraintCondition.NotEqual:
      return word !== ref;
    default:
      return false;
  }
}
