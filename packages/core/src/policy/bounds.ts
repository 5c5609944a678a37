import { SessionPolicyError } from './errors.ts';

/** Largest uint256 (limits, values). @example `normalizeLimit(MAX_UINT256).limit === MAX_UINT256; // true` */
export const MAX_UINT256 = (1n << 256n) - 1n;
/** Largest uint48 (periods and `expiresAt`). @example `parsePeriod(MAX_UINT48); // 2n ** 48n - 1n` */
export const MAX_UINT48 = (1n << 48n) - 1n;
/** Largest uint64 (constraint word index). @example `normalizeConstraint({ index: MAX_UINT64 }).index; // MAX_UINT64` */
export const MAX_UINT64 = (1n << 64n) - 1n;

/**
 * Checks that `value` is a bigint in [0, MAX_UINT256]; `path` names the field in errors. Internal.
 *
 * @example
 * ```ts
 * assertUint256(5n, 'feeLimit.limit'); // 5n
 * ```
 */
export function assertUint256(value: unknown, path: string): bigint {
  if (typeof value !== 'bigint') {
    throw new SessionPolicyError('VALUE_OUT_OF_RANGE', `${path} must be a bigint`, {
      path,
      type: typeof value,
    });
  }
  if (value < 0n || value > MAX_UINT256) {
    throw new SessionPolicyError('VALUE_OUT_OF_RANGE', `${path} must be between 0 and 2^256 - 1`, {
      path,
      value: value.toString(),
    });
  }
  return value;
}
