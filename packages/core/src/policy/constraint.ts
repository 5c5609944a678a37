import { type AbiFunction, type AbiParameter, type Hex, isAddress } from 'viem';
import { argumentWordIndex, headWords, isDynamicParameter } from './abi.ts';
import { MAX_UINT64, MAX_UINT256 } from './bounds.ts';
import { SessionPolicyError } from './errors.ts';
import { LIMIT_UNLIMITED, normalizeLimit } from './limit.ts';
import { type Constraint, ConstraintCondition, type ConstraintSpec } from './types.ts';

const HEX = /^0x(?:[0-9a-fA-F]{2})*$/;
const ZERO_WORD = `0x${'0'.repeat(64)}` as Hex;
const ORDERING_CONDITIONS: readonly number[] = [
  ConstraintCondition.Greater,
  ConstraintCondition.Less,
  ConstraintCondition.GreaterEqual,
  ConstraintCondition.LessEqual,
];

const word = (value: bigint): Hex => `0x${value.toString(16).padStart(64, '0')}` as Hex;

function refValueError(code: 'CONSTRAINT_REF_VALUE_INVALID', path: string, message: string, type?: string) {
  return new SessionPolicyError(code, `${path} ${message}`, {
    path,
    ...(type ? { argumentType: type } : {}),
  });
}

/** Hex bytes of a refValue given as hex; checks the form and the byte length. */
function hexBytes(value: string, maxBytes: number, path: string): string {
  if (!HEX.test(value)) {
    throw refValueError('CONSTRAINT_REF_VALUE_INVALID', path, 'must be 0x-prefixed hex of whole bytes');
  }
  const digits = value.slice(2).toLowerCase();
  if (digits.length / 2 > maxBytes) {
    throw new SessionPolicyError(
      'CONSTRAINT_REF_VALUE_TOO_LONG',
      `${path} is longer than ${maxBytes} bytes`,
      {
        path,
        bytes: digits.length / 2,
        maxBytes,
      },
    );
  }
  return digits;
}

function uintWord(value: bigint, bits: number, path: string): Hex {
  if (value < 0n || value >= 1n << BigInt(bits)) {
    throw new SessionPolicyError('VALUE_OUT_OF_RANGE', `${path} does not fit in uint${bits}`, {
      path,
      value: value.toString(),
    });
  }
  return word(value);
}

/**
 * Encodes a constraint reference value as the 32-byte word the contract compares with.
 *
 * Without an argument type (a policy given by `selector`): `bigint` → uint256 word (left-padded),
 * `boolean` → 0/1, hex (addresses included) → left-padded as a big-endian number; 32 bytes at most.
 * So a `bytesN` argument constrained by selector needs its full right-padded 32-byte word.
 * With the argument's ABI type (a policy given by `function`), the value is encoded as
 * `abi.encode` would: `address` (hex of 20 bytes or bigint < 2^160), `bool`, `uintN` (bigint or hex of
 * at most N/8 bytes), `intN` (bigint, two's complement; or a raw 32-byte hex word), `bytesN` (hex of at
 * most N bytes, right-padded).
 *
 * @throws SessionPolicyError `CONSTRAINT_REF_VALUE_INVALID`, `CONSTRAINT_REF_VALUE_TOO_LONG`, `VALUE_OUT_OF_RANGE`.
 * @example
 * ```ts
 * encodeRefValue(1n); // '0x00…01'
 * encodeRefValue('0xabcd', 'bytes2'); // '0xabcd0000…00'
 * ```
 */
export function encodeRefValue(value: Hex | bigint | boolean, type?: string, path = 'refValue'): Hex {
  if (type === undefined || type === 'uint256') {
    if (typeof value === 'boolean') return type === undefined ? word(value ? 1n : 0n) : invalid();
    if (typeof value === 'bigint') return uintWord(value, 256, path);
    if (typeof value === 'string') return `0x${hexBytes(value, 32, path).padStart(64, '0')}` as Hex;
    return invalid();
  }
  if (type === 'address') {
    if (typeof value === 'bigint') return uintWord(value, 160, path);
    if (typeof value === 'string') {
      const digits = hexBytes(value, 20, path);
      if (digits.length !== 40 || !isAddress(value)) {
        return invalid('must be a 20-byte address (valid checksum if mixed-case)');
      }
      return `0x${digits.padStart(64, '0')}` as Hex;
    }
    return invalid();
  }
  if (type === 'bool') {
    if (typeof value === 'boolean') return word(value ? 1n : 0n);
    if (typeof value === 'bigint' && (value === 0n || value === 1n)) return word(value);
    return invalid('must be true or false');
  }
  const uint = /^uint(\d+)$/.exec(type);
  if (uint) {
    const bits = Number(uint[1]);
    if (typeof value === 'bigint') return uintWord(value, bits, path);
    if (typeof value === 'string') return `0x${hexBytes(value, bits / 8, path).padStart(64, '0')}` as Hex;
    return invalid();
  }
  const int = /^int(\d+)$/.exec(type);
  if (int) {
    const bits = BigInt(int[1] ?? '256');
    if (typeof value === 'bigint') {
      const bound = 1n << (bits - 1n);
      if (value < -bound || value >= bound) {
        throw new SessionPolicyError('VALUE_OUT_OF_RANGE', `${path} does not fit in int${bits}`, {
          path,
          value: value.toString(),
        });
      }
      return word(value < 0n ? MAX_UINT256 + 1n + value : value);
    }
    if (typeof value === 'string') {
      const digits = hexBytes(value, 32, path);
      if (digits.length !== 64) return invalid('must be a bigint or a full 32-byte word');
      return `0x${digits}` as Hex;
    }
    return invalid();
  }
  const bytes = /^bytes(\d+)$/.exec(type);
  if (bytes) {
    if (typeof value !== 'string') return invalid('must be hex');
    return `0x${hexBytes(value, Number(bytes[1]), path).padEnd(64, '0')}` as Hex;
  }
  return invalid('cannot be encoded for this argument type');

  function invalid(message = 'has the wrong type for the argument'): never {
    throw refValueError('CONSTRAINT_REF_VALUE_INVALID', path, message, type);
  }
}

function parseCondition(condition: Constraint['condition'], hasRefValue: boolean, path: string) {
  if (condition === undefined) {
    return hasRefValue ? ConstraintCondition.Equal : ConstraintCondition.Unconstrained;
  }
  if (typeof condition === 'string' && Object.hasOwn(ConstraintCondition, condition)) {
    return ConstraintCondition[condition as keyof typeof ConstraintCondition];
  }
  if (typeof condition === 'number' && Number.isInteger(condition) && condition >= 0 && condition <= 6) {
    return condition as ConstraintCondition;
  }
  throw new SessionPolicyError('CONSTRAINT_CONDITION_INVALID', `${path} is not a known condition`, {
    path,
    condition: String(condition),
    conditions: Object.keys(ConstraintCondition),
  });
}

function parseIndex(index: unknown, path: string): bigint {
  const valid =
    (typeof index === 'number' && Number.isSafeInteger(index) && index >= 0) ||
    (typeof index === 'bigint' && index >= 0n && index <= MAX_UINT64);
  if (!valid) {
    throw new SessionPolicyError(
      'CONSTRAINT_INDEX_INVALID',
      `${path} must be a non-negative integer (uint64)`,
      {
        path,
        index: String(index),
      },
    );
  }
  return BigInt(index as number | bigint);
}

/**
 * Normalises one {@link Constraint} to the §11 `Constraint` (ZKsync SSO semantics: `condition`
 * defaults to `Equal` with a refValue and `Unconstrained` without; `limit` defaults to unlimited;
 * an Unconstrained constraint without refValue gets the zero word).
 *
 * With `fn`, `index` is the argument index: the argument must exist, be static and fit one word;
 * ordering conditions on signed integers are refused (the contract compares words unsigned).
 * Without `fn`, `index` is the word index and is used as is.
 *
 * @throws SessionPolicyError `CONSTRAINT_*`, `VALUE_OUT_OF_RANGE`, `LIMIT_*`, `PERIOD_*`.
 * @example
 * ```ts
 * const fn = parseFunction('function transfer(address to, uint256 amount)');
 * normalizeConstraint({ index: 1, condition: 'LessEqual', refValue: 100n }, fn);
 * // { condition: 5, index: 1n, refValue: '0x…64', limit: { limitType: 0, limit: 0n, period: 0n } }
 * ```
 */
export function normalizeConstraint(
  constraint: Constraint,
  fn?: AbiFunction,
  path = 'constraint',
): ConstraintSpec {
  const hasRefValue = constraint.refValue !== undefined && constraint.refValue !== null;
  const condition = parseCondition(constraint.condition, hasRefValue, `${path}.condition`);
  if (!hasRefValue && condition !== ConstraintCondition.Unconstrained) {
    throw new SessionPolicyError('CONSTRAINT_REF_VALUE_MISSING', `${path} has a condition but no refValue`, {
      path,
      condition,
    });
  }
  const index = parseIndex(constraint.index, `${path}.index`);
  const limit =
    constraint.limit === undefined
      ? { ...LIMIT_UNLIMITED }
      : normalizeLimit(constraint.limit, `${path}.limit`);

  let wordIndex = index;
  let argument: AbiParameter | undefined;
  if (fn) {
    argument = index < BigInt(fn.inputs.length) ? fn.inputs[Number(index)] : undefined;
    if (!argument) {
      throw new SessionPolicyError(
        'CONSTRAINT_INDEX_INVALID',
        `${path}.index is beyond the function's inputs`,
        {
          path: `${path}.index`,
          index: index.toString(),
          inputs: fn.inputs.length,
        },
      );
    }
    if (isDynamicParameter(argument)) {
      throw new SessionPolicyError(
        'CONSTRAINT_ON_DYNAMIC_ARGUMENT',
        `${path} constrains a dynamic argument`,
        {
          path,
          argumentType: argument.type,
        },
      );
    }
    if (headWords(argument) !== 1) {
      throw new SessionPolicyError(
        'CONSTRAINT_ON_MULTI_WORD_ARGUMENT',
        `${path} constrains an argument longer than one word; constrain its words by selector instead`,
        { path, argumentType: argument.type },
      );
    }
    if (/^int\d+$/.test(argument.type) && ORDERING_CONDITIONS.includes(condition)) {
      throw new SessionPolicyError(
        'CONSTRAINT_SIGNED_COMPARISON',
        `${path} orders a signed integer, but the contract compares words unsigned`,
        { path, argumentType: argument.type, condition },
      );
    }
    wordIndex = BigInt(argumentWordIndex(fn, Number(index)));
  }
  const refValue = hasRefValue
    ? encodeRefValue(constraint.refValue as Hex | bigint | boolean, argument?.type, `${path}.refValue`)
    : ZERO_WORD;
  return { condition, index: wordIndex, refValue, limit };
}
