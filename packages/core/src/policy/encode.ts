import { decodeAbiParameters, encodeAbiParameters, type Hex, keccak256 } from 'viem';
import { SessionPolicyError } from './errors.ts';
import type {
  CallSpec,
  ConstraintCondition,
  ConstraintSpec,
  LimitType,
  SessionSpec,
  TransferSpec,
  UsageLimit,
} from './types.ts';

const usageLimit = [
  { name: 'limitType', type: 'uint8' },
  { name: 'limit', type: 'uint256' },
  { name: 'period', type: 'uint48' },
] as const;

/**
 * The ABI of protocol §11's `SessionSpec` (enums are `uint8` in the ABI), for viem's
 * `encodeAbiParameters([sessionSpecAbi], [spec])`.
 *
 * @example
 * ```ts
 * const hex = encodeAbiParameters([sessionSpecAbi], [spec]);
 * ```
 */
export const sessionSpecAbi = {
  name: 'sessionSpec',
  type: 'tuple',
  components: [
    { name: 'signer', type: 'address' },
    { name: 'expiresAt', type: 'uint48' },
    { name: 'feeLimit', type: 'tuple', components: usageLimit },
    {
      name: 'callPolicies',
      type: 'tuple[]',
      components: [
        { name: 'target', type: 'address' },
        { name: 'selector', type: 'bytes4' },
        { name: 'maxValuePerUse', type: 'uint256' },
        { name: 'valueLimit', type: 'tuple', components: usageLimit },
        {
          name: 'constraints',
          type: 'tuple[]',
          components: [
            { name: 'condition', type: 'uint8' },
            { name: 'index', type: 'uint64' },
            { name: 'refValue', type: 'bytes32' },
            { name: 'limit', type: 'tuple', components: usageLimit },
          ],
        },
      ],
    },
    {
      name: 'transferPolicies',
      type: 'tuple[]',
      components: [
        { name: 'target', type: 'address' },
        { name: 'maxValuePerUse', type: 'uint256' },
        { name: 'valueLimit', type: 'tuple', components: usageLimit },
      ],
    },
  ],
} as const;

/**
 * `abi.encode(SessionSpec)`: the bytes SessionKeyValidator decodes (e.g. `onInstall` data).
 * The spec is expected to come from {@link normalizeSession}; viem still range-checks every field.
 *
 * @throws SessionPolicyError `SESSION_SPEC_MALFORMED` when a field does not fit its ABI type.
 * @example
 * ```ts
 * const data = encodeSessionSpec(normalizeSession(input));
 * ```
 */
export function encodeSessionSpec(spec: SessionSpec): Hex {
  try {
    return encodeAbiParameters([sessionSpecAbi], [spec as never]);
  } catch (cause) {
    throw new SessionPolicyError(
      'SESSION_SPEC_MALFORMED',
      'the session spec does not fit its ABI',
      {},
      cause,
    );
  }
}

const limitOf = (raw: { limitType: number; limit: bigint; period: number | bigint }): UsageLimit => ({
  limitType: raw.limitType as LimitType,
  limit: raw.limit,
  period: BigInt(raw.period),
});

/**
 * Decodes `abi.encode(SessionSpec)` back to a {@link SessionSpec} (bigints for every number, lowercase
 * selector and refValues, checksummed addresses), so `decodeSessionSpec(encodeSessionSpec(s))` deep-equals `s`.
 *
 * @throws SessionPolicyError `SESSION_SPEC_MALFORMED` for bytes that are not a valid encoding.
 * @example
 * ```ts
 * const spec = decodeSessionSpec(data);
 * ```
 */
export function decodeSessionSpec(data: Hex): SessionSpec {
  let raw: ReturnType<typeof decodeAbiParameters<[typeof sessionSpecAbi]>>[0];
  try {
    [raw] = decodeAbiParameters([sessionSpecAbi], data);
  } catch (cause) {
    throw new SessionPolicyError('SESSION_SPEC_MALFORMED', 'not an abi-encoded SessionSpec', {}, cause);
  }
  const badEnum =
    raw.feeLimit.limitType > 2 ||
    raw.callPolicies.some(
      (c) =>
        c.valueLimit.limitType > 2 || c.constraints.some((k) => k.condition > 6 || k.limit.limitType > 2),
    ) ||
    raw.transferPolicies.some((t) => t.valueLimit.limitType > 2);
  if (badEnum) {
    throw new SessionPolicyError('SESSION_SPEC_MALFORMED', 'an enum value is out of range', {});
  }
  const callPolicies: CallSpec[] = raw.callPolicies.map((c) => ({
    target: c.target,
    selector: c.selector.toLowerCase() as Hex,
    maxValuePerUse: c.maxValuePerUse,
    valueLimit: limitOf(c.valueLimit),
    constraints: c.constraints.map(
      (k): ConstraintSpec => ({
        condition: k.condition as ConstraintCondition,
        index: k.index,
        refValue: k.refValue.toLowerCase() as Hex,
        limit: limitOf(k.limit),
      }),
    ),
  }));
  const transferPolicies: TransferSpec[] = raw.transferPolicies.map((t) => ({
    target: t.target,
    maxValuePerUse: t.maxValuePerUse,
    valueLimit: limitOf(t.valueLimit),
  }));
  return {
    signer: raw.signer,
    expiresAt: BigInt(raw.expiresAt),
    feeLimit: limitOf(raw.feeLimit),
    callPolicies,
    transferPolicies,
  };
}

/**
 * `sessionHash = keccak256(abi.encode(SessionSpec))` (protocol §11), the key SessionKeyValidator
 * stores a session under.
 *
 * @example
 * ```ts
 * const hash = sessionHash(normalizeSession(input));
 * ```
 */
export function sessionHash(spec: SessionSpec): Hex {
  return keccak256(encodeSessionSpec(spec));
}
