import { describe, expect, it } from 'vitest';
import { TokenBucketLimiter } from './rate-limit.ts';

describe('TokenBucketLimiter', () => {
  it('allows a burst, then refills at the rate, per key', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter({ perMinute: 60, burst: 3, now: () => now });
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(1); // one token per second: back in 1 s
    expect(limiter.take('b')).toBe(0); // other keys are independent
    now += 1000;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
  });

  it('answers how long until a token is back, rounded up to whole seconds', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter({ perMinute: 6, burst: 1, now: () => now });
    expect(limiter.take('x')).toBe(0);
    expect(limiter.take('x')).toBe(10);
    now += 4_500;
    expect(limiter.take('x')).toBe(6);
  });

  it('keeps at most maxKeys buckets', () => {
    const limiter = new TokenBucketLimiter({ perMinute: 1, burst: 1, maxKeys: 100, now: () => 0 });
    for (let i = 0; i < 1_000; i++) limiter.take(`k${i}`);
    expect(limiter.size).toBe(100);
  });
});
