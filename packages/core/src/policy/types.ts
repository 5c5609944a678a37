import type { AbiFunction, Address, Hex } from 'viem';

/**
 * `LimitType` of protocol §11 (`enum LimitType { Unlimited, Lifetime, Allowance }`).
 *
 * @example
 * ```ts
 * spec.feeLimit.limitType === LimitType.Lifetime; // 1
 * ```
 */
export const LimitType = { Unlimited: 0, Lifetime: 1, Allowance: 2 } as const;
/** A numeric limit type, 0..2. @example `const t: LimitType = LimitType.Allowance;` */
export type LimitType = (typeof LimitType)[keyof typeof LimitType];

/**
 * `Condition` of protocol §11. The names follow ZKsync SSO's SDK (`GreaterEqual`, `LessEqual`); the
 * contract calls the same values `GreaterOrEqual`, `LessOrEqual`.
 *
 * @example
 * ```ts
 * ConstraintCondition.LessEqual; // 5
 * ```
 */
export const ConstraintCondition = {
  Unconstrained: 0,
  Equal: 1,
  Greater: 2,
  Less: 3,
  GreaterEqual: 4,
  LessEqual: 5,
  NotEqual: 6,
} as const;
/** A condition name accepted in a {@link Constraint}. @example `const c: ConstraintConditionName = 'Less';` */
export type ConstraintConditionName = keyof typeof ConstraintCondition;
/** A numeric condition, 0..6. @example `const c: ConstraintCondition = ConstraintCondition.Equal;` */
export type ConstraintCondition = (typeof ConstraintCondition)[ConstraintConditionName];

/**
 * A period: whole seconds as a bigint or a safe integer, or words such as `'1 hour'`, `'30 minutes'`,
 * `'2d'` (grammar: see {@link parsePeriod}).
 *
 * @example
 * ```ts
 * const daily: Period = '1 day';
 * ```
 */
export type Period = bigint | number | string;

/**
 * A usage limit as a developer writes it (ZKsync SSO's `PartialLimit`):
 * - `bigint` or `{ limit }`: a lifetime limit;
 * - `{ limit, period }`: an allowance of `limit` per `period`;
 * - `{ limitType: 'lifetime' | 'unlimited' | 'allowance', ... }`: explicit.
 * The canonical numeric form (`{ limitType: 0 | 1 | 2, limit, period }`, what {@link normalizeSession}
 * returns) is accepted too, so normalisation is idempotent.
 *
 * @example
 * ```ts
 * const fee: Limit = { limit: 10n ** 16n, period: '1 day' };
 * ```
 */
export type Limit =
  | bigint
  | { limit: bigint; period?: Period }
  | { limitType: 'lifetime'; limit: bigint }
  | { limitType: 'unlimited' }
  | { limitType: 'allowance'; limit: bigint; period: Period }
  | UsageLimit;

/**
 * A plain value transfer (call data shorter than 4 bytes) to `target`.
 *
 * @example
 * ```ts
 * const tip: TransferPolicy = { target: '0x1111111111111111111111111111111111111111', maxValuePerUse: 10n ** 15n, valueLimit: 10n ** 17n };
 * ```
 */
export interface TransferPolicy {
  target: Address;
  /** Most value (wei) per transaction. Default: the value limit's `limit` (0 for an unlimited limit). */
  maxValuePerUse?: bigint;
  /** Total value (wei) allowed. Default: lifetime 0, i.e. no value at all. */
  valueLimit?: Limit;
}

/**
 * A check on one 32-byte word of the call data.
 *
 * `index`: with `function`, the index of the argument in the function's inputs (converted to its word
 * index); with `selector`, the word index itself (argument i is bytes `[4 + 32·i, 4 + 32·i + 32)`).
 *
 * @example
 * ```ts
 * const atMostOneToken: Constraint = { index: 1, condition: 'LessEqual', refValue: 10n ** 18n };
 * ```
 */
export interface Constraint {
  index: number | bigint;
  /** Default: `Equal` when `refValue` is given, else `Unconstrained`. */
  condition?: ConstraintConditionName | ConstraintCondition;
  /** Default: zero word (only allowed with `Unconstrained`). */
  refValue?: Hex | bigint | Address | boolean;
  /** Limit on the sum of this word's values. Default: unlimited. */
  limit?: Limit;
}

/**
 * A contract call to `target` with one function (given as ABI, human-readable signature or selector).
 *
 * @example
 * ```ts
 * const transfers: CallPolicy = {
 *   target: '0x2222222222222222222222222222222222222222',
 *   function: 'function transfer(address to, uint256 amount)',
 *   constraints: [{ index: 1, condition: 'LessEqual', refValue: 10n ** 18n }],
 * };
 * ```
 */
export interface CallPolicy {
  target: Address;
  function?: AbiFunction | string;
  selector?: Hex;
  /** Most value (wei) per call. Default: the value limit's `limit` (0 for an unlimited limit). */
  maxValuePerUse?: bigint;
  /** Total value (wei) sent with these calls. Default: lifetime 0, i.e. no value at all. */
  valueLimit?: Limit;
  constraints?: Constraint[];
}

/**
 * A session as a developer describes it (ZKsync SSO's session preferences, with `signer` added).
 * `callPolicies`/`transferPolicies` (the canonical names) are accepted as aliases of
 * `contractCalls`/`transfers`, so a {@link SessionSpec} can be normalised again.
 *
 * @example
 * ```ts
 * const input: SessionInput = {
 *   signer: '0x3333333333333333333333333333333333333333',
 *   expiresAt: new Date(Date.now() + 86_400_000),
 *   feeLimit: { limit: 10n ** 16n, period: '1 day' },
 * };
 * ```
 */
export interface SessionInput {
  signer: Address;
  /** Unix seconds (bigint or safe integer) or a Date. */
  expiresAt: bigint | number | Date;
  feeLimit: Limit;
  transfers?: TransferPolicy[];
  contractCalls?: CallPolicy[];
  transferPolicies?: TransferPolicy[];
  callPolicies?: CallPolicy[];
}

/**
 * `UsageLimit` of protocol §11: `period` is 0 unless `limitType` is Allowance.
 *
 * @example
 * ```ts
 * const none: UsageLimit = { limitType: LimitType.Lifetime, limit: 0n, period: 0n };
 * ```
 */
export interface UsageLimit {
  limitType: LimitType;
  limit: bigint;
  period: bigint;
}

/**
 * `Constraint` of protocol §11 (word `index`, 32-byte `refValue`).
 *
 * @example
 * ```ts
 * const c: ConstraintSpec = { condition: 5, index: 1n, refValue: `0x${'0'.repeat(64)}`, limit };
 * ```
 */
export interface ConstraintSpec {
  condition: ConstraintCondition;
  index: bigint;
  refValue: Hex;
  limit: UsageLimit;
}

/**
 * `CallSpec` of protocol §11. `target` is checksummed, `selector` lowercase.
 *
 * @example
 * ```ts
 * spec.callPolicies[0].selector; // '0xa9059cbb'
 * ```
 */
export interface CallSpec {
  target: Address;
  selector: Hex;
  maxValuePerUse: bigint;
  valueLimit: UsageLimit;
  constraints: ConstraintSpec[];
}

/**
 * `TransferSpec` of protocol §11.
 *
 * @example
 * ```ts
 * spec.transferPolicies[0].maxValuePerUse; // 10n ** 15n
 * ```
 */
export interface TransferSpec {
  target: Address;
  maxValuePerUse: bigint;
  valueLimit: UsageLimit;
}

/**
 * `SessionSpec` of protocol §11: what SessionKeyValidator reads and what `sessionHash` commits to.
 *
 * @example
 * ```ts
 * const spec: SessionSpec = normalizeSession(input);
 * ```
 */
export interface SessionSpec {
  signer: Address;
  expiresAt: bigint;
  feeLimit: UsageLimit;
  callPolicies: CallSpec[];
  transferPolicies: TransferSpec[];
}
