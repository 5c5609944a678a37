import { describe, expect, it } from 'vitest';
import { formatEth, formatLimitAmount, formatTokenAmount } from './units.ts';

describe('amounts for people', () => {
  it('shows wei as ETH, exactly', () => {
    expect(formatEth(10n ** 16n)).toBe('0.01 ETH');
    expect(formatEth(0n)).toBe('0 ETH');
    expect(formatEth(500_000_000_000_000n)).toBe('0.0005 ETH');
    expect(formatEth(1n)).toBe('0.000000000000000001 ETH');
  });

  it("shows a token amount in the token's units when known, else says the units are raw", () => {
    expect(formatTokenAmount(1_500_000n, { symbol: 'USDC', decimals: 6 })).toBe('1.5 USDC');
    expect(formatTokenAmount(1_500_000n)).toBe('1500000 (raw units)');
  });

  it('shows fee, transfer and call limits in ETH and constraint limits in token or raw units', () => {
    expect(formatLimitAmount('fee', 10n ** 17n)).toBe('0.1 ETH');
    expect(formatLimitAmount('transfer', 10n ** 15n)).toBe('0.001 ETH');
    expect(formatLimitAmount('call', 10n ** 18n)).toBe('1 ETH');
    expect(formatLimitAmount('constraint', 1000n)).toBe('1000 (raw units)');
    expect(formatLimitAmount('constraint', 1000n, { symbol: 'TOK', decimals: 2 })).toBe('10 TOK');
  });
});
