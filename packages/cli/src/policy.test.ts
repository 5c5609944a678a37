import { LimitType, normalizeSession } from '@zksso/core';
import { describe, expect, it } from 'vitest';
import {
  checkPolicy,
  DEFAULT_FEE_LIMIT,
  DEFAULT_SESSION_SECONDS,
  feeLimitFrom,
  parseAllowance,
  sessionInputFromFile,
  sessionInputFromFlags,
} from './policy.ts';

const signer = '0x3333333333333333333333333333333333333333';
const target = '0x1111111111111111111111111111111111111111';
const now = 1_800_000_000;

describe('sessionInputFromFlags', () => {
  it('turns --to/--max-per-tx/--allowance/--expires-in into a spec the chain accepts', () => {
    const input = sessionInputFromFlags(
      { to: target, maxPerTx: '0.001', allowance: '0.002/60s', expiresIn: '10m' },
      { signer, now },
    );
    const spec = normalizeSession(input, { now: BigInt(now) });
    expect(spec.signer).toBe(signer);
    expect(spec.expiresAt).toBe(BigInt(now + 600));
    expect(spec.feeLimit).toEqual({ limitType: LimitType.Lifetime, limit: DEFAULT_FEE_LIMIT, period: 0n });
    expect(spec.transferPolicies).toEqual([
      {
        target,
        maxValuePerUse: 10n ** 15n,
        valueLimit: { limitType: LimitType.Allowance, limit: 2n * 10n ** 15n, period: 60n },
      },
    ]);
    expect(spec.callPolicies).toEqual([]);
  });

  it('uses a lifetime limit, defaults the expiry to a day and the per-tx cap to the limit', () => {
    const spec = checkPolicy(sessionInputFromFlags({ to: target, lifetime: '1' }, { signer, now }), now);
    expect(spec.expiresAt).toBe(BigInt(now + DEFAULT_SESSION_SECONDS));
    expect(spec.transferPolicies[0]?.valueLimit).toEqual({
      limitType: LimitType.Lifetime,
      limit: 10n ** 18n,
      period: 0n,
    });
    expect(spec.transferPolicies[0]?.maxValuePerUse).toBe(10n ** 18n);
  });

  it('takes --fee-limit as lifetime or per period', () => {
    expect(feeLimitFrom('0.05')).toEqual({ limitType: 'lifetime', limit: 5n * 10n ** 16n });
    expect(feeLimitFrom('0.01/1d')).toEqual({ limitType: 'allowance', limit: 10n ** 16n, period: 86_400n });
    expect(feeLimitFrom(undefined)).toEqual({ limitType: 'lifetime', limit: DEFAULT_FEE_LIMIT });
  });

  it('refuses missing or contradictory flags with usage errors', () => {
    const usage = (f: () => unknown) => expect(f).toThrow(expect.objectContaining({ code: 'USAGE' }));
    usage(() => sessionInputFromFlags({ allowance: '1/1h' }, { signer, now }));
    usage(() => sessionInputFromFlags({ to: 'bob', allowance: '1/1h' }, { signer, now }));
    usage(() => sessionInputFromFlags({ to: target }, { signer, now }));
    usage(() => sessionInputFromFlags({ to: target, allowance: '1/1h', lifetime: '1' }, { signer, now }));
    usage(() => parseAllowance('0.01', '--allowance'));
    usage(() => parseAllowance('0.01/never', '--allowance'));
  });

  it('lets the chain rules reject an expiry that is too soon', () => {
    const input = sessionInputFromFlags({ to: target, lifetime: '1', expiresIn: '30s' }, { signer, now });
    expect(() => checkPolicy(input, now)).toThrow(
      expect.objectContaining({ code: 'SESSION_EXPIRES_TOO_SOON' }),
    );
  });
});

describe('sessionInputFromFile', () => {
  it('reads amounts as wei digits or with units, periods as words, and expiresIn', () => {
    const input = sessionInputFromFile(
      {
        expiresIn: '2h',
        feeLimit: { limit: '0.01 eth', period: '1 day' },
        transfers: [{ target, maxValuePerUse: '1000', valueLimit: '0.5 eth' }],
        contractCalls: [
          {
            target: '0x2222222222222222222222222222222222222222',
            function: 'function transfer(address to, uint256 amount)',
            constraints: [
              {
                index: 1,
                condition: 'LessEqual',
                refValue: '1000000',
                limit: { limit: 5000000, period: 3600 },
              },
            ],
          },
        ],
      },
      { signer, now },
    );
    const spec = checkPolicy(input, now);
    expect(spec.expiresAt).toBe(BigInt(now + 7200));
    expect(spec.feeLimit).toEqual({ limitType: LimitType.Allowance, limit: 10n ** 16n, period: 86_400n });
    expect(spec.transferPolicies[0]?.maxValuePerUse).toBe(1000n);
    expect(spec.transferPolicies[0]?.valueLimit.limit).toBe(5n * 10n ** 17n);
    const constraint = spec.callPolicies[0]?.constraints[0];
    expect(constraint?.refValue).toBe(`0x${(1_000_000).toString(16).padStart(64, '0')}`);
    expect(constraint?.limit).toEqual({ limitType: LimitType.Allowance, limit: 5_000_000n, period: 3600n });
  });

  it('lets --expires-in win, refuses a signer and non-objects, and defaults the fee limit', () => {
    const input = sessionInputFromFile(
      { transfers: [{ target, valueLimit: '1' }] },
      { signer, now, expiresIn: '1h' },
    );
    expect(input.expiresAt).toBe(BigInt(now + 3600));
    expect(input.feeLimit).toEqual({ limitType: 'lifetime', limit: DEFAULT_FEE_LIMIT });
    expect(() => sessionInputFromFile({ signer }, { signer, now })).toThrow(
      expect.objectContaining({ code: 'USAGE' }),
    );
    expect(() => sessionInputFromFile([1], { signer, now })).toThrow(
      expect.objectContaining({ code: 'USAGE' }),
    );
    expect(() => sessionInputFromFile({ transfers: [{ target, valueLimit: -1 }] }, { signer, now })).toThrow(
      expect.objectContaining({ code: 'USAGE' }),
    );
  });
});
