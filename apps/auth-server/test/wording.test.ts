import { LimitType, MAX_UINT256, normalizeSession } from '@zksso/core';
import { parseEther } from 'viem';
import { describe, expect, it } from 'vitest';
import { describeFailure } from '../src/app/failure.ts';
import { IdpError } from '../src/app/openid.ts';
import {
  describeCall,
  describeSession,
  describeTxCall,
  ethRounded,
  limitWords,
  periodWords,
  shortAddress,
  untilWords,
  usageWords,
} from '../src/app/wording.ts';

const SHOP = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const TOKEN = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const SIGNER = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const NOW = new Date('2026-12-04T10:00:00Z');
const at = (iso: string) => BigInt(Date.parse(iso) / 1000);

describe('session limits in plain words', () => {
  it('reads a transfer policy as the issue writes it', () => {
    const spec = normalizeSession(
      {
        signer: SIGNER,
        expiresAt: at('2026-12-04T18:00:00Z'),
        feeLimit: parseEther('0.01'),
        transfers: [
          {
            target: SHOP,
            maxValuePerUse: parseEther('0.01'),
            valueLimit: { limit: parseEther('0.05'), period: '1 day' },
          },
        ],
      },
      { now: NOW } as never,
      { now: NOW } as never,
    );
    const lines = describeSession(spec, { now: NOW, timeZone: 'UTC' });
    expect(lines.map((l) => l.text)).toEqual([
      'Send ETH: at most 0.01 ETH per transfer to 0x3C44…93BC, 0.05 ETH per day',
      'Network fees: at most 0.01 ETH in all',
      'Valid until 18:00',
    ]);
    expect(lines.some((l) => l.warning)).toBe(false);
  });

  it('warns about unlimited transfers and an unlimited fee', () => {
    const spec = normalizeSession(
      {
        signer: SIGNER,
        expiresAt: at('2026-12-05T09:30:00Z'),
        feeLimit: parseEther('0.01'),
        transfers: [{ target: SHOP, maxValuePerUse: MAX_UINT256, valueLimit: { limitType: 'unlimited' } }],
      },
      { now: NOW } as never,
    );
    // @zksso/core refuses an unlimited fee limit; the screen still says so should a spec carry one.
    const unlimitedFee = { ...spec, feeLimit: { limitType: LimitType.Unlimited, limit: 0n, period: 0n } };
    const lines = describeSession(unlimitedFee, { now: NOW, timeZone: 'UTC' });
    expect(lines[0]).toMatchObject({
      text: 'Send ETH: any amount per transfer to 0x3C44…93BC',
      warning: 'No limit: the dapp can send all your ETH to 0x3C44…93BC',
    });
    expect(lines[1]).toMatchObject({
      text: 'Network fees: no limit',
      warning: expect.stringContaining('No fee limit'),
    });
    expect(lines[2]?.text).toBe('Valid until 5 Dec, 09:30');
  });

  it('warns about approve-like calls and unconstrained token amounts', () => {
    const spec = normalizeSession(
      {
        signer: SIGNER,
        expiresAt: at('2026-12-04T18:00:00Z'),
        feeLimit: parseEther('0.01'),
        contractCalls: [{ target: TOKEN, function: 'function approve(address spender, uint256 amount)' }],
      },
      { now: NOW } as never,
    );
    const line = describeCall(spec.callPolicies[0] as never);
    expect(line.text).toBe('Call approve on 0x5FbD…0aa3');
    expect(line.warning).toContain('approve lets someone else spend your tokens');
    expect(line.warning).toContain('No limit on the token amount');
  });

  it('reads constraints: a fixed recipient and a token allowance', () => {
    const spec = normalizeSession(
      {
        signer: SIGNER,
        expiresAt: at('2026-12-04T18:00:00Z'),
        feeLimit: parseEther('0.01'),
        contractCalls: [
          {
            target: TOKEN,
            function: 'function transfer(address to, uint256 amount)',
            constraints: [
              { index: 0, condition: 'Equal', refValue: SHOP },
              { index: 1, limit: { limit: 1000n, period: '1 hour' } },
            ],
          },
        ],
      },
      { now: NOW } as never,
    );
    const line = describeCall(spec.callPolicies[0] as never);
    expect(line.text).toBe(
      'Call transfer on 0x5FbD…0aa3, argument 1 must equal 0x3C44…93BC, argument 2 adds up to 1000 (raw units) per hour',
    );
    expect(line.warning).toBeUndefined();
  });

  it('names periods and limits', () => {
    expect(periodWords(86_400n)).toBe('day');
    expect(periodWords(7_200n)).toBe('2 hours');
    expect(periodWords(90n)).toBe('90 seconds');
    expect(periodWords(1_209_600n)).toBe('2 weeks');
    expect(limitWords({ limitType: LimitType.Lifetime, limit: 5n, period: 0n }, String)).toBe('5 in all');
    expect(limitWords({ limitType: LimitType.Unlimited, limit: 0n, period: 0n }, String)).toBeUndefined();
    expect(untilWords(at('2027-01-02T08:05:00Z'), NOW, 'UTC')).toBe('until 2 Jan 2027, 08:05');
  });
});

describe('transactions in plain words', () => {
  it('a transfer, a token transfer, an unlimited approve', () => {
    expect(describeTxCall({ to: SHOP, value: parseEther('0.01') })).toEqual({
      text: 'Send 0.01 ETH to 0x3C44…93BC',
    });
    const to = SHOP.slice(2).toLowerCase().padStart(64, '0');
    expect(
      describeTxCall({ to: TOKEN, data: `0xa9059cbb${to}${25n.toString(16).padStart(64, '0')}` }),
    ).toEqual({
      text: 'Transfer 25 (raw units) of token 0x5FbD…0aa3 to 0x3C44…93BC',
    });
    const approve = describeTxCall({ to: TOKEN, data: `0x095ea7b3${to}${'f'.repeat(64)}` });
    expect(approve.text).toBe('Allow 0x3C44…93BC to spend an unlimited amount of token 0x5FbD…0aa3');
    expect(approve.warning).toContain('lets someone else spend your tokens');
    expect(describeTxCall({ to: TOKEN, value: 1n, data: '0x12345678' }).text).toBe(
      'Call function 0x12345678 on 0x5FbD…0aa3, sending 0.000000000000000001 ETH',
    );
  });

  it('rounds estimates and balances', () => {
    expect(ethRounded(140_818_179_820_718_910n)).toBe('0.1408 ETH');
    expect(ethRounded(988_628_815_914_655_200n, 6)).toBe('0.988629 ETH');
    expect(ethRounded(12_345_000_000_000_000_000n)).toBe('12.35 ETH');
    expect(ethRounded(0n)).toBe('0 ETH');
    expect(shortAddress(SHOP.toLowerCase())).toBe('0x3C44…93BC');
  });

  it('session usage', () => {
    expect(
      usageWords(
        {
          policy: 'transfer',
          target: SHOP,
          kind: 'allowance',
          limit: parseEther('0.05'),
          used: parseEther('0.02'),
          remaining: parseEther('0.03'),
          period: 86_400,
          resetsAt: Date.parse('2026-12-05T00:00:00Z') / 1000,
        },
        { timeZone: 'UTC' },
      ),
    ).toBe('Send ETH to 0x3C44…93BC: 0.02 ETH used of 0.05 ETH per day, 0.03 ETH left (resets at 00:00)');
    expect(
      usageWords({
        policy: 'constraint',
        target: TOKEN,
        kind: 'lifetime',
        limit: 5_000_000n,
        used: 1_500_000n,
        remaining: 3_500_000n,
        unit: { symbol: 'USDC', decimals: 6 },
      }),
    ).toBe('Token amount on 0x5FbD…0aa3: 1.5 USDC used of 5 USDC in all, 3.5 USDC left');
  });
});

describe('fee usage is rounded, the limit exact', () => {
  it('reads a fee limit with long fractions', () => {
    expect(
      usageWords({
        policy: 'fee',
        kind: 'lifetime',
        limit: parseEther('0.05'),
        used: 850_111_720_600_000n,
        remaining: parseEther('0.05') - 850_111_720_600_000n,
      }),
    ).toBe('Network fees: 0.0008501 ETH used of 0.05 ETH in all, 0.04915 ETH left');
  });
});

describe('failure screens', () => {
  it('popup blocked, provider error, prover busy, salt refusal, bundler refusal', () => {
    expect(describeFailure(new IdpError('POPUP_BLOCKED', 'x'))).toMatchObject({
      code: 'POPUP_BLOCKED',
      retry: true,
    });
    expect(
      describeFailure(new IdpError('IDP_ERROR', 'Dev refused the sign-in: denied', 'access_denied')),
    ).toMatchObject({
      code: 'IDP_access_denied',
      message: 'Dev refused the sign-in: denied',
    });
    expect(
      describeFailure({ code: 'SERVICE_ERROR', message: 'x', details: { service: 'prover', status: 503 } }),
    ).toMatchObject({
      title: 'The prover is busy',
      code: 'PROVER_BUSY',
      retry: true,
    });
    expect(
      describeFailure({ code: 'PROOF_REFUSED', message: 'x', details: { by: 'prover', code: 'QUEUE_FULL' } }),
    ).toMatchObject({
      code: 'PROVER_BUSY',
      retry: true,
    });
    expect(
      describeFailure({
        code: 'PROOF_REFUSED',
        message: 'refused',
        details: { by: 'prover', code: 'JWT_TOO_LONG' },
      }),
    ).toMatchObject({
      code: 'PROOF_REFUSED_JWT_TOO_LONG',
      retry: false,
    });
    expect(
      describeFailure({
        code: 'LOGIN_REFUSED',
        message: 'audience not accepted',
        details: { by: 'salt', code: 'AUD' },
      }),
    ).toMatchObject({
      title: 'The salt service refused this sign-in',
      code: 'LOGIN_REFUSED_AUD',
      retry: false,
    });
    expect(
      describeFailure(
        new Error("UserOperation reverted during simulation with reason: AA21 didn't pay prefund"),
      ),
    ).toMatchObject({
      title: 'The bundler refused the operation',
      code: 'BUNDLER_REFUSED',
    });
    const removed = '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc';
    const revoked = describeFailure({
      code: 'PASSKEY_NOT_FOUND',
      message: 'x',
      details: { credentialId: '0x01', reason: 'removed', removedFrom: removed },
    });
    expect(revoked).toMatchObject({ title: 'This passkey was removed from its account', retry: false });
    expect(revoked.message).toContain('0x9965…A4dc');
    expect(revoked.message).toContain('OpenID identity');
    expect(
      describeFailure({
        code: 'PASSKEY_NOT_FOUND',
        message: 'x',
        details: { credentialId: '0x01', reason: 'none' },
      }),
    ).toMatchObject({ title: 'No account for this passkey' });
    expect(describeFailure(Object.assign(new Error('cancelled'), { name: 'NotAllowedError' }))).toMatchObject(
      {
        code: 'NotAllowedError',
        title: 'The passkey prompt was cancelled',
      },
    );
  });
});
