import { describe, expect, it } from 'vitest';
import { SessionPolicyError } from './errors.ts';
import { parsePeriod } from './period.ts';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof SessionPolicyError) return error.code;
    throw error;
  }
  return 'no error';
};

describe('parsePeriod', () => {
  it.each([
    ['1 hour', 3600n],
    ['2 hours', 7200n],
    ['2 hour', 7200n],
    ['1 day', 86_400n],
    ['1 week', 604_800n],
    ['30 minutes', 1800n],
    ['45s', 45n],
    ['10 MIN', 600n],
    ['  3   d ', 259_200n],
    ['1w', 604_800n],
  ])('reads %j as %s seconds', (words, seconds) => {
    expect(parsePeriod(words)).toBe(seconds);
  });

  it('takes bigint and integer seconds as they are', () => {
    expect(parsePeriod(90n)).toBe(90n);
    expect(parsePeriod(90)).toBe(90n);
    expect(parsePeriod(2n ** 48n - 1n)).toBe(2n ** 48n - 1n);
  });

  it.each([['0 hours'], ['1.5 hours'], ['-1 day'], ['hour'], ['12'], ['']])(
    'refuses %j as PERIOD_INVALID',
    (words) => {
      expect(code(() => parsePeriod(words))).toBe('PERIOD_INVALID');
    },
  );

  it.each([['1 month'], ['1 year'], ['100 ms'], ['2 fortnights']])('refuses the unit of %j', (words) => {
    expect(code(() => parsePeriod(words))).toBe('PERIOD_UNKNOWN_UNIT');
  });

  it('refuses zero, negative, fractional and too large numbers', () => {
    expect(code(() => parsePeriod(0n))).toBe('PERIOD_INVALID');
    expect(code(() => parsePeriod(0))).toBe('PERIOD_INVALID');
    expect(code(() => parsePeriod(-5n))).toBe('PERIOD_INVALID');
    expect(code(() => parsePeriod(1.5))).toBe('PERIOD_INVALID');
    expect(code(() => parsePeriod(Number.NaN))).toBe('PERIOD_INVALID');
    expect(code(() => parsePeriod(2n ** 48n))).toBe('PERIOD_INVALID');
    expect(code(() => parsePeriod('99999999999 weeks'))).toBe('PERIOD_INVALID');
  });

  it('names the field in the error', () => {
    try {
      parsePeriod('1 fortnight', 'feeLimit.period');
      expect.unreachable();
    } catch (error) {
      expect((error as SessionPolicyError).details.path).toBe('feeLimit.period');
      expect((error as SessionPolicyError).details.unit).toBe('fortnight');
    }
  });
});
