type Bucket = { tokens: number; updatedAt: number };

/**
 * Token buckets keyed by a string (client IP, subject): `burst` tokens at most, refilled at `perMinute`.
 * Full buckets are forgotten, and the map is capped, so memory stays bounded under many keys.
 *
 * @example
 * ```ts
 * const limiter = new TokenBucketLimiter({ perMinute: 60, burst: 20 });
 * const wait = limiter.take('127.0.0.1'); // 0 when allowed, else seconds until a token is back
 * ```
 */
export class TokenBucketLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #perMs: number;
  readonly #burst: number;
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor(options: { perMinute: number; burst: number; maxKeys?: number; now?: () => number }) {
    this.#perMs = options.perMinute / 60_000;
    this.#burst = options.burst;
    this.#maxKeys = options.maxKeys ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  /** Takes one token for `key`: returns 0 if there was one, else the seconds (rounded up) until there is. */
  take(key: string): number {
    const now = this.#now();
    const bucket = this.#buckets.get(key) ?? { tokens: this.#burst, updatedAt: now };
    bucket.tokens = Math.min(this.#burst, bucket.tokens + (now - bucket.updatedAt) * this.#perMs);
    bucket.updatedAt = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.#remember(key, bucket, now);
      return 0;
    }
    this.#remember(key, bucket, now);
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.#perMs / 1000));
  }

  get size(): number {
    return this.#buckets.size;
  }

  #remember(key: string, bucket: Bucket, now: number): void {
    this.#buckets.delete(key);
    this.#buckets.set(key, bucket);
    if (this.#buckets.size <= this.#maxKeys) return;
    // Drop refilled buckets first (they hold no state), then the least recently used.
    for (const [k, b] of this.#buckets) {
      if (this.#buckets.size <= this.#maxKeys) break;
      if (b.tokens + (now - b.updatedAt) * this.#perMs >= this.#burst) this.#buckets.delete(k);
    }
    while (this.#buckets.size > this.#maxKeys) {
      const oldest = this.#buckets.keys().next().value as string;
      this.#buckets.delete(oldest);
    }
  }
}
