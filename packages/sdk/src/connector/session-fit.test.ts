import { normalizeSession } from '@zksso/core';
import { type Address, encodeFunctionData, erc20Abi, parseEther } from 'viem';
import { describe, expect, it } from 'vitest';
import { createSdkSessionExecutor, isSessionRefusal } from './session-executor.ts';
import { sessionFit } from './session-fit.ts';

const SHOP: Address = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const TOKEN: Address = '0x2222222222222222222222222222222222222222';
const FRIEND: Address = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const NOW = 1_800_000_000n;

const spec = normalizeSession(
  {
    signer: '0x3333333333333333333333333333333333333333',
    expiresAt: NOW + 3600n,
    feeLimit: parseEther('0.01'),
    transfers: [{ target: SHOP, maxValuePerUse: parseEther('0.01'), valueLimit: parseEther('0.015') }],
    contractCalls: [
      {
        target: TOKEN,
        function: 'function transfer(address to, uint256 amount)',
        constraints: [
          { index: 0, condition: 'Equal', refValue: FRIEND },
          { index: 1, condition: 'LessEqual', refValue: 100n, limit: { limit: 150n, period: '1 day' } },
        ],
      },
    ],
  },
  { now: NOW },
);
const transfer = (to: Address, amount: bigint) =>
  ({
    to: TOKEN,
    data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [to, amount] }),
  }) as const;

describe('sessionFit', () => {
  it('accepts calls inside the policy', () => {
    expect(sessionFit(spec, [{ to: SHOP, value: parseEther('0.01') }], NOW)).toEqual({ ok: true });
    expect(sessionFit(spec, [transfer(FRIEND, 100n)], NOW)).toEqual({ ok: true });
  });

  it.each([
    ['an expired session', [{ to: SHOP, value: 1n }], NOW + 3600n, 'expired'],
    ['a transfer to another target', [{ to: FRIEND, value: 1n }], NOW, 'no-transfer-policy'],
    ['a value over maxValuePerUse', [{ to: SHOP, value: parseEther('0.011') }], NOW, 'value-per-use'],
    [
      'a batch over the lifetime value limit',
      [
        { to: SHOP, value: parseEther('0.01') },
        { to: SHOP, value: parseEther('0.01') },
      ],
      NOW,
      'value-limit',
    ],
    ['another selector', [{ to: TOKEN, data: '0x095ea7b3' as const }], NOW, 'no-call-policy'],
    ['an argument failing its condition', [transfer(SHOP, 1n)], NOW, 'constraint'],
    ['an argument over its per-use bound', [transfer(FRIEND, 101n)], NOW, 'constraint'],
    [
      'a batch over the argument limit',
      [transfer(FRIEND, 100n), transfer(FRIEND, 100n)],
      NOW,
      'constraint-limit',
    ],
    ['value on a call policy without value', [{ ...transfer(FRIEND, 1n), value: 1n }], NOW, 'value-per-use'],
  ] as const)('refuses %s', (_what, calls, now, reason) => {
    expect(sessionFit(spec, calls, now)).toMatchObject({ ok: false, reason });
  });
});

describe('createSdkSessionExecutor', () => {
  const network = { chainId: 31337 } as Parameters<typeof createSdkSessionExecutor>[0]['networks'][number];
  const session = { chainId: 31337 } as Parameters<
    ReturnType<typeof createSdkSessionExecutor>['execute']
  >[0]['session'];

  it('can execute only on a configured chain matching the session, without a paymaster', () => {
    const executor = createSdkSessionExecutor({ networks: [network], sendSessionCalls: async () => never() });
    expect(executor.canExecute({ session, chainId: 31337, calls: [] })).toBe(true);
    expect(executor.canExecute({ session, chainId: 1, calls: [] })).toBe(false);
    expect(
      executor.canExecute({
        session,
        chainId: 31337,
        calls: [],
        capabilities: { paymasterService: { url: 'x' } },
      }),
    ).toBe(false);
  });

  it('passes network, session and calls to sendSessionCalls and returns its outcome', async () => {
    const seen: unknown[] = [];
    const outcome = {
      userOpHash: `0x${'01'.repeat(32)}`,
      transactionHash: `0x${'02'.repeat(32)}`,
      success: true,
    } as const;
    const executor = createSdkSessionExecutor({
      networks: [network],
      sendSessionCalls: async (p) => {
        seen.push(p);
        return outcome;
      },
    });
    const calls = [{ to: SHOP, value: 5n }];
    expect(await executor.execute({ session, chainId: 31337, calls })).toEqual(outcome);
    expect(seen).toEqual([{ network, session, calls }]);
  });

  it('recognises the SDK refusal codes only', () => {
    expect(isSessionRefusal({ code: 'SESSION_LIMIT_EXCEEDED' })).toBe(true);
    expect(isSessionRefusal({ code: 'SESSION_NOT_ACTIVE' })).toBe(true);
    expect(isSessionRefusal({ code: 'SERVICE_ERROR' })).toBe(false);
    expect(isSessionRefusal(new Error('x'))).toBe(false);
    expect(isSessionRefusal(null)).toBe(false);
  });
});

function never(): never {
  throw new Error('not called');
}
