import type { CallSpec, ConstraintSpec, SessionSpec, TransferSpec, UsageLimit } from '@zksso/core';
import { type Address, getAddress, type Hex, isHex, size } from 'viem';

/**
 * A session as JSON (protocol §11 `SessionSpec`, bigints as decimal strings).
 *
 * @example
 * ```ts
 * const json: SessionSpecJson = sessionSpecToJson(spec);
 * ```
 */
export interface SessionSpecJson {
  signer: Address;
  expiresAt: string;
  feeLimit: UsageLimitJson;
  callPolicies: {
    target: Address;
    selector: Hex;
    maxValuePerUse: string;
    valueLimit: UsageLimitJson;
    constraints: { condition: number; index: string; refValue: Hex; limit: UsageLimitJson }[];
  }[];
  transferPolicies: { target: Address; maxValuePerUse: string; valueLimit: UsageLimitJson }[];
}

/** A usage limit as JSON: `limitType` 0 unlimited, 1 lifetime, 2 allowance; decimal strings. */
export interface UsageLimitJson {
  limitType: number;
  limit: string;
  period: string;
}

/**
 * A created session, enough to sign with it later: JSON-serialisable. It contains the session key
 * (SECRET): whoever holds it can spend within the session's limits until it expires or is revoked.
 *
 * @example
 * ```ts
 * const { session } = await createSession({ network, account, policy });
 * writeFileSync('session.json', JSON.stringify(session), { mode: 0o600 });
 * ```
 */
export type SessionRecord = {
  version: 1;
  chainId: number;
  /** The account the session belongs to. */
  account: Address;
  /** keccak256(abi.encode(spec)). */
  sessionHash: Hex;
  sessionPrivateKey: Hex;
  spec: SessionSpecJson;
  /** Unix seconds. */
  createdAt: number;
  /** Hash of the chain's block 0 when the session was created (absent in older records). */
  genesisHash?: Hex;
};

const limitToJson = (l: UsageLimit): UsageLimitJson => ({
  limitType: l.limitType,
  limit: l.limit.toString(),
  period: l.period.toString(),
});

/**
 * A {@link SessionSpec} as JSON (bigints as decimal strings); {@link sessionSpecFromJson} reverses it.
 *
 * @example
 * ```ts
 * JSON.stringify(sessionSpecToJson(spec));
 * ```
 */
export function sessionSpecToJson(spec: SessionSpec): SessionSpecJson {
  return {
    signer: spec.signer,
    expiresAt: spec.expiresAt.toString(),
    feeLimit: limitToJson(spec.feeLimit),
    callPolicies: spec.callPolicies.map((c) => ({
      target: c.target,
      selector: c.selector,
      maxValuePerUse: c.maxValuePerUse.toString(),
      valueLimit: limitToJson(c.valueLimit),
      constraints: c.constraints.map((k) => ({
        condition: k.condition,
        index: k.index.toString(),
        refValue: k.refValue,
        limit: limitToJson(k.limit),
      })),
    })),
    transferPolicies: spec.transferPolicies.map((t) => ({
      target: t.target,
      maxValuePerUse: t.maxValuePerUse.toString(),
      valueLimit: limitToJson(t.valueLimit),
    })),
  };
}

/**
 * Parses {@link sessionSpecToJson}'s output back into a {@link SessionSpec} (same `sessionHash`).
 *
 * @throws TypeError naming the first malformed field.
 * @example
 * ```ts
 * const spec = sessionSpecFromJson(record.spec);
 * ```
 */
export function sessionSpecFromJson(json: unknown): SessionSpec {
  const fail = (path: string): never => {
    throw new TypeError(`not a session spec: bad ${path}`);
  };
  const int = (value: unknown, path: string): bigint =>
    typeof value === 'string' && /^(0|[1-9][0-9]*)$/.test(value) ? BigInt(value) : fail(path);
  const address = (value: unknown, path: string): Address => {
    try {
      return getAddress(value as string);
    } catch {
      return fail(path);
    }
  };
  const hex = (value: unknown, bytes: number, path: string): Hex =>
    isHex(value) && size(value as Hex) === bytes ? ((value as Hex).toLowerCase() as Hex) : fail(path);
  const array = <T>(value: unknown, path: string, item: (v: Record<string, unknown>, p: string) => T): T[] =>
    Array.isArray(value)
      ? value.map((v, i) => item(object(v, `${path}[${i}]`), `${path}[${i}]`))
      : fail(path);
  const object = (value: unknown, path: string): Record<string, unknown> =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : fail(path);
  const limit = (value: unknown, path: string): UsageLimit => {
    const l = object(value, path);
    const limitType = Number(l.limitType);
    if (![0, 1, 2].includes(limitType)) fail(`${path}.limitType`);
    return {
      limitType: limitType as UsageLimit['limitType'],
      limit: int(l.limit, `${path}.limit`),
      period: int(l.period, `${path}.period`),
    };
  };
  const s = object(json, 'spec');
  return {
    signer: address(s.signer, 'signer'),
    expiresAt: int(s.expiresAt, 'expiresAt'),
    feeLimit: limit(s.feeLimit, 'feeLimit'),
    callPolicies: array(
      s.callPolicies,
      'callPolicies',
      (c, p): CallSpec => ({
        target: address(c.target, `${p}.target`),
        selector: hex(c.selector, 4, `${p}.selector`),
        maxValuePerUse: int(c.maxValuePerUse, `${p}.maxValuePerUse`),
        valueLimit: limit(c.valueLimit, `${p}.valueLimit`),
        constraints: array(c.constraints, `${p}.constraints`, (k, q): ConstraintSpec => {
          const condition = Number(k.condition);
          if (!Number.isInteger(condition) || condition < 0 || condition > 6) fail(`${q}.condition`);
          return {
            condition: condition as ConstraintSpec['condition'],
            index: int(k.index, `${q}.index`),
            refValue: hex(k.refValue, 32, `${q}.refValue`),
            limit: limit(k.limit, `${q}.limit`),
          };
        }),
      }),
    ),
    transferPolicies: array(
      s.transferPolicies,
      'transferPolicies',
      (t, p): TransferSpec => ({
        target: address(t.target, `${p}.target`),
        maxValuePerUse: int(t.maxValuePerUse, `${p}.maxValuePerUse`),
        valueLimit: limit(t.valueLimit, `${p}.valueLimit`),
      }),
    ),
  };
}
