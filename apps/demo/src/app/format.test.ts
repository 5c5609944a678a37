import { parseEther } from 'viem';
import { describe, expect, it } from 'vitest';
import { describeLimit, formatEth, formatPeriod, shortAddress } from './format.ts';

const SHOP = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';

describe('format', () => {
  it('shortens addresses and shows wei as ETH', () => {
    expect(shortAddress(SHOP)).toBe('0x3C44…93BC');
    expect(formatEth(parseEther('1.5'))).toBe('1.5 ETH');
    expect(formatEth(0n)).toBe('0 ETH');
    expect(formatEth(parseEther('0.0012345678'))).toBe('0.001234 ETH');
    expect(formatEth(1n)).toBe('< 0.000001 ETH');
  });

  it('names periods', () => {
    expect(formatPeriod(86_400)).toBe('day');
    expect(formatPeriod(7200)).toBe('2 hours');
    expect(formatPeriod(90)).toBe('90 seconds');
  });

  it('describes each kind of session limit with what is used and left', () => {
    expect(
      describeLimit({
        policy: 'transfer',
        target: SHOP,
        kind: 'lifetime',
        limit: parseEther('0.003'),
        used: parseEther('0.001'),
        remaining: parseEther('0.002'),
      }),
    ).toBe('Payments to 0x3C44…93BC: 0.001 ETH of 0.003 ETH in all used, 0.002 ETH left');
    expect(
      describeLimit({
        policy: 'fee',
        kind: 'allowance',
        limit: parseEther('0.01'),
        used: 0n,
        remaining: parseEther('0.01'),
        period: 86_400,
      }),
    ).toBe('Fees: 0 ETH of 0.01 ETH per day used, 0.01 ETH left');
    expect(
      describeLimit({ policy: 'call', target: SHOP, kind: 'unlimited', limit: 0n, used: 0n, remaining: 0n }),
    ).toBe('Calls to 0x3C44…93BC: no limit');
  });
});
