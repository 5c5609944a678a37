import type { RsaJwk } from '@zksso/core';
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

interface IssuerState {
  readonly allowed: AllowedIssuer;
  jwksUri: string | undefined;
  keys: RsaJwk[];
  fetchedAt: number | undefined;
  lastAttemptAt: number | undefined;
  pending: Promise<void> | undefined;
  fetches: number;
}

/**
 * Each allowed issuer's signing keys, fetched from its JWKS (the configured URI, else the `jwks_uri` of its
 * OpenID discovery document) and cached. Rotation-aware: a token naming an unknown `kid` refetches the set
 * (at most once per `minRefetchMs` per issuer), so a new key is accepted as soon as the issuer publishes
 * it, and a key the issuer removed is refused once the set is refetched (at the latest after `ttlMs`).
 * Concurrent lookups share one fetch.
 *
 * @example
 * ```ts
 * const jwks = new JwksCache([{ issuer: 'https://accounts.google.com' }], { ttlMs: 600_000, minRefetchMs: 30_000, timeoutMs: 5_000 });
 * const [jwk] = await jwks.keysFor('https://accounts.google.com', decoded.header.kid);
 * ```
 */
export class JwksCache {
  readonly #states = new Map<string, IssuerState>();
  readonly #options: JwksCacheOptions;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;

  constructor(issuers: readonly AllowedIssuer[], options: JwksCacheOptions) {
    this.#options = options;
    this.#fetch = options.fetch ?? fetch;
    this.#now = options.now ?? Date.now;
    for (const allowed of issuers) {
      this.#states.set(allowed.issuer, {
        allowed,
        jwksUri: allowed.jwksUri,
        keys: [],
        fetchedAt: undefined,
        lastAttemptAt: undefined,
        pending: undefined,
        fetches: 0,
      });
    }
  }

  /** How many times the JWKS of `issuer` was fetched (for metrics and tests). */
  fetchCount(issuer: string): number {
    return this.#states.get(issuer)?.fetches ?? 0;
  }

  /**
   * The keys that may have signed a token of `issuer` with header `kid`: the key with that kid, or, for a
   * token without kid, every RSA signing key of the issuer.
   *
   * @throws {ProverError} ISSUER_NOT_ALLOWED, JWKS_UNAVAILABLE (503 unreachable, 502 bad answer),
   *   JWT_KID_UNKNOWN (the issuer does not publish that key, even after a refetch).
   */
  async keysFor(issuer: string, kid: string | undefined): Promise<RsaJwk[]> {
    const state = this.#states.get(issuer);
    if (!state) {
      throw new ProverError('ISSUER_NOT_ALLOWED', 'the issuer is not on this prover’s allow-list', {
        details: { iss: issuer },
      });
    }
    const now = this.#now();
    if (state.fetchedAt === undefined) {
      await this.#refresh(state);
    } else if (now - state.fetchedAt >= this.#options.ttlMs && this.#mayRefetch(state)) {
      // Stale: refresh, but an issuer outage should not stop proving with the keys we have.
      await this.#refresh(state).catch(() => undefined);
    }
    let found = select(state.keys, kid);
    if (found.length === 0 && this.#mayRefetch(state)) {
      await this.#refresh(state);
      found = select(state.keys, kid);
    }
    if (found.length === 0) {
      throw new ProverError(
        'JWT_KID_UNKNOWN',
        'the token names a key its issuer does not publish (rotated out?)',
        {
          details: { iss: issuer, kid: kid ?? null },
        },
      );
    }
    return found;
  }

  #mayRefetch(state: IssuerState): boolean {
    return (
      state.pending !== undefined ||
      state.lastAttemptAt === undefined ||
      this.#now() - state.lastAttemptAt >= this.#options.minRefetchMs
    );
  }

  #refresh(state: IssuerState): Promise<void> {
    if (!state.pending) {
      state.lastAttemptAt = this.#now();
      state.pending = this.#load(state).finally(() => {
        state.pending = undefined;
      });
    }
    return state.pending;
  }

  async #load(state: IssuerState): Promise<void> {
    const issuer = state.allowed.issuer;
    if (state.jwksUri === undefined) {
      const document = await this.#getJson(
        `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`,
        issuer,
      );
      const uri = (document as { jwks_uri?: unknown; issuer?: unknown }).jwks_uri;
      if ((document as { issuer?: unknown }).issuer !== issuer || typeof uri !== 'string') {
        throw unavailable(issuer, 'the discovery document does not name this issuer and a jwks_uri', 502);
      }
      state.jwksUri = uri;
    }
    const jwks = await this.#getJson(state.jwksUri, issuer);
    const keys = (jwks as { keys?: unknown }).keys;
    if (!Array.isArray(keys)) throw unavailable(issuer, 'the JWKS has no keys array', 502);
    state.keys = keys.filter(isRsaSigningKey);
    state.fetchedAt = this.#now();
    state.fetches += 1;
  }

  async #getJson(url: string, issuer: string): Promise<unknown> {
    let response: Response;
    try {
      response = await this.#fetch(url, {
        signal: AbortSignal.timeout(this.#options.timeoutMs),
        headers: { accept: 'application/json' },
      });
    } catch (error) {
      throw unavailable(issuer, `could not reach ${url}`, 503, error);
    }
    if (!response.ok) throw unavailable(issuer, `${url} answered ${response.status}`, 502);
    try {
      return await response.json();
    } catch (error) {
      throw unavailable(issuer, `${url} did not answer JSON`, 502, error);
    }
  }
}

function unavailable(issuer: string, reason: string, status: 502 | 503, cause?: unknown): ProverError {
  return new ProverError('JWKS_UNAVAILABLE', `the issuer’s signing keys could not be read: ${reason}`, {
    details: { iss: issuer, reason },
    status,
    retryAfterSeconds: 5,
    cause,
  });
}

function isRsaSigningKey(key: unknown): key is RsaJwk {
  if (typeof key !== 'object' || key === null) return false;
  const k = key as Record<string, unknown>;
  return (
    k.kty === 'RSA' &&
    typeof k.n === 'string' &&
    typeof k.e === 'string' &&
    (k.use === undefined || k.use === 'sig') &&
    (k.alg === undefined || k.alg === 'RS256')
  );
}

function select(keys: readonly RsaJwk[], kid: string | undefined): RsaJwk[] {
  return kid === undefined ? [...keys] : keys.filter((k) => k.kid === kid);
}
