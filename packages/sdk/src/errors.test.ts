import { describe, expect, it } from 'vitest';
import {
  CallWouldRevertError,
  ChainChangedError,
  insufficientBalance,
  LoginRefusedError,
  SessionLimitExceededError,
} from './errors.ts';
import { assertSameGenesis } from './genesis.ts';
import { maxOperationFee } from './simulate.ts';

const GENESIS_A = `0x${'aa'.repeat(32)}` as const;
const GENESIS_B = `0x${'bb'.repeat(32)}` as const;

describe('what people read in refusals', () => {
  it('gives a session limit in ETH (raw wei stays in details)', () => {
    const error = new SessionLimitExceededError({
      policy: 'transfer',
      target: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
      limitKind: 'allowance',
      limit: 1_500_000_000_000_000n,
      requested: 1_000_000_000_000_000n,
      remaining: 500_000_000_000_000n,
      resetsAt: 1_800_000_060,
      callIndex: 0,
    });
    expect(error.message).toContain('allows 0.0005 ETH more, 0.001 ETH was asked');
    expect(error.message).toContain('resets at 2027-01-15T08:01:00.000Z');
    expect(error.details.remaining).toBe(500_000_000_000_000n);
  });

  it("gives a constraint limit in the token's units when known, else in raw units", () => {
    const base = {
      policy: 'constraint' as const,
      limitKind: 'lifetime' as const,
      limit: 10_000_000n,
      requested: 2_000_000n,
      remaining: 1_000_000n,
      callIndex: 0,
    };
    expect(new SessionLimitExceededError(base).message).toContain(
      'allows 1000000 (raw units) more, 2000000 (raw units) was asked',
    );
    expect(
      new SessionLimitExceededError({ ...base, unit: { symbol: 'USDC', decimals: 6 } }).message,
    ).toContain('allows 1 USDC more, 2 USDC was asked');
  });

  it('says what the account holds and what the calls send when the balance is short', () => {
    const error = insufficientBalance({
      balance: 980_000_000_000_000_000n,
      value: 5_000_000_000_000_000_000n,
      maxFee: 1_000_000_000_000_000n,
      callIndex: 0,
    });
    expect(error).toBeInstanceOf(CallWouldRevertError);
    expect(error.code).toBe('CALL_WOULD_REVERT');
    expect(error.message).toBe(
      'the account holds 0.98 ETH, the calls send 5 ETH (and the fees may cost up to 0.001 ETH) (nothing was sent)',
    );
    const feesOnly = insufficientBalance({ balance: 0n, value: 0n, maxFee: 10n ** 15n, callIndex: 0 });
    expect(feesOnly.message).toContain('the account holds 0 ETH, the fees may cost up to 0.001 ETH');
  });

  it('names the call and the reason of a revert', () => {
    const error = new CallWouldRevertError({
      kind: 'revert-string',
      reason: '"out of stock"',
      callIndex: 1,
      to: '0x1111111111111111111111111111111111111111',
    });
    expect(error.message).toBe(
      'call 1 to 0x1111111111111111111111111111111111111111 would revert: "out of stock" (nothing was sent)',
    );
  });

  it('counts every gas limit at the maximum fee per gas', () => {
    expect(
      maxOperationFee(
        { callGasLimit: 100_000n, verificationGasLimit: 250_000n, preVerificationGas: 150_000n },
        2n * 10n ** 9n,
      ),
    ).toBe(10n ** 15n);
  });

  it('tells a refused login from an outage, with who refused', () => {
    const error = new LoginRefusedError('idp', 400, 'invalid_client', 'unknown client', { user: 'mallory' });
    expect(error.code).toBe('LOGIN_REFUSED');
    expect(error.details).toEqual({ by: 'idp', status: 400, code: 'invalid_client', user: 'mallory' });
    expect(error.message).toContain('refused by the OpenID provider');
  });
});

describe('assertSameGenesis', () => {
  it('passes the same chain (any case) and records saved before genesis hashes were kept', () => {
    expect(() =>
      assertSameGenesis(GENESIS_A, GENESIS_A.toUpperCase().replace('0X', '0x') as never, 'login'),
    ).not.toThrow();
    expect(() => assertSameGenesis(undefined, GENESIS_B, 'session')).not.toThrow();
  });

  it('says plainly that the chain was reset since the login or session', () => {
    const error = (() => {
      try {
        assertSameGenesis(GENESIS_A, GENESIS_B, 'login');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ChainChangedError);
    expect((error as ChainChangedError).code).toBe('CHAIN_CHANGED');
    expect((error as ChainChangedError).details).toEqual({
      where: 'login',
      saved: GENESIS_A,
      current: GENESIS_B,
    });
    expect((error as ChainChangedError).message).toContain('the dev chain was reset since');
    expect((error as ChainChangedError).message).toContain('log in again');
  });
});
