import { assertUint256 } from './bounds.ts';
import { SessionPolicyError } from './errors.ts';
import { parsePeriod } from './period.ts';
import { type Limit, LimitType, type UsageLimit } from './types.ts';

/**
 * The unlimited limit (ZKsync SSO's `LimitUnlimited`).
 *
 * @example
 * ```ts
 * normalizeLimit({ limitType: 'unlimited' }); // equals LIMIT_UNLIMITED
 * ```
 */
export const LIMIT_UNLIMITED: Readonly<UsageLimit> = Object.freeze({
  limitType: LimitType.Unlimited,
  limit: 0n,
  period: 0n,
});

/**
 * The "nothing allowed" limit (ZKsync SSO's `LimitZero`): the default value limit of a policy.
 *
 * @example
 * ```ts
 * normalizeLimit(0n); // equals LIMIT_ZERO
 * ```
 */
export const LIMIT_ZERO: Readonly<UsageLimit> = Object.freeze({
  limitType: LimitType.Lifetime,
  limit: 0n,
  period: 0n,
});

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** A canonical period of 0 (or an absent one) means "no period". */
const hasPeriod = (period: unknown): boolean =>
  period !== undefined && period !== 0n && period !== 0 && period !== null;

/**
 * Normalises a developer {@link Limit} to the §11 `UsageLimit` (ZKsync SSO's `formatLimitPreferences`):
 * - `bigint` → Lifetime;
 * - `{ limit }` → Lifetime; `{ limit, period }` → Allowance of `limit` per `period`;
 * - `{ limitType: 'lifetime' | 1, limit }` → Lifetime (a non-zero `period` is an error);
 * - `{ limitType: 'unlimited' | 0 }` → Unlimited with limit 0 (a non-zero `limit` or `period` is an error);
 * - `{ limitType: 'allowance' | 2, limit, period }` → Allowance (the period is required).
 * Unlike ZKsync SSO, `{ limit, period: 0 }` is refused (PERIOD_INVALID) instead of silently becoming
 * lifetime, except in the canonical numeric form where 0 means "no period".
 *
 * @throws SessionPolicyError `LIMIT_INVALID`, `LIMIT_PERIOD_NOT_ALLOWED`,
 * `LIMIT_ALLOWANCE_WITHOUT_PERIOD`, `LIMIT_UNLIMITED_WITH_VALUE`, `VALUE_OUT_OF_RANGE`, `PERIOD_*`.
 * @example
 * ```ts
 * normalizeLimit({ limit: 100n, period: '1 hour' }); // { limitType: 2, limit: 100n, period: 3600n }
 * ```
 */
export function normalizeLimit(input: Limit, path = 'limit'): UsageLimit {
  if (typeof input === 'bigint') {
    return { limitType: LimitType.Lifetime, limit: assertUint256(input, path), period: 0n };
  }
  if (!isRecord(input)) {
    throw new SessionPolicyError('LIMIT_INVALID', `${path} must be a bigint or a limit object`, {
      path,
      type: typeof input,
    });
  }
  const record = input as Record<string, unknown>;
  if (!('limitType' in record) || record.limitType === undefined) {
    const limit = assertUint256(record.limit, `${path}.limit`);
    if (record.period === undefined) return { limitType: LimitType.Lifetime, limit, period: 0n };
    return {
      limitType: LimitType.Allowance,
      limit,
      period: parsePeriod(record.period as never, `${path}.period`),
    };
  }
  const { limitType } = record;
  if (limitType === 'unlimited' || limitType === LimitType.Unlimited) {
    if (record.limit !== undefined && record.limit !== 0n) {
      throw new SessionPolicyError('LIMIT_UNLIMITED_WITH_VALUE', `${path} is unlimited but has a limit`, {
        path,
      });
    }
    if (hasPeriod(record.period)) {
      throw new SessionPolicyError('LIMIT_PERIOD_NOT_ALLOWED', `${path} is unlimited but has a period`, {
        path,
      });
    }
    return { ...LIMIT_UNLIMITED };
  }
  if (limitType === 'lifetime' || limitType === LimitType.Lifetime) {
    if (hasPeriod(record.period)) {
      throw new SessionPolicyError(
        'LIMIT_PERIOD_NOT_ALLOWED',
        `${path} is a lifetime limit but has a period`,
        {
          path,
        },
      );
    }
    return { limitType: LimitType.Lifetime, limit: assertUint256(record.limit, `${path}.limit`), period: 0n };
  }
  if (limitType === 'allowance' || limitType === LimitType.Allowance) {
    const limit = assertUint256(record.limit, `${path}.limit`);
    if (!hasPeriod(record.period)) {
      throw new SessionPolicyError(
        'LIMIT_ALLOWANCE_WITHOUT_PERIOD',
        `${path} is an allowance without a period`,
        {
          path,
        },
      );
    }
    return {
      limitType: LimitType.Allowance,
      limit,
      period: parsePeriod(record.period as never, `${path}.period`),
    };
  }
  throw new SessionPolicyError('LIMIT_INVALID', `${path} has an unknown limitType`, {
    path,
    limitType: String(limitType),
  });
}
