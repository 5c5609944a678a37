import { describe, expect, it } from 'vitest';
import { ProofRateLimiter } from './rate-limit.ts';

describe('ProofRateLimiter', () => {
  it('allows a window’s worth at once, then one per window / perWindow; wait never charges', () => {
    let now = 0;
    const limiter = new ProofRateLimiter({ perWindow: 3, windowSeconds: 60, now: () => now });
    for (let i = 0; i < 3; i++) {
      expect(limiter.wait('a')).toBe(0);
      expect(limiter.wait('a')).toBe(0); // looking is free
      limiter.take('a');
    }
    expect(limiter.wait('a')).toBe(20);
    expect(limiter.wait('b')).toBe(0); // keys are independent
    now += 15_000;
    expect(limiter.wait('a')).toBe(5);
    now += 5_000;
    expect(limiter.wait('a')).toBe(0);
    limiter.take('a');
    expect(limiter.wait('a')).toBe(20);
    // A long pause refills to the window's allowance, no more.
    now += 3_600_000;
    for (let i = 0; i < 3; i++) limiter.take('a');
    expect(limiter.wait('a')).toBeGreaterThan(0);
  });

  it('limits nothing with perWindow 0, and keeps at most maxKeys keys', () => {
    const off = new ProofRateLimiter({ perWindow: 0, windowSeconds: 60 });
    for (let i = 0; i < 100; i++) off.take('a');
    expect(off.enabled).toBe(false);
    expect(off.wait('a')).toBe(0);
    expect(off.size).toBe(0);

    const bounded = new ProofRateLimiter({ perWindow: 1, windowSeconds: 60, maxKeys: 10, now: () => 0 });
    for (let i = 0; i < 50; i++) bounded.take(`k${i}`);
    expect(bounded.size).toBe(10);
    // The most recent keys are the ones kept.
    expect(bounded.wait('k49')).toBeGreaterThan(0);
    expect(bounded.wait('k0')).toBe(0);
  });
});
