import { parseAbiItem } from 'viem';
import { describe, expect, it } from 'vitest';
import { ZkSsoError } from '../errors.ts';
import { SessionPolicyError, type SessionPolicyErrorCode } from './errors.ts';
import { normalizeSession } from './normalize.ts';
import type { CallPolicy, SessionInput } from './types.ts';

const NOW = 1_700_000_000n;
const SIGNER = '0x3333333333333333333333333333333333333333';
const TOKEN = '0x2222222222222222222222222222222222222222';
const FRIEND = '0x1111111111111111111111111111111111111111';
const ZERO_WORD = `0x${'0'.repeat(64)}`;

const base = (extra: Partial<SessionInput> = {}): SessionInput => ({
  signer: SIGNER,
  expiresAt: NOW + 86_400n,
  feeLimit: { limit: 10n ** 16n, period: '1 day' },
  ...extra,
});
const call = (policy: Partial<CallPolicy>): SessionInput =>
  base({
    contractCalls: [{ target: TOKEN, function: 'function transfer(address to, uint256 amount)', ...policy }],
  });

const codeOf = (input: unknown, options = {}): string => {
  try {
    normalizeSession(input as SessionInput, { now: NOW, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(SessionPolicyError);
    expect(error).toBeInstanceOf(ZkSsoError);
    return (error as SessionPolicyError).code;
  }
  return 'no error';
};

describe('normalizeSession: canonical output and defaults', () => {
  it('normalises a full ZKsync-style session', () => {
    const spec = normalizeSession(
      base({
        expiresAt: new Date(Number(NOW + 3600n) * 1000),
        transfers: [
          {
            target: FRIEND.toUpperCase().replace('0X', '0x') as `0x${string}`,
            valueLimit: { limit: 5n, period: '1 hour' },
          },
        ],
        contractCalls: [
          {
            target: TOKEN,
            function: 'function transfer(address to, uint256 amount)',
            valueLimit: { limitType: 'unlimited' },
            maxValuePerUse: 3n,
            constraints: [
              { index: 0, refValue: FRIEND },
              { index: 1, condition: 'LessEqual', refValue: 1000n, limit: { limit: 5000n, period: '1 day' } },
            ],
          },
        ],
      }),
      { now: NOW },
    );
    expect(spec).toEqual({
      signer: SIGNER,
      expiresAt: NOW + 3600n,
      feeLimit: { limitType: 2, limit: 10n ** 16n, period: 86_400n },
      callPolicies: [
        {
          target: TOKEN,
          selector: '0xa9059cbb',
          maxValuePerUse: 3n,
          valueLimit: { limitType: 0, limit: 0n, period: 0n },
          constraints: [
            {
              condition: 1,
              index: 0n,
              refValue: `0x${'0'.repeat(24)}${FRIEND.slice(2)}`,
              limit: { limitType: 0, limit: 0n, period: 0n },
            },
            {
              condition: 5,
              index: 1n,
              refValue: `0x${(1000).toString(16).padStart(64, '0')}`,
              limit: { limitType: 2, limit: 5000n, period: 86_400n },
            },
          ],
        },
      ],
      transferPolicies: [
        { target: FRIEND, maxValuePerUse: 5n, valueLimit: { limitType: 2, limit: 5n, period: 3600n } },
      ],
    });
  });

  it('defaults: valueLimit → lifetime 0, maxValuePerUse → the limit, no constraints', () => {
    const spec = normalizeSession(
      base({
        transfers: [{ target: FRIEND }, { target: TOKEN, valueLimit: 7n }],
        contractCalls: [{ target: TOKEN, selector: '0xA9059CBB' }],
      }),
      { now: NOW },
    );
    expect(spec.transferPolicies[0]).toEqual({
      target: FRIEND,
      maxValuePerUse: 0n,
      valueLimit: { limitType: 1, limit: 0n, period: 0n },
    });
    expect(spec.transferPolicies[1]?.maxValuePerUse).toBe(7n);
    expect(spec.callPolicies[0]).toMatchObject({
      selector: '0xa9059cbb',
      maxValuePerUse: 0n,
      constraints: [],
    });
  });

  it('defaults an unconstrained constraint to the zero word and unlimited', () => {
    const spec = normalizeSession(call({ constraints: [{ index: 1 }] }), { now: NOW });
    expect(spec.callPolicies[0]?.constraints[0]).toEqual({
      condition: 0,
      index: 1n,
      refValue: ZERO_WORD,
      limit: { limitType: 0, limit: 0n, period: 0n },
    });
  });

  it('maps argument indices to word indices past static tuples and dynamic heads', () => {
    const spec = normalizeSession(
      call({
        function: 'function f(string s, (uint256 a, uint256 b) p, uint8[2] q, bytes4 tag, bool on)',
        constraints: [
          { index: 3, refValue: '0xdeadbeef' },
          { index: 4, refValue: true },
        ],
      }),
      { now: NOW },
    );
    const [tag, on] = spec.callPolicies[0]?.constraints ?? [];
    expect(tag?.index).toBe(5n); // 1 (offset of s) + 2 (tuple) + 2 (uint8[2])
    expect(tag?.refValue).toBe(`0xdeadbeef${'0'.repeat(56)}`);
    expect(on?.index).toBe(6n);
    expect(on?.refValue).toBe(`0x${'0'.repeat(63)}1`);
  });

  it('accepts an AbiFunction object as well as a signature without the keyword', () => {
    const fn = parseAbiItem('function approve(address spender, uint256 amount)');
    const a = normalizeSession(call({ function: fn }), { now: NOW });
    const b = normalizeSession(call({ function: 'approve(address,uint256)' }), { now: NOW });
    expect(a.callPolicies[0]?.selector).toBe('0x095ea7b3');
    expect(b).toEqual(a);
  });

  it('encodes signed refValues in two’s complement for equality', () => {
    const spec = normalizeSession(
      call({
        function: 'function f(int256 x)',
        constraints: [{ index: 0, condition: 'NotEqual', refValue: -1n }],
      }),
      { now: NOW },
    );
    expect(spec.callPolicies[0]?.constraints[0]?.refValue).toBe(`0x${'f'.repeat(64)}`);
  });

  it('pads refValues by type: numbers left, bytesN right, raw hex left without a function', () => {
    const bySelector = normalizeSession(
      base({
        contractCalls: [
          { target: TOKEN, selector: '0x12345678', constraints: [{ index: 7n, refValue: '0xabcd' }] },
        ],
      }),
      { now: NOW },
    );
    expect(bySelector.callPolicies[0]?.constraints[0]).toMatchObject({
      index: 7n,
      refValue: `0x${'0'.repeat(60)}abcd`,
    });
    const byType = normalizeSession(
      call({
        function: 'function f(bytes2 b, uint16 n)',
        constraints: [
          { index: 0, refValue: '0xabcd' },
          { index: 1, refValue: '0xabcd' },
        ],
      }),
      { now: NOW },
    );
    expect(byType.callPolicies[0]?.constraints.map((c) => c.refValue)).toEqual([
      `0xabcd${'0'.repeat(60)}`,
      `0x${'0'.repeat(60)}abcd`,
    ]);
  });

  it('allows maxValuePerUse above a lifetime valueLimit, as ZKsync SSO does', () => {
    const spec = normalizeSession(
      base({ transfers: [{ target: FRIEND, maxValuePerUse: 10n, valueLimit: 5n }] }),
      {
        now: NOW,
      },
    );
    expect(spec.transferPolicies[0]?.maxValuePerUse).toBe(10n);
  });

  it('allows several constraints on one word (a range)', () => {
    const spec = normalizeSession(
      call({
        constraints: [
          { index: 1, condition: 'Greater', refValue: 5n },
          { index: 1, condition: 'Less', refValue: 30n },
        ],
      }),
      { now: NOW },
    );
    expect(spec.callPolicies[0]?.constraints.map((c) => c.condition)).toEqual([2, 3]);
  });
});

const tooLong = `0x${'ab'.repeat(33)}` as const;

const ERROR_CASES: [SessionPolicyErrorCode, unknown, Record<string, unknown>?][] = [
  ['PERIOD_INVALID', base({ feeLimit: { limit: 1n, period: '1.5 hours' } })],
  ['PERIOD_UNKNOWN_UNIT', base({ feeLimit: { limit: 1n, period: '1 month' } })],
  ['LIMIT_INVALID', base({ feeLimit: { limitType: 'daily', limit: 1n } as never })],
  [
    'LIMIT_PERIOD_NOT_ALLOWED',
    base({ feeLimit: { limitType: 'lifetime', limit: 1n, period: '1 day' } as never }),
  ],
  ['LIMIT_ALLOWANCE_WITHOUT_PERIOD', base({ feeLimit: { limitType: 'allowance', limit: 1n } as never })],
  [
    'LIMIT_UNLIMITED_WITH_VALUE',
    base({ transfers: [{ target: FRIEND, valueLimit: { limitType: 'unlimited', limit: 3n } as never }] }),
  ],
  ['VALUE_OUT_OF_RANGE', base({ transfers: [{ target: FRIEND, maxValuePerUse: -1n }] })],
  ['SIGNER_INVALID', base({ signer: '0x1234' })],
  ['SIGNER_ZERO', base({ signer: '0x0000000000000000000000000000000000000000' })],
  ['TARGET_INVALID', base({ transfers: [{ target: 'alice.eth' as never }] })],
  ['EXPIRES_AT_INVALID', base({ expiresAt: Number(NOW) * 1000 })],
  ['EXPIRES_AT_TOO_LARGE', base({ expiresAt: 2n ** 48n })],
  ['SESSION_EXPIRES_TOO_SOON', base({ expiresAt: NOW - 1n })],
  ['FEE_LIMIT_UNLIMITED', base({ feeLimit: { limitType: 'unlimited' } })],
  ['CALL_POLICY_SELECTOR_MISSING', call({ function: undefined })],
  ['CALL_POLICY_SELECTOR_CONFLICT', call({ selector: '0xa9059cbb' })],
  ['SELECTOR_INVALID', call({ function: undefined, selector: '0xa9059c' })],
  ['FUNCTION_SIGNATURE_INVALID', call({ function: 'function transfer(address to, uint256' })],
  [
    'DUPLICATE_CALL_POLICY',
    base({
      contractCalls: [
        { target: TOKEN, function: 'transfer(address,uint256)' },
        { target: TOKEN.toLowerCase() as `0x${string}`, selector: '0xA9059CBB' },
      ],
    }),
  ],
  ['DUPLICATE_TRANSFER_POLICY', base({ transfers: [{ target: FRIEND }, { target: FRIEND }] })],
  ['CONSTRAINT_INDEX_INVALID', call({ constraints: [{ index: 2, refValue: 1n }] })],
  [
    'CONSTRAINT_ON_DYNAMIC_ARGUMENT',
    call({ function: 'function f(uint256[] xs)', constraints: [{ index: 0 }] }),
  ],
  [
    'CONSTRAINT_ON_MULTI_WORD_ARGUMENT',
    call({ function: 'function f((uint256 a, uint256 b) p)', constraints: [{ index: 0, refValue: 1n }] }),
  ],
  [
    'CONSTRAINT_CONDITION_INVALID',
    call({ constraints: [{ index: 1, condition: 'Between' as never, refValue: 1n }] }),
  ],
  ['CONSTRAINT_REF_VALUE_MISSING', call({ constraints: [{ index: 1, condition: 'Less' }] })],
  [
    'CONSTRAINT_REF_VALUE_TOO_LONG',
    base({
      contractCalls: [
        { target: TOKEN, selector: '0x12345678', constraints: [{ index: 0, refValue: tooLong }] },
      ],
    }),
  ],
  ['CONSTRAINT_REF_VALUE_INVALID', call({ constraints: [{ index: 0, refValue: true }] })],
  [
    'CONSTRAINT_SIGNED_COMPARISON',
    call({ function: 'function f(int128 x)', constraints: [{ index: 0, condition: 'Less', refValue: 0n }] }),
  ],
  ['SESSION_SPEC_MALFORMED', base({ transfers: [], transferPolicies: [] })],
];

describe('normalizeSession: one error per code', () => {
  it.each(ERROR_CASES)('%s', (expected, input, options) => {
    expect(codeOf(input, options)).toBe(expected);
  });
});

describe('normalizeSession: more refusals', () => {
  it('refuses constraints on every kind of dynamic argument', () => {
    for (const signature of [
      'function f(string s)',
      'function f(bytes b)',
      'function f(address[] a)',
      'function f(string[2] s)',
      'function f((uint256 a, bytes b) t)',
    ]) {
      expect(codeOf(call({ function: signature, constraints: [{ index: 0 }] }))).toBe(
        'CONSTRAINT_ON_DYNAMIC_ARGUMENT',
      );
    }
  });

  it('refuses refValues longer than their argument type', () => {
    expect(
      codeOf(call({ function: 'function f(bytes2 b)', constraints: [{ index: 0, refValue: '0xabcdef' }] })),
    ).toBe('CONSTRAINT_REF_VALUE_TOO_LONG');
    expect(
      codeOf(call({ function: 'function f(uint8 n)', constraints: [{ index: 0, refValue: 256n }] })),
    ).toBe('VALUE_OUT_OF_RANGE');
    expect(codeOf(call({ constraints: [{ index: 0, refValue: '0x1234' }] }))).toBe(
      'CONSTRAINT_REF_VALUE_INVALID',
    );
  });

  it('refuses malformed ABI objects and address refValues with a bad checksum', () => {
    expect(codeOf(call({ function: { type: 'function', name: 'f', inputs: [null] } as never }))).toBe(
      'FUNCTION_SIGNATURE_INVALID',
    );
    expect(codeOf(call({ function: 'function f(uint256 x) view returns (uint256)', constraints: [] }))).toBe(
      'no error',
    );
    const badChecksum = '0xaB11111111111111111111111111111111111111';
    expect(codeOf(call({ constraints: [{ index: 0, refValue: badChecksum }] }))).toBe(
      'CONSTRAINT_REF_VALUE_INVALID',
    );
    expect(
      codeOf(call({ constraints: [{ index: 0, refValue: badChecksum.toLowerCase() as `0x${string}` }] })),
    ).toBe('no error');
  });

  it('refuses negative indices, uint256 overflow and a checksum typo', () => {
    expect(codeOf(call({ constraints: [{ index: -1, refValue: 1n }] }))).toBe('CONSTRAINT_INDEX_INVALID');
    expect(codeOf(call({ constraints: [{ index: 1.5, refValue: 1n }] }))).toBe('CONSTRAINT_INDEX_INVALID');
    expect(codeOf(base({ feeLimit: 2n ** 256n }))).toBe('VALUE_OUT_OF_RANGE');
    expect(
      codeOf(base({ signer: '0x3333333333333333333333333333333333333333'.replace('33', 'aB') as never })),
    ).toBe('SIGNER_INVALID');
  });

  it('checks expiry against now plus the minimum lifetime', () => {
    expect(codeOf(base({ expiresAt: NOW + 60n }))).toBe('SESSION_EXPIRES_TOO_SOON');
    expect(codeOf(base({ expiresAt: NOW + 61n }))).toBe('no error');
    expect(codeOf(base({ expiresAt: NOW + 61n }), { minLifetimeSeconds: 3600n })).toBe(
      'SESSION_EXPIRES_TOO_SOON',
    );
    expect(codeOf(base({ expiresAt: new Date(Number.NaN) }))).toBe('EXPIRES_AT_INVALID');
    expect(codeOf(base({ expiresAt: 1.5 }))).toBe('EXPIRES_AT_INVALID');
  });

  it('reports the path of the offending field', () => {
    try {
      normalizeSession(call({ constraints: [{ index: 0 }, { index: 1, condition: 'Less' }] }), { now: NOW });
      expect.unreachable();
    } catch (error) {
      expect((error as SessionPolicyError).details.path).toBe('contractCalls[0].constraints[1]');
    }
  });
});
