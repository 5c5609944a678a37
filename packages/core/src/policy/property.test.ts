import fc from 'fast-check';
import { getAddress } from 'viem';
import { describe, expect, it } from 'vitest';
import { decodeSessionSpec, encodeSessionSpec, sessionHash } from './encode.ts';
import { SessionPolicyError } from './errors.ts';
import { normalizeSession } from './normalize.ts';
import { ConstraintCondition, type Limit, type SessionInput, type SessionSpec } from './types.ts';

const NOW = 1_700_000_000n;
const uint256 = fc.bigInt({ min: 0n, max: 2n ** 256n - 1n });
const address = fc
  .uint8Array({ minLength: 20, maxLength: 20 })
  .map((bytes) => getAddress(`0x${Buffer.from(bytes).toString('hex')}`));
const nonZeroAddress = address.filter((a) => BigInt(a) !== 0n);
const periodWord = fc
  .tuple(
    fc.integer({ min: 1, max: 1000 }),
    fc.constantFrom('s', 'minutes', 'hour', 'hours', 'd', 'day', 'weeks'),
  )
  .map(([n, unit]) => `${n} ${unit}`);
const period = fc.oneof(
  periodWord,
  fc.integer({ min: 1, max: 2 ** 40 }),
  fc.bigInt({ min: 1n, max: 2n ** 48n - 1n }),
);

const limit: fc.Arbitrary<Limit> = fc.oneof(
  uint256,
  uint256.map((l) => ({ limit: l })),
  fc.record({ limit: uint256, period }),
  uint256.map((l) => ({ limitType: 'lifetime' as const, limit: l })),
  fc.constant({ limitType: 'unlimited' as const }),
  fc.record({ limitType: fc.constant('allowance' as const), limit: uint256, period }),
);
const boundedLimit = limit.filter(
  (l) => !(typeof l === 'object' && 'limitType' in l && l.limitType === 'unlimited'),
);

const conditions = Object.keys(ConstraintCondition) as (keyof typeof ConstraintCondition)[];
const constraint = fc.record(
  {
    index: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })),
    condition: fc.constantFrom(...conditions),
    refValue: fc.oneof(
      uint256,
      fc.boolean(),
      fc.uint8Array({ maxLength: 32 }).map((b) => `0x${Buffer.from(b).toString('hex')}` as const),
    ),
    limit,
  },
  { requiredKeys: ['index', 'refValue'] },
);

const selector = fc
  .uint8Array({ minLength: 4, maxLength: 4 })
  .map((b) => `0x${Buffer.from(b).toString('hex')}` as const);
const uniqueBy = <T>(arb: fc.Arbitrary<T>, key: (t: T) => string, maxLength: number) =>
  fc.uniqueArray(arb, { selector: key, maxLength });

const session: fc.Arbitrary<SessionInput> = fc.record(
  {
    signer: nonZeroAddress,
    expiresAt: fc.bigInt({ min: NOW + 61n, max: 2n ** 48n - 1n }),
    feeLimit: boundedLimit,
    transfers: uniqueBy(
      fc.record(
        { target: address, maxValuePerUse: uint256, valueLimit: limit },
        { requiredKeys: ['target'] },
      ),
      (p) => p.target,
      3,
    ),
    contractCalls: uniqueBy(
      fc.record(
        {
          target: address,
          selector,
          maxValuePerUse: uint256,
          valueLimit: limit,
          constraints: fc.array(constraint, { maxLength: 3 }),
        },
        { requiredKeys: ['target', 'selector'] },
      ),
      (p) => `${p.target}:${p.selector}`,
      3,
    ),
  },
  { requiredKeys: ['signer', 'expiresAt', 'feeLimit'] },
);

/** One-field changes of a canonical spec, each of which must change the hash. */
const mutations: ((s: SessionSpec) => SessionSpec | undefined)[] = [
  (s) => ({ ...s, expiresAt: s.expiresAt ^ 1n }),
  (s) => ({ ...s, signer: getAddress(`0x${(BigInt(s.signer) ^ 1n).toString(16).padStart(40, '0')}`) }),
  (s) => ({ ...s, feeLimit: { ...s.feeLimit, limit: s.feeLimit.limit ^ 1n } }),
  (s) => ({ ...s, transferPolicies: s.transferPolicies.slice(1) }),
  (s) => {
    const [first, ...rest] = s.callPolicies;
    if (!first) return undefined;
    return { ...s, callPolicies: [{ ...first, maxValuePerUse: first.maxValuePerUse ^ 1n }, ...rest] };
  },
  (s) => {
    const [first, ...rest] = s.callPolicies;
    const [c, ...cs] = first?.constraints ?? [];
    if (!first || !c) return undefined;
    return {
      ...s,
      callPolicies: [{ ...first, constraints: [{ ...c, index: c.index ^ 1n }, ...cs] }, ...rest],
    };
  },
  (s) => ({
    ...s,
    feeLimit: { ...s.feeLimit, limitType: s.feeLimit.limitType === 1 ? 2 : 1, period: 3600n },
  }),
  (s) => {
    const [first, ...rest] = s.transferPolicies;
    if (!first) return undefined;
    const target = getAddress(`0x${(BigInt(first.target) ^ 1n).toString(16).padStart(40, '0')}`);
    return { ...s, transferPolicies: [{ ...first, target }, ...rest] };
  },
  (s) => {
    const [first, ...rest] = s.callPolicies;
    if (!first) return undefined;
    const selector = `0x${(BigInt(first.selector) ^ 1n).toString(16).padStart(8, '0')}` as const;
    return { ...s, callPolicies: [{ ...first, selector }, ...rest] };
  },
  (s) => {
    const [first, ...rest] = s.callPolicies;
    const [c, ...cs] = first?.constraints ?? [];
    if (!first || !c) return undefined;
    const refValue = `0x${(BigInt(c.refValue) ^ 1n).toString(16).padStart(64, '0')}` as const;
    const condition = ((c.condition + 1) %
      7) as SessionSpec['callPolicies'][number]['constraints'][number]['condition'];
    const changed =
      [
        { ...c, refValue },
        { ...c, condition },
      ][Number(s.expiresAt % 2n)] ?? c;
    return { ...s, callPolicies: [{ ...first, constraints: [changed, ...cs] }, ...rest] };
  },
];

describe('session policy properties', () => {
  it('every valid input normalises, encodes and decodes back to the same spec', () => {
    fc.assert(
      fc.property(session, (input) => {
        const spec = normalizeSession(input, { now: NOW });
        expect(decodeSessionSpec(encodeSessionSpec(spec))).toEqual(spec);
      }),
      { numRuns: 300 },
    );
  });

  it('normalisation is idempotent', () => {
    fc.assert(
      fc.property(session, (input) => {
        const spec = normalizeSession(input, { now: NOW });
        expect(normalizeSession(spec, { now: NOW })).toEqual(spec);
      }),
      { numRuns: 300 },
    );
  });

  it('sessionHash changes when any field changes', () => {
    fc.assert(
      fc.property(session, fc.nat({ max: mutations.length - 1 }), (input, which) => {
        const spec = normalizeSession(input, { now: NOW });
        const changed = mutations[which]?.(spec);
        fc.pre(changed !== undefined && (which !== 3 || spec.transferPolicies.length > 0));
        expect(changed).not.toEqual(spec);
        expect(sessionHash(changed as SessionSpec)).not.toBe(sessionHash(spec));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses arbitrary junk only with SessionPolicyError', () => {
    const junk = fc.oneof(
      fc.anything(),
      fc.record({
        signer: fc.anything(),
        expiresAt: fc.anything(),
        feeLimit: fc.anything(),
        transfers: fc.anything(),
        contractCalls: fc.anything(),
      }),
      session.chain((input) =>
        fc.record({
          ...Object.fromEntries(Object.entries(input).map(([k, v]) => [k, fc.constant(v)])),
          contractCalls: fc.array(fc.anything(), { maxLength: 2 }),
        }),
      ),
    );
    fc.assert(
      fc.property(junk, (input) => {
        try {
          normalizeSession(input as SessionInput, { now: NOW });
        } catch (error) {
          expect(error).toBeInstanceOf(SessionPolicyError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
