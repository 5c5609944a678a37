import type { ProverConfig } from './config.ts';
import { ProverError } from './errors.ts';
import type { ProverMetrics } from './metrics.ts';
import { ProofRateLimiter } from './rate-limit.ts';

/**
 * The prover's two rate limits: proofs per subject (issuer + `sub`) and per client address, each
 * `ProofRateLimiter` over `config.rateWindowSeconds`.
 *
 * @example
 * ```ts
 * const limits = new ProofLimits(config, metrics);
 * limits.check(subject, address); // 429 RATE_LIMITED, charges nothing
 * limits.take(subject, address);  // charges both, once the job is sure to be queued
 * ```
 */
export class ProofLimits {
  readonly #config: ProverConfig;
  readonly #metrics: ProverMetrics;
  readonly #limiters: Readonly<Record<'subject' | 'address', ProofRateLimiter>>;

  constructor(config: ProverConfig, metrics: ProverMetrics, nowMs?: () => number) {
    this.#config = config;
    this.#metrics = metrics;
    const limiter = (perWindow: number) =>
      new ProofRateLimiter({
        perWindow,
        windowSeconds: config.rateWindowSeconds,
        ...(nowMs ? { now: nowMs } : {}),
      });
    this.#limiters = { subject: limiter(config.ratePerSubject), address: limiter(config.ratePerAddress) };
  }

  /**
   * 429 RATE_LIMITED when the subject or the address has had its proofs for the window. Both are checked
   * before either is charged ({@link take}), so a refused request costs nothing.
   */
  check(subject: string, address: string): void {
    for (const [limit, key] of [
      ['subject', subject],
      ['address', address],
    ] as const) {
      const retryAfterSeconds = this.#limiters[limit].wait(key);
      if (retryAfterSeconds > 0) {
        this.#metrics.rateLimited.inc({ limit });
        throw new ProverError(
          'RATE_LIMITED',
          limit === 'subject' ? 'too many proofs for this account' : 'too many proofs from this address',
          {
            // Never the subject or the address: the limit and its numbers only.
            details: {
              limit,
              perWindow: limit === 'subject' ? this.#config.ratePerSubject : this.#config.ratePerAddress,
              windowSeconds: this.#config.rateWindowSeconds,
            },
            retryAfterSeconds,
          },
        );
      }
    }
  }

  /** Charges one proof to the subject and the address. */
  take(subject: string, address: string): void {
    this.#limiters.subject.take(subject);
    this.#limiters.address.take(address);
  }
}
