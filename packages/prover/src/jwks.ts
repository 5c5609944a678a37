import {
  JwksCache as CoreJwksCache,
  JwksUnavailableError,
  JwtKidUnknownError,
  type RsaJwk,
  type UsableJwk,
} from '@zksso/core';
import type { AllowedIssuer } from './config.ts';
import { ProverError } from './errors.ts';

/** Options of {@link JwksCache}. */
export interface JwksCacheOptions {
  /** A key set older than this is refetched before use (ms); if that fetch fails, the old set is used. */
  readonly ttlMs: number;
  /** An unknown `kid` triggers a refetch at most once per this many ms per issuer (protects the issuer). */
  readonly minRefetchMs: number;
  /** Time limit of each discovery or JWKS request (ms). */
  readonly timeoutMs: number;
  /** Default: global fetch. */
  readonly fetch?: typeof fetch;
  /** Default: Date.now. */
  readonly now?: () => number;
}

/**
 * The allowed issuers' signing keys: `@zksso/core`'s `JwksCache` (fetched from the configured URI, else the
 * `jwks_uri` of the issuer's OpenID discovery document; filtered by core's rule, the JWK oracle's too;
 * rotation-aware) behind the prover's allow-list, its errors in the prover's codes and statuses.
 *
 * @example
 * ```ts
 * const jwks = new JwksCache([{ issuer: 'https://accounts.google.com' }], { ttlMs: 600_000, minRefetchMs: 30_000, timeoutMs: 5_000 });
 * const [jwk] = await jwks.keysFor('https://accounts.google.com', decoded.header.kid);
 * ```
 */
export class JwksCache {
  readonly #allowed: ReadonlySet<string>;
  readonly #cache: CoreJwksCache;

  constructor(issuers: readonly AllowedIssuer[], options: JwksCacheOptions) {
    this.#allowed = new Set(issuers.map((i) => i.issuer));
    const jwksUris = Object.fromEntries(
      issuers.flatMap((i) => (i.jwksUri === undefined ? [] : [[i.issuer, i.jwksUri]])),
    );
    this.#cache = new CoreJwksCache({
      fetch: options.fetch ?? fetch,
      ttlMs: options.ttlMs,
      minRefetchMs: options.minRefetchMs,
      timeoutMs: options.timeoutMs,
      jwksUris,
      ...(options.now ? { now: options.now } : {}),
    });
  }

  /** How many times the JWKS of `issuer` was fetched (for metrics and tests). */
  fetchCount(issuer: string): number {
    return this.#cache.fetchCount(issuer);
  }

  /**
   * The keys that may have signed a token of `issuer` with header `kid`: the key with that kid, or, for a
   * token without kid, every usable signing key of the issuer.
   *
   * @throws {ProverError} ISSUER_NOT_ALLOWED, JWKS_UNAVAILABLE (503 unreachable, 502 bad answer),
   *   JWT_KID_UNKNOWN (the issuer does not publish that key, even after a refetch).
   * @throws {UnsupportedJwkError} JWK_UNSUPPORTED when `kid` names an RS256 key zksso/v1 cannot prove
   *   (not 2048 bits, e ≠ 65537).
   */
  async keysFor(issuer: string, kid: string | undefined): Promise<RsaJwk[]> {
    return (await this.usableKeysFor(issuer, kid)).map((k) => k.jwk);
  }

  /** {@link keysFor} with each key's modulus and modulus hash (core's `UsableJwk`), computed once per fetch. */
  async usableKeysFor(issuer: string, kid: string | undefined): Promise<UsableJwk[]> {
    if (!this.#allowed.has(issuer)) {
      throw new ProverError('ISSUER_NOT_ALLOWED', 'the issuer is not on this prover’s allow-list', {
        details: { iss: issuer },
      });
    }
    try {
      return await this.#cache.keysFor(issuer, kid);
    } catch (error) {
      if (error instanceof JwksUnavailableError) throw unavailable(issuer, error);
      if (error instanceof JwtKidUnknownError) {
        throw new ProverError('JWT_KID_UNKNOWN', error.message, { details: { ...error.details } });
      }
      throw error;
    }
  }
}

/** Core's JWKS_UNAVAILABLE as the prover answers it: 503 when unreachable (retry), 502 for a bad answer. */
function unavailable(issuer: string, error: JwksUnavailableError): ProverError {
  const reason =
    error.kind === 'unreachable'
      ? `could not reach ${error.url}`
      : error.kind === 'http'
        ? `${error.url} answered ${String(error.details.status)}`
        : `${error.url}: ${error.reason}`;
  return new ProverError('JWKS_UNAVAILABLE', `the issuer’s signing keys could not be read: ${reason}`, {
    details: { iss: issuer, reason },
    status: error.kind === 'unreachable' ? 503 : 502,
    retryAfterSeconds: 5,
    cause: error,
  });
}
