import { createHmac, randomBytes } from 'node:crypto';

type Bucket = { tokens: number; updatedAt: number };

/** Options of {@link ProofRateLimiter}. */
export interface ProofRateLimiterOptions {
  /** Proofs allowed per window (the bucket's size); 0 turns the limit off. */
  readonly perWindow: number;
  readonly windowSeconds: number;
  /** Keys remembered at most (memory bound under many clients); default 100,000. */
  readonly maxKeys?: number;
  /** Milliseconds now; default `Date.now`. */
  readonly now?: () => number;
}

/**
 * "At most `perWindow` proofs per `windowSeconds`" per key (a subject, a client address), as token buckets:
 * a full bucket holds `perWindow` proofs and refills at `perWindow / windowSeconds`, so a burst of a whole
 * window is allowed, then one proof per `windowSeconds / perWindow`. `wait` looks without taking, `take`
 * takes one, so several limits can be checked before any is charged.
 *
 * Keys are kept as a keyed hash (a random key per process), never in clear: the map of a running service
 * does not list who logged in. Full buckets are forgotten and the map is capped, so memory stays bounded.
 *
 * The salt service has its own token bucket (`@zksso/salt` `TokenBucketLimiter`, per minute with a burst);
 * importing it would pull the salt service's SQLite and Postgres stores into the prover, hence this one.
 *
 * @example
 * ```ts
 * const limiter = new ProofRateLimiter({ perWindow: 20, windowSeconds: 3600 });
 * const retryAfter = limiter.wait(`${iss}\n${sub}`); // 0: allowed now; else seconds to wait
 * if (retryAfter === 0) limiter.take(`${iss}\n${sub}`);
 * ```
 */
export class ProofRateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #hashKey = randomBytes(32);
  readonly #size: number;
  /** Milliseconds per token refilled (divided, not multiplied by a rate: whole windows stay exact). */
  readonly #msPerToken: number;
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor(options: ProofRateLimiterOptions) {
    this.#size = options.perWindow;
    this.#msPerToken = (options.windowSeconds * 1000) / options.perWindow;
    this.#maxKeys = options.maxKeys ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  /** Whether this limiter limits anything (`perWindow` > 0). */
  get enabled(): boolean {
    return this.#size > 0;
  }

  /** Keys remembered now (buckets not full). */
  get size(): number {
    return this.#buckets.size;
  }

  /** 0 when `key` may have a proof now, else the seconds (rounded up, at least 1) until it may. */
  wait(key: string): number {
    if (!this.enabled) return 0;
    const tokens = this.#tokens(this.#buckets.get(this.#hash(key)), this.#now());
    return tokens >= 1 ? 0 : Math.max(1, Math.ceil(((1 - tokens) * this.#msPerToken) / 1000));
  }

  /** Charges one proof to `key` (call after `wait` said 0). */
  take(key: string): void {
    if (!this.enabled) return;
    const now = this.#now();
    const hashed = this.#hash(key);
    const bucket = { tokens: this.#tokens(this.#buckets.get(hashed), now) - 1, updatedAt: now };
    this.#buckets.delete(hashed); // re-insert: the map's order is least recently used first
    this.#buckets.set(hashed, bucket);
    this.#prune(now);
  }

  #tokens(bucket: Bucket | undefined, now: number): number {
    if (!bucket) return this.#size;
    return Math.min(this.#size, bucket.tokens + (now - bucket.updatedAt) / this.#msPerToken);
  }

  #hash(key: string): string {
    return createHmac('sha256', this.#hashKey).update(key).digest('base64');
  }

  #prune(now: number): void {
    if (this.#buckets.size <= this.#maxKeys) return;
    // Refilled buckets hold no state: drop them first, then the least recently used.
    for (const [key, bucket] of this.#buckets) {
      if (this.#buckets.size <= this.#maxKeys) return;
      if (this.#tokens(bucket, now) >= this.#size) this.#buckets.delete(key);
    }
    for (const key of this.#buckets.keys()) {
      if (this.#buckets.size <= this.#maxKeys) return;
      this.#buckets.delete(key);
    }
  }
}
