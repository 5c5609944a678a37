import { describe, expect, it } from 'vitest';
import { SessionPolicyError } from './errors.ts';
import { normalizeLimit } from './limit.ts';
import type { Limit } from './types.ts';

const code = (limit: unknown) => {
  try {
    normalizeLimit(limit as Limit);
  } catch (error) {
    if (error instanceof SessionPolicyError) return error.code;
    throw error;
  }
  return 'no error';
};

describe('normalizeLimit', () => {
  it('maps a bare bigint and { limit } to a lifetime limit', () => {
    expect(normalizeLimit(7n)).toEqual({ limitType: 1, limit: 7n, period: 0n });
    expect(normalizeLimit({ limit: 7n })).toEqual({ limitType: 1, limit: 7n, period: 0n });
  });

  it('maps { limit, period } to an allowance', () => {
    expect(normalizeLimit({ limit: 5n, period: '1 hour' })).toEqual({
      limitType: 2,
      limit: 5n,
      period: 3600n,
    });
    expect(normalizeLimit({ limit: 5n, period: 60 })).toEqual({ limitType: 2, limit: 5n, period: 60n });
  });

  it('maps the explicit word forms', () => {
    expect(normalizeLimit({ limitType: 'lifetime', limit: 3n })).toEqual({
      limitType: 1,
      limit: 3n,
      period: 0n,
    });
    expect(normalizeLimit({ limitType: 'unlimited' })).toEqual({ limitType: 0, limit: 0n, period: 0n });
    expect(normalizeLimit({ limitType: 'allowance', limit: 3n, period: '1 week' })).toEqual({
      limitType: 2,
      limit: 3n,
      period: 604_800n,
    });
  });

  it('accepts its own canonical output unchanged', () => {
    for (const canonical of [
      { limitType: 0, limit: 0n, period: 0n },
      { limitType: 1, limit: 9n, period: 0n },
      { limitType: 2, limit: 9n, period: 30n },
    ] as const) {
      expect(normalizeLimit(canonical)).toEqual(canonical);
    }
  });

  it('refuses a period on a lifetime or unlimited limit', () => {
    expect(code({ limitType: 'lifetime', limit: 1n, period: '1 day' })).toBe('LIMIT_PERIOD_NOT_ALLOWED');
    expect(code({ limitType: 1, limit: 1n, period: 5n })).toBe('LIMIT_PERIOD_NOT_ALLOWED');
    expect(code({ limitType: 'unlimited', period: '1 day' })).toBe('LIMIT_PERIOD_NOT_ALLOWED');
  });

  it('refuses an allowance without period', () => {
    expect(code({ limitType: 'allowance', limit: 1n })).toBe('LIMIT_ALLOWANCE_WITHOUT_PERIOD');
    expect(code({ limitType: 2, limit: 1n, period: 0n })).toBe('LIMIT_ALLOWANCE_WITHOUT_PERIOD');
  });

  it('refuses an unlimited limit that carries a value', () => {
    expect(code({ limitType: 'unlimited', limit: 5n })).toBe('LIMIT_UNLIMITED_WITH_VALUE');
  });

  it('refuses a zero period in the { limit, period } form instead of reading it as lifetime', () => {
    expect(code({ limit: 1n, period: 0n })).toBe('PERIOD_INVALID');
  });

  it('refuses negative, too large and non-bigint limits', () => {
    expect(code(-1n)).toBe('VALUE_OUT_OF_RANGE');
    expect(code(2n ** 256n)).toBe('VALUE_OUT_OF_RANGE');
    expect(code({ limit: 5 })).toBe('VALUE_OUT_OF_RANGE');
    expect(normalizeLimit(2n ** 256n - 1n).limit).toBe(2n ** 256n - 1n);
  });

  it('refuses unknown shapes and limit types', () => {
    expect(code(5)).toBe('LIMIT_INVALID');
    expect(code(null)).toBe('LIMIT_INVALID');
    expect(code({ limitType: 'daily', limit: 1n })).toBe('LIMIT_INVALID');
    expect(code({ limitType: 3, limit: 1n })).toBe('LIMIT_INVALID');
  });
});
