import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodeAbiParameters, parseAbiParameters, toFunctionSelector } from 'viem';
import { describe, expect, it } from 'vitest';
import { argumentWordIndex, functionSelector, headWords, isDynamicParameter, parseFunction } from './abi.ts';
import { MAX_UINT48, MAX_UINT64, MAX_UINT256 } from './bounds.ts';
import { encodeRefValue, normalizeConstraint } from './constraint.ts';
import { encodeSessionSpec, sessionSpecAbi } from './encode.ts';
import { SessionPolicyError } from './errors.ts';
import { LIMIT_UNLIMITED, LIMIT_ZERO, normalizeLimit } from './limit.ts';
import { type NormalizeSessionOptions, normalizeSession } from './normalize.ts';
import { PERIOD_UNITS, parsePeriod } from './period.ts';
import {
  type ConstraintConditionName,
  type ConstraintSpec,
  LimitType,
  type Period,
  type SessionSpec,
  type TransferPolicy,
} from './types.ts';

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SessionPolicyError);
    return (error as SessionPolicyError).code;
  }
  return 'no error';
};

describe('ABI helpers', () => {
  it('isDynamicParameter follows the ABI rules for every kind of type', () => {
    for (const type of ['string', 'bytes', 'uint256[]', 'string[2]', 'bytes[]']) {
      expect(isDynamicParameter({ type }), type).toBe(true);
    }
    for (const type of ['uint256', 'address', 'bool', 'bytes32', 'uint256[2]', 'int8[3][2]']) {
      expect(isDynamicParameter({ type }), type).toBe(false);
    }
    expect(isDynamicParameter({ type: 'tuple', components: [{ type: 'uint256' }, { type: 'string' }] })).toBe(
      true,
    );
    expect(
      isDynamicParameter({ type: 'tuple', components: [{ type: 'uint256' }, { type: 'address' }] }),
    ).toBe(false);
  });

  it('headWords counts head words: 1 per dynamic parameter, static arrays and tuples inline', () => {
    expect(headWords({ type: 'uint256' })).toBe(1);
    expect(headWords({ type: 'uint256[3]' })).toBe(3);
    expect(headWords({ type: 'uint8[2][3]' })).toBe(6);
    expect(headWords({ type: 'string' })).toBe(1);
    expect(headWords({ type: 'tuple', components: [{ type: 'address' }, { type: 'uint256[2]' }] })).toBe(3);
  });

  it('headWords agrees with viem: the head of static parameters is their whole encoding', () => {
    for (const type of ['uint256', 'address', 'bool', 'bytes32', 'uint64[2]', 'int8[3][2]']) {
      const [param] = parseAbiParameters(type);
      const encoded = encodeAbiParameters([param] as never, [shape(type)] as never);
      expect((encoded.length - 2) / 64, type).toBe(headWords(param as never));
    }
  });

  it('argumentWordIndex skips static tuples and counts one word per dynamic argument before', () => {
    const fn = parseFunction('function f((uint256,uint256) p, string s, uint256[2] a, address to)');
    expect([0, 1, 2, 3].map((i) => argumentWordIndex(fn, i))).toEqual([0, 2, 3, 5]);
  });

  it('parseFunction reads human-readable signatures with or without the keyword', () => {
    const a = parseFunction('function transfer(address to, uint256 amount)');
    const b = parseFunction('transfer(address,uint256)');
    expect([a.name, a.inputs.map((i) => i.type)]).toEqual(['transfer', ['address', 'uint256']]);
    expect(b.inputs.map((i) => i.type)).toEqual(['address', 'uint256']);
    expect(codeOf(() => parseFunction('transfer(address'))).toBe('FUNCTION_SIGNATURE_INVALID');
    expect(codeOf(() => parseFunction({ type: 'event', name: 'x', inputs: [] } as never))).toBe(
      'FUNCTION_SIGNATURE_INVALID',
    );
  });

  it('functionSelector is the lowercase 4-byte selector viem computes', () => {
    const fn = parseFunction('function approve(address spender, uint256 value)');
    expect(functionSelector(fn)).toBe('0x095ea7b3');
    expect(functionSelector(fn)).toBe(toFunctionSelector('approve(address,uint256)'));
  });
});

function defaultOf(type: string): unknown {
  if (type === 'address') return '0x0000000000000000000000000000000000000000';
  if (type === 'bool') return false;
  if (type.startsWith('bytes')) return `0x${'00'.repeat(Number(type.slice(5)))}`;
  return 0n;
}
function shape(type: string): unknown {
  const m = /^(.*)\[(\d+)\]$/.exec(type);
  if (!m) return defaultOf(type);
  return Array.from({ length: Number(m[2]) }, () => shape(m[1] ?? ''));
}

describe('bounds', () => {
  it('are the largest uint256, uint48 and uint64, and the normaliser accepts exactly up to them', () => {
    expect([MAX_UINT256, MAX_UINT48, MAX_UINT64]).toEqual([2n ** 256n - 1n, 2n ** 48n - 1n, 2n ** 64n - 1n]);
    expect(normalizeLimit(MAX_UINT256).limit).toBe(MAX_UINT256);
    expect(codeOf(() => normalizeLimit(MAX_UINT256 + 1n))).toBe('VALUE_OUT_OF_RANGE');
    expect(parsePeriod(MAX_UINT48)).toBe(MAX_UINT48);
    expect(codeOf(() => parsePeriod(MAX_UINT48 + 1n))).toBe('PERIOD_INVALID');
    expect(normalizeConstraint({ index: MAX_UINT64 }).index).toBe(MAX_UINT64);
    expect(codeOf(() => normalizeConstraint({ index: MAX_UINT64 + 1n }))).toBe('CONSTRAINT_INDEX_INVALID');
  });
});

describe('constraints', () => {
  it('encodeRefValue pads numbers left, bytesN right, and uses two’s complement for intN', () => {
    expect(encodeRefValue(1n)).toBe(`0x${'0'.repeat(63)}1`);
    expect(encodeRefValue(true)).toBe(`0x${'0'.repeat(63)}1`);
    expect(encodeRefValue('0xabcd', 'bytes2')).toBe(`0xabcd${'0'.repeat(60)}`);
    expect(encodeRefValue(-1n, 'int256')).toBe(`0x${'f'.repeat(64)}`);
    expect(encodeRefValue(255n, 'uint8')).toBe(encodeAbiParameters([{ type: 'uint8' }], [255]));
    expect(codeOf(() => encodeRefValue(256n, 'uint8'))).toBe('VALUE_OUT_OF_RANGE');
    expect(codeOf(() => encodeRefValue('0xabcdef', 'bytes2'))).toBe('CONSTRAINT_REF_VALUE_TOO_LONG');
    expect(codeOf(() => encodeRefValue(1n, 'bytes2'))).toBe('CONSTRAINT_REF_VALUE_INVALID');
  });

  it('normalizeConstraint maps names to §11 numbers and argument indices to word indices', () => {
    const fn = parseFunction('function f(string memo, address to, uint256 amount)');
    const condition: ConstraintConditionName = 'LessEqual';
    const spec: ConstraintSpec = normalizeConstraint({ index: 2, condition, refValue: 100n }, fn);
    expect(spec).toEqual({ condition: 5, index: 2n, refValue: encodeRefValue(100n), limit: LIMIT_UNLIMITED });
    expect(normalizeConstraint({ index: 1, refValue: 7n }).condition).toBe(1); // Equal by default
    expect(normalizeConstraint({ index: 1 })).toEqual({
      condition: 0,
      index: 1n,
      refValue: `0x${'0'.repeat(64)}`,
      limit: LIMIT_UNLIMITED,
    });
    expect(codeOf(() => normalizeConstraint({ index: 0, refValue: '0x01' }, fn))).toBe(
      'CONSTRAINT_ON_DYNAMIC_ARGUMENT',
    );
  });
});

describe('limits and periods', () => {
  it('LIMIT_ZERO (the default value limit) and LIMIT_UNLIMITED are the canonical §11 limits', () => {
    expect(LIMIT_ZERO).toEqual({ limitType: LimitType.Lifetime, limit: 0n, period: 0n });
    expect(LIMIT_UNLIMITED).toEqual({ limitType: LimitType.Unlimited, limit: 0n, period: 0n });
    expect(normalizeLimit(0n)).toEqual(LIMIT_ZERO);
    expect(normalizeLimit({ limitType: 'unlimited' })).toEqual(LIMIT_UNLIMITED);
    expect(Object.isFrozen(LIMIT_ZERO) && Object.isFrozen(LIMIT_UNLIMITED)).toBe(true);
    const transfer: TransferPolicy = { target: '0x1111111111111111111111111111111111111111' };
    const spec = normalizeSession(
      {
        signer: '0x3333333333333333333333333333333333333333',
        expiresAt: 2_000n,
        feeLimit: 1n,
        transfers: [transfer],
      },
      { now: 1_000n },
    );
    expect(spec.transferPolicies[0]?.valueLimit).toEqual(LIMIT_ZERO);
  });

  it('LimitType has the §11 enum values', () => {
    expect(LimitType).toEqual({ Unlimited: 0, Lifetime: 1, Allowance: 2 });
    expect(normalizeLimit({ limit: 1n, period: '1 hour' }).limitType).toBe(LimitType.Allowance);
  });

  it('PERIOD_UNITS are exactly the words parsePeriod accepts', () => {
    expect(PERIOD_UNITS).toEqual(expect.arrayContaining(['second', 'minutes', 'hour', 'day', 'weeks']));
    for (const unit of PERIOD_UNITS) {
      const period: Period = `2 ${unit}`;
      expect(parsePeriod(period) % 2n, unit).toBe(0n);
      expect(parsePeriod(period) > 0n, unit).toBe(true);
    }
    for (const unit of ['month', 'year', 'ms', 'fortnight']) {
      expect(PERIOD_UNITS).not.toContain(unit);
      expect(codeOf(() => parsePeriod(`1 ${unit}`))).toBe('PERIOD_UNKNOWN_UNIT');
    }
  });
});

describe('session options and ABI', () => {
  it('NormalizeSessionOptions.now and minLifetimeSeconds decide what counts as too soon', () => {
    const input = {
      signer: '0x3333333333333333333333333333333333333333',
      expiresAt: 1_100n,
      feeLimit: 1n,
    } as const;
    const options: NormalizeSessionOptions = { now: 1_000n, minLifetimeSeconds: 99n };
    expect(normalizeSession(input, options).expiresAt).toBe(1_100n);
    // The session must outlive now + minLifetimeSeconds strictly (createSession's rule).
    expect(codeOf(() => normalizeSession(input, { ...options, minLifetimeSeconds: 100n }))).toBe(
      'SESSION_EXPIRES_TOO_SOON',
    );
    expect(normalizeSession(input, { now: new Date(1_000_000) }).expiresAt).toBe(1_100n);
  });

  it('sessionSpecAbi is the §11 struct: encoding with it equals encodeSessionSpec', () => {
    const spec: SessionSpec = normalizeSession(
      {
        signer: '0x3333333333333333333333333333333333333333',
        expiresAt: 10_000n,
        feeLimit: { limit: 5n, period: '1 day' },
        contractCalls: [
          {
            target: '0x2222222222222222222222222222222222222222',
            function: 'function transfer(address to, uint256 amount)',
            constraints: [{ index: 1, condition: 'Less', refValue: 10n }],
          },
        ],
      },
      { now: 0n },
    );
    expect(encodeAbiParameters([sessionSpecAbi], [spec as never])).toBe(encodeSessionSpec(spec));
    expect(sessionSpecAbi.components.map((c) => `${c.type} ${c.name}`)).toEqual([
      'address signer',
      'uint48 expiresAt',
      'tuple feeLimit',
      'tuple[] callPolicies',
      'tuple[] transferPolicies',
    ]);
    const protocol = readFileSync(
      fileURLToPath(new URL('../../../../docs/protocol.md', import.meta.url)),
      'utf8',
    );
    expect(protocol).toContain(
      'struct SessionSpec { address signer; uint48 expiresAt; UsageLimit feeLimit; CallSpec[] callPolicies;',
    );
  });
});

describe('SessionPolicyError codes', () => {
  it('every SessionPolicyErrorCode of errors.ts has a case in normalize.test.ts', () => {
    const source = readFileSync(fileURLToPath(new URL('./errors.ts', import.meta.url)), 'utf8');
    const start = source.indexOf('export type SessionPolicyErrorCode');
    const codes = [...source.slice(start, source.indexOf(';', start)).matchAll(/'([A-Z0-9_]+)'/g)].map(
      (m) => m[1],
    );
    const tests = readFileSync(fileURLToPath(new URL('./normalize.test.ts', import.meta.url)), 'utf8');
    const table = tests.slice(
      tests.indexOf('const ERROR_CASES'),
      tests.indexOf("describe('normalizeSession: one error per code'"),
    );
    expect(codes.length).toBeGreaterThan(20);
    for (const code of codes) expect(table, code).toContain(`'${code}'`);
  });
});
