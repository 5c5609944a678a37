import { type Address, getAddress, type Hex, isAddress, zeroAddress } from 'viem';
import { functionSelector, parseFunction } from './abi.ts';
import { assertUint256, MAX_UINT48 } from './bounds.ts';
import { normalizeConstraint } from './constraint.ts';
import { SessionPolicyError } from './errors.ts';
import { LIMIT_ZERO, normalizeLimit } from './limit.ts';
import {
  type CallPolicy,
  type CallSpec,
  LimitType,
  type SessionInput,
  type SessionSpec,
  type TransferPolicy,
  type TransferSpec,
  type UsageLimit,
} from './types.ts';

/**
 * Options of {@link normalizeSession}.
 *
 * @example
 * ```ts
 * const options: NormalizeSessionOptions = { now: 1_700_000_000n, minLifetimeSeconds: 300n };
 * ```
 */
export interface NormalizeSessionOptions {
  /** Current time (unix seconds or Date). Default: the clock (`Date.now()`). */
  now?: bigint | number | Date;
  /**
   * The session must still be valid this many seconds after `now`. Default 60, the margin
   * SessionKeyValidator.createSession enforces (`expiresAt <= block.timestamp + 60` reverts).
   */
  minLifetimeSeconds?: bigint;
}

const SELECTOR = /^0x[0-9a-fA-F]{8}$/;
/** Seconds from 10^11 on (year 5138) are taken as a milliseconds mix-up when given as a number. */
const MILLISECONDS_HINT = 100_000_000_000;

function toAddress(value: unknown, code: 'SIGNER_INVALID' | 'TARGET_INVALID', path: string): Address {
  if (typeof value !== 'string' || !isAddress(value)) {
    throw new SessionPolicyError(
      code,
      `${path} is not an address (20-byte hex, valid checksum if mixed-case)`,
      {
        path,
      },
    );
  }
  return getAddress(value);
}

function toUnixSeconds(value: bigint | number | Date, path: string): bigint {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms))
      throw new SessionPolicyError('EXPIRES_AT_INVALID', `${path} is an invalid Date`, { path });
    return BigInt(Math.floor(ms / 1000));
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new SessionPolicyError('EXPIRES_AT_INVALID', `${path} must be whole unix seconds`, {
        path,
        value: String(value),
      });
    }
    if (value >= MILLISECONDS_HINT && BigInt(value) <= MAX_UINT48) {
      throw new SessionPolicyError(
        'EXPIRES_AT_INVALID',
        `${path} looks like milliseconds; give unix seconds`,
        {
          path,
          value,
        },
      );
    }
    return BigInt(value);
  }
  if (typeof value === 'bigint') return value;
  throw new SessionPolicyError('EXPIRES_AT_INVALID', `${path} must be unix seconds or a Date`, {
    path,
    type: typeof value,
  });
}

function normalizeExpiry(input: SessionInput['expiresAt'], options: NormalizeSessionOptions): bigint {
  const expiresAt = toUnixSeconds(input, 'expiresAt');
  if (expiresAt > MAX_UINT48) {
    throw new SessionPolicyError('EXPIRES_AT_TOO_LARGE', 'expiresAt does not fit in uint48', {
      path: 'expiresAt',
      expiresAt: expiresAt.toString(),
    });
  }
  if (expiresAt <= 0n) {
    throw new SessionPolicyError('EXPIRES_AT_INVALID', 'expiresAt must be positive', { path: 'expiresAt' });
  }
  const now = toUnixSeconds(options.now ?? new Date(), 'now');
  const margin = options.minLifetimeSeconds ?? 60n;
  if (expiresAt <= now + margin) {
    throw new SessionPolicyError('SESSION_EXPIRES_TOO_SOON', 'expiresAt is in the past or too soon', {
      path: 'expiresAt',
      expiresAt: expiresAt.toString(),
      now: now.toString(),
      minLifetimeSeconds: margin.toString(),
    });
  }
  return expiresAt;
}

function valueRules(
  policy: { maxValuePerUse?: bigint; valueLimit?: TransferPolicy['valueLimit'] },
  path: string,
): { maxValuePerUse: bigint; valueLimit: UsageLimit } {
  const valueLimit =
    policy.valueLimit === undefined
      ? { ...LIMIT_ZERO }
      : normalizeLimit(policy.valueLimit, `${path}.valueLimit`);
  const maxValuePerUse =
    policy.maxValuePerUse === undefined
      ? valueLimit.limit
      : assertUint256(policy.maxValuePerUse, `${path}.maxValuePerUse`);
  return { maxValuePerUse, valueLimit };
}

function assertObject(value: unknown, path: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SessionPolicyError('SESSION_SPEC_MALFORMED', `${path} must be an object`, { path });
  }
}

function normalizeCallPolicy(policy: CallPolicy, path: string): CallSpec {
  assertObject(policy, path);
  const target = toAddress(policy.target, 'TARGET_INVALID', `${path}.target`);
  const hasFunction = policy.function !== undefined;
  const hasSelector = policy.selector !== undefined;
  if (hasFunction && hasSelector) {
    throw new SessionPolicyError('CALL_POLICY_SELECTOR_CONFLICT', `${path} has both function and selector`, {
      path,
    });
  }
  if (!hasFunction && !hasSelector) {
    throw new SessionPolicyError('CALL_POLICY_SELECTOR_MISSING', `${path} needs a function or a selector`, {
      path,
    });
  }
  const fn = hasFunction
    ? parseFunction(policy.function as NonNullable<CallPolicy['function']>, `${path}.function`)
    : undefined;
  let selector: Hex;
  if (fn) {
    selector = functionSelector(fn, `${path}.function`);
  } else {
    if (typeof policy.selector !== 'string' || !SELECTOR.test(policy.selector)) {
      throw new SessionPolicyError('SELECTOR_INVALID', `${path}.selector must be 4 bytes of hex`, {
        path: `${path}.selector`,
      });
    }
    selector = policy.selector.toLowerCase() as Hex;
  }
  const list = policy.constraints ?? [];
  if (!Array.isArray(list)) {
    throw new SessionPolicyError('SESSION_SPEC_MALFORMED', `${path}.constraints must be an array`, {
      path: `${path}.constraints`,
    });
  }
  const constraints = list.map((constraint, i) => {
    assertObject(constraint, `${path}.constraints[${i}]`);
    return normalizeConstraint(constraint, fn, `${path}.constraints[${i}]`);
  });
  return { target, selector, ...valueRules(policy, path), constraints };
}

function normalizeTransferPolicy(policy: TransferPolicy, path: string): TransferSpec {
  assertObject(policy, path);
  return {
    target: toAddress(policy.target, 'TARGET_INVALID', `${path}.target`),
    ...valueRules(policy, path),
  };
}

function pick<T>(input: SessionInput, name: 'transfers' | 'contractCalls', alias: string): [T[], string] {
  const primary = input[name] as T[] | undefined;
  const secondary = (input as unknown as Record<string, T[] | undefined>)[alias];
  if (primary !== undefined && secondary !== undefined) {
    throw new SessionPolicyError('SESSION_SPEC_MALFORMED', `give either ${name} or ${alias}, not both`, {
      path: name,
    });
  }
  const list = primary ?? secondary ?? [];
  if (!Array.isArray(list)) {
    throw new SessionPolicyError('SESSION_SPEC_MALFORMED', `${name} must be an array`, { path: name });
  }
  return [list, primary !== undefined ? name : alias];
}

/**
 * Validates a session policy written with ZKsync SSO's developer interface and returns the canonical
 * zksso/v1 {@link SessionSpec} (protocol §11): limits as `{ limitType 0|1|2, limit, period seconds }`,
 * conditions 0..6, word indices, 32-byte refValues, 4-byte selectors, checksummed addresses. Policy order
 * is kept (the contract takes the first match, and the order is part of `sessionHash`).
 *
 * Defaults (ZKsync SSO's, all fail closed):
 * - `valueLimit` omitted → lifetime 0 (no value may be sent);
 * - `maxValuePerUse` omitted → the value limit's `limit` (0 when the value limit is unlimited);
 * - constraint `condition` omitted → `Equal` with a refValue, else `Unconstrained`;
 * - constraint `limit` omitted → unlimited; constraint `refValue` omitted (Unconstrained) → zero word.
 * Checks beyond ZKsync SSO's SDK, mirroring SessionKeyValidator.createSession: a zero signer, an
 * unlimited fee limit and an expiry within `minLifetimeSeconds` (default 60) of `now` are refused.
 * Duplicate policies (same target and selector; same transfer target) are refused, because the contract
 * would silently ignore all but the first. A `maxValuePerUse` above a lifetime `valueLimit` is allowed
 * (ZKsync treats it as valid: the lifetime limit still caps the total).
 *
 * @throws SessionPolicyError with one of the codes of {@link SessionPolicyErrorCode}.
 * @example
 * ```ts
 * const spec = normalizeSession({
 *   signer: '0x3333333333333333333333333333333333333333',
 *   expiresAt: 1_900_000_000n,
 *   feeLimit: { limit: 10n ** 16n, period: '1 day' },
 *   contractCalls: [{
 *     target: '0x2222222222222222222222222222222222222222',
 *     function: 'function transfer(address to, uint256 amount)',
 *     constraints: [{ index: 1, condition: 'LessEqual', refValue: 10n ** 18n }],
 *   }],
 * });
 * spec.callPolicies[0].selector; // '0xa9059cbb'
 * ```
 */
export function normalizeSession(input: SessionInput, options: NormalizeSessionOptions = {}): SessionSpec {
  assertObject(input, 'session');
  const signer = toAddress(input.signer, 'SIGNER_INVALID', 'signer');
  if (signer === zeroAddress) {
    throw new SessionPolicyError('SIGNER_ZERO', 'signer must not be the zero address', { path: 'signer' });
  }
  const expiresAt = normalizeExpiry(input.expiresAt, options);
  if (input.feeLimit === undefined) {
    throw new SessionPolicyError('LIMIT_INVALID', 'feeLimit is required', { path: 'feeLimit' });
  }
  const feeLimit = normalizeLimit(input.feeLimit, 'feeLimit');
  if (feeLimit.limitType === LimitType.Unlimited) {
    throw new SessionPolicyError('FEE_LIMIT_UNLIMITED', 'feeLimit must not be unlimited', {
      path: 'feeLimit',
    });
  }

  const [calls, callsName] = pick<CallPolicy>(input, 'contractCalls', 'callPolicies');
  const callPolicies = calls.map((policy, i) => normalizeCallPolicy(policy, `${callsName}[${i}]`));
  const seenCalls = new Map<string, number>();
  callPolicies.forEach((policy, i) => {
    const key = `${policy.target.toLowerCase()}:${policy.selector}`;
    const first = seenCalls.get(key);
    if (first !== undefined) {
      throw new SessionPolicyError(
        'DUPLICATE_CALL_POLICY',
        `${callsName}[${i}] repeats the target and selector of ${callsName}[${first}]`,
        {
          path: `${callsName}[${i}]`,
          target: policy.target,
          selector: policy.selector,
          first,
        },
      );
    }
    seenCalls.set(key, i);
  });

  const [transfers, transfersName] = pick<TransferPolicy>(input, 'transfers', 'transferPolicies');
  const transferPolicies = transfers.map((policy, i) =>
    normalizeTransferPolicy(policy, `${transfersName}[${i}]`),
  );
  const seenTransfers = new Map<string, number>();
  transferPolicies.forEach((policy, i) => {
    const key = policy.target.toLowerCase();
    const first = seenTransfers.get(key);
    if (first !== undefined) {
      throw new SessionPolicyError(
        'DUPLICATE_TRANSFER_POLICY',
        `${transfersName}[${i}] repeats the target of ${transfersName}[${first}]`,
        {
          path: `${transfersName}[${i}]`,
          target: policy.target,
          first,
        },
      );
    }
    seenTransfers.set(key, i);
  });

  return { signer, expiresAt, feeLimit, callPolicies, transferPolicies };
}
