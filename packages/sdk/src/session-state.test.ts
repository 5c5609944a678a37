import { normalizeSession } from '@zksso/core';
import { describe, expect, it } from 'vitest';
import { type ContractLimitState, type ContractSessionState, toSessionState } from './session-state.ts';

const shop = '0x4444444444444444444444444444444444444444';
const token = '0x5555555555555555555555555555555555555555';
const spec = normalizeSession(
  {
    signer: '0x3333333333333333333333333333333333333333',
    expiresAt: 2_000_000_000n,
    feeLimit: { limit: 1000n },
    transfers: [{ target: shop, valueLimit: { limit: 1000n, period: 60 } }],
    contractCalls: [
      {
        target: token,
        function: 'function transfer(address to, uint256 amount)',
        constraints: [{ index: 1, condition: 'LessEqual', refValue: 100n }],
      },
    ],
  },
  { now: 1_900_000_000n },
);

const entry = (over: Partial<ContractLimitState>): ContractLimitState => ({
  kind: 0,
  policyIndex: 0n,
  constraintIndex: 0n,
  target: '0x0000000000000000000000000000000000000000',
  selector: '0x00000000',
  limitType: 1,
  limit: 1000n,
  used: 0n,
  remaining: 1000n,
  periodStart: 0,
  resetsAt: 0,
  ...over,
});

const raw = (status: number): ContractSessionState => ({
  status,
  expiresAt: 2_000_000_000,
  fee: entry({ used: 10n, remaining: 990n }),
  transferValue: [
    entry({
      kind: 1,
      target: shop,
      limitType: 2,
      used: 600n,
      remaining: 400n,
      periodStart: 1_900_000_020,
      resetsAt: 1_900_000_080,
    }),
  ],
  callValue: [entry({ kind: 2, target: token, selector: '0xa9059cbb', limit: 0n, remaining: 0n })],
  constraints: [
    entry({
      kind: 3,
      target: token,
      selector: '0xa9059cbb',
      limitType: 0,
      limit: 0n,
      remaining: 2n ** 256n - 1n,
    }),
  ],
});

describe('toSessionState', () => {
  it('lists every limit with its policy, kind and usage; period and resetsAt only for allowances', () => {
    const state = toSessionState(raw(1), spec, 1_900_000_050);
    expect(state.status).toBe('active');
    expect(state.expiresAt).toBe(2_000_000_000);
    expect(state.limits).toEqual([
      { policy: 'fee', kind: 'lifetime', limit: 1000n, used: 10n, remaining: 990n },
      {
        policy: 'transfer',
        target: shop,
        policyIndex: 0,
        kind: 'allowance',
        limit: 1000n,
        used: 600n,
        remaining: 400n,
        period: 60,
        resetsAt: 1_900_000_080,
      },
      {
        policy: 'call',
        target: token,
        policyIndex: 0,
        selector: '0xa9059cbb',
        kind: 'lifetime',
        limit: 0n,
        used: 0n,
        remaining: 0n,
      },
      {
        policy: 'constraint',
        target: token,
        policyIndex: 0,
        selector: '0xa9059cbb',
        constraintIndex: 0,
        argumentIndex: 1,
        kind: 'unlimited',
        limit: 0n,
        used: 0n,
        remaining: 2n ** 256n - 1n,
      },
    ]);
  });

  it('names the status: closed is revoked, never created is not-found, past expiresAt is expired', () => {
    expect(toSessionState(raw(2), spec, 1_900_000_050).status).toBe('revoked');
    expect(toSessionState(raw(0), spec, 1_900_000_050).status).toBe('not-found');
    expect(toSessionState(raw(1), spec, 2_000_000_001).status).toBe('expired');
  });
});
