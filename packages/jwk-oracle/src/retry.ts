/**
 * Options of {@link retryWithBackoff}.
 *
 * @example
 * ```ts
 * const options: RetryOptions = { attempts: 4, baseDelayMs: 200, maxDelayMs: 5_000 };
 * ```
 */
export interface RetryOptions {
  /** Total attempts, the first included (default 5). */
  attempts?: number;
  /** Delay ceiling of the first retry in ms; doubles each retry (default 500). */
  baseDelayMs?: number;
  /** Largest delay in ms (default 30 000). */
  maxDelayMs?: number;
  /** Returns false for errors that retrying cannot fix (default: every error is retried). */
  retryable?: (error: unknown) => boolean;
  /** Called before each wait, for logging. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Aborts the waits (the oracle's stop()). */
  signal?: AbortSignal;
  /** Random source in [0, 1) (tests pass a fixed one). */
  random?: () => number;
}

/**
 * Runs `task` until it succeeds, waiting an exponentially growing, fully jittered delay between attempts
 * (`random() · min(max, base · 2^attempt)`), so many oracles restarting together do not hit a provider or an
 * RPC node in lock step. Rethrows the last error.
 *
 * @example
 * ```ts
 * const jwks = await retryWithBackoff(() => fetchJson(url), { attempts: 4, baseDelayMs: 200 });
 * ```
 */
export async function retryWithBackoff<T>(
  task: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 5);
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 30_000;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await task(attempt);
    } catch (error) {
      if (attempt >= attempts || options.signal?.aborted || !(options.retryable?.(error) ?? true))
        throw error;
      const delayMs = Math.floor(random() * Math.min(max, base * 2 ** (attempt - 1)));
      options.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs, options.signal);
    }
  }
}

/**
 * Resolves after `ms`, or early when `signal` aborts.
 *
 * @example
 * ```ts
 * await sleep(1_000, controller.signal);
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
