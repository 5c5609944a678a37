import { describe, expect, it } from 'vitest';
import { retryWithBackoff } from './retry.ts';

describe('retryWithBackoff', () => {
  it('retries until success with exponentially growing, jittered delays', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await retryWithBackoff(
      async () => {
        calls++;
        if (calls < 4) throw new Error(`fail ${calls}`);
        return 'ok';
      },
      {
        attempts: 5,
        baseDelayMs: 4,
        maxDelayMs: 10,
        random: () => 0.5,
        onRetry: (_e, _a, d) => delays.push(d),
      },
    );
    expect(result).toBe('ok');
    expect(delays).toEqual([2, 4, 5]); // 0.5 × min(10, 4·2^i)
  });

  it('rethrows the last error after the last attempt, and at once for non-retryable errors', async () => {
    let calls = 0;
    await expect(
      retryWithBackoff(
        async () => {
          calls++;
          throw new Error(`fail ${calls}`);
        },
        { attempts: 3, baseDelayMs: 1 },
      ),
    ).rejects.toThrow('fail 3');
    calls = 0;
    await expect(
      retryWithBackoff(
        async () => {
          calls++;
          throw new Error('permanent');
        },
        { attempts: 3, baseDelayMs: 1, retryable: () => false },
      ),
    ).rejects.toThrow('permanent');
    expect(calls).toBe(1);
  });
});
