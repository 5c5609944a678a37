import { describe, expect, it } from 'vitest';
import { describeLimit } from './commands/session-shared.ts';
import { formatDuration, formatEth, formatTokenAmount, parseDuration, parseValue } from './units.ts';

describe('parseValue', () => {
  it('reads a bare number as ETH and honours units', () => {
    expect(parseValue('0.01', '--value')).toBe(10n ** 16n);
    expect(parseValue('1', '--value')).toBe(10n ** 18n);
    expect(parseValue('.5eth', '--value')).toBe(5n * 10n ** 17n);
    expect(parseValue('0.01 ETH', '--value')).toBe(10n ** 16n);
    expect(parseValue('5gwei', '--value')).toBe(5_000_000_000n);
    expect(parseValue('1000 wei', '--value')).toBe(1000n);
    expect(parseValue('0', '--value')).toBe(0n);
  });

  it('refuses negatives, garbage, unknown units and sub-wei amounts, naming the option', () => {
    for (const bad of ['-1', 'abc', '1 btc', '0x10', '1.5wei', '', '1e18']) {
      expect(() => parseValue(bad, '--max-per-tx')).toThrow(/--max-per-tx/);
    }
    try {
      parseValue('1.5wei', '--value');
    } catch (error) {
      expect((error as { code: string }).code).toBe('USAGE');
    }
  });
});

describe('parseDuration', () => {
  it('reads seconds and unit words', () => {
    expect(parseDuration('90', '--expires-in')).toBe(90);
    expect(parseDuration('90s', '--expires-in')).toBe(90);
    expect(parseDuration('30m', '--expires-in')).toBe(1800);
    expect(parseDuration('1h', '--expires-in')).toBe(3600);
    expect(parseDuration('2 days', '--expires-in')).toBe(172_800);
  });

  it('refuses zero, fractions, signs and unknown units', () => {
    for (const bad of ['0', '0s', '1.5h', '-5', '3 months', 'soon', '']) {
      expect(() => parseDuration(bad, '--expires-in')).toThrow(/--expires-in/);
    }
  });
});

describe('formatting', () => {
  it('formats ETH exactly and durations in at most two units', () => {
    expect(formatEth(10n ** 16n)).toBe('0.01 ETH');
    expect(formatEth(1n)).toBe('0.000000000000000001 ETH');
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(5400)).toBe('1 h 30 min');
    expect(formatDuration(90_061)).toBe('1 d 1 h');
    expect(formatDuration(-3)).toBe('0 s');
  });

  it('formats token amounts in the token units when known, else says they are raw', () => {
    expect(formatTokenAmount(2_500_000n, { symbol: 'USDC', decimals: 6 })).toBe('2.5 USDC');
    expect(formatTokenAmount(2_500_000n)).toBe('2500000 (raw units)');
  });

  it('describes a constraint limit in token units, a transfer limit in ETH', () => {
    const now = 1_800_000_000;
    const constraint = {
      policy: 'constraint' as const,
      target: '0x1111111111111111111111111111111111111111' as const,
      selector: '0xa9059cbb' as const,
      argumentIndex: 1,
      kind: 'lifetime' as const,
      limit: 10_000_000n,
      used: 2_500_000n,
      remaining: 7_500_000n,
    };
    expect(describeLimit({ ...constraint, unit: { symbol: 'USDC', decimals: 6 } }, now)).toBe(
      'constraint 0x1111111111111111111111111111111111111111 0xa9059cbb arg 1: lifetime 10 USDC: used 2.5 USDC, remaining 7.5 USDC',
    );
    expect(describeLimit(constraint, now)).toContain('remaining 7500000 (raw units)');
    expect(
      describeLimit(
        { policy: 'transfer', kind: 'lifetime', limit: 10n ** 15n, used: 0n, remaining: 10n ** 15n },
        now,
      ),
    ).toBe('transfer: lifetime 0.001 ETH: used 0 ETH, remaining 0.001 ETH');
  });
});
