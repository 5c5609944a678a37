import { JwtKidUnknownError } from './errors.ts';
import {
  discoverJwksUri,
  fetchJwks,
  type JwksFetchOptions,
  type SkippedJwk,
  type UsableJwk,
} from './jwks.ts';

/**
 * Options of {@link JwksCache}.
 *
 * @example
 * ```ts
 * const options: JwksCacheOptions = { fetch, ttlMs: 600_000, minRefetchMs: 30_000, timeoutMs: 5_000 };
 * ```
 */
export type JwksCacheOptions = {
  /** The caller's fetch (this library does no I/O of its own). */
  fetch: typeof fetch;
  /** A key set older than this is refetched before use (ms); if that fetch fails, the old set is used. */
  ttlMs: number;
  /** An unknown `kid` triggers a refetch at most once per this many ms per issuer (protects the issuer). */
  minRefetchMs: number;
  /** Time limit of each discovery or JWKS request (ms). */
  timeoutMs: number;
  /** Each issuer's JWKS URI where it is known; the others are found by OpenID discovery. */
  jwksUris?: Readonly<Record<string, string>>;
  /** Milliseconds now; default `Date.now`. */
  now?: () => number;
};

type IssuerState = {
  jwksUri: string | undefined;
  keys: UsableJwk[];
  skipped: SkippedJwk[];
  fetchedAt: number | undefined;
  lastAttemptAt: number | undefined;
  pending: Promise<void> | undefined;
  fetches: number;
};

/**
 * Issuers' signing keys, fetched with {@link fetchJwks} (so filtered by {@link filterJwks}: the keys the prover,
 * the salt service and the JWK oracle agree on) from the configured JWKS URI or the one OpenID discovery
 * names, and cached. Rotation-aware: a token naming an unknown `kid` refetches the set (at most once per
 * `minRefetchMs` per issuer), so a new key is accepted as soon as the issuer publishes it, and a key the
 * issuer removed is refused once the set is refetched (at the latest after `ttlMs`). Concurrent lookups
 * share one fetch. Which issuers are allowed is the caller's business: check before asking.
 *
 * @example
 * ```ts
 * const jwks = new JwksCache({ fetch, ttlMs: 600_000, minRefetchMs: 30_000, timeoutMs: 5_000 });
 * const [key] = await jwks.keysFor('https://accounts.google.com', decoded.header.kid);
 * await verifyJwtSignature(decoded, key.jwk);
 * ```
 */
export class JwksCache {
  readonly #states = new Map<string, IssuerState>();
  readonly #options: JwksCacheOptions;
  readonly #now: () => number;

  constructor(options: JwksCacheOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** How many times the JWKS of `issuer` was fetched (for metrics and tests). */
  fetchCount(issuer: string): number {
    return this.#states.get(issuer)?.fetches ?? 0;
  }

  /**
   * The keys that may have signed a token of `issuer` with header `kid`: the usable key with that kid, or,
   * for a token without kid, every usable key of the issuer.
   *
   * @throws {JwksUnavailableError} JWKS_UNAVAILABLE when the issuer's keys cannot be read (and none are cached).
   * @throws {UnsupportedJwkError} JWK_UNSUPPORTED when `kid` names an RS256 key zksso/v1 cannot prove.
   * @throws {JwtKidUnknownError} JWT_KID_UNKNOWN when the issuer does not publish that key, even after a refetch.
   */
  async keysFor(issuer: string, kid: string | undefined): Promise<UsableJwk[]> {
    const state = this.#state(issuer);
    if (state.fetchedAt === undefined) {
      await this.#refresh(issuer, state);
    } else if (this.#now() - state.fetchedAt >= this.#options.ttlMs && this.#mayRefetch(state)) {
      // Stale: refresh, but an issuer outage should not stop serving with the keys we have.
      await this.#refresh(issuer, state).catch(() => undefined);
    }
    let found = select(state.keys, kid);
    if (found.length === 0 && this.#mayRefetch(state)) {
      await this.#refresh(issuer, state);
      found = select(state.keys, kid);
    }
    if (found.length === 0) {
      const unprovable = state.skipped.find((s) => s.unprovable && s.hasKid && s.kid === kid);
      if (unprovable) throw unprovable.error;
      throw new JwtKidUnknownError(issuer, kid);
    }
    return found;
  }

  #state(issuer: string): IssuerState {
    let state = this.#states.get(issuer);
    if (!state) {
      state = {
        jwksUri: this.#options.jwksUris?.[issuer],
        keys: [],
        skipped: [],
        fetchedAt: undefined,
        lastAttemptAt: undefined,
        pending: undefined,
        fetches: 0,
      };
      this.#states.set(issuer, state);
    }
    return state;
  }

  #mayRefetch(state: IssuerState): boolean {
    return (
      state.pending !== undefined ||
      state.lastAttemptAt === undefined ||
      this.#now() - state.lastAttemptAt >= this.#options.minRefetchMs
    );
  }

  #refresh(issuer: string, state: IssuerState): Promise<void> {
    if (!state.pending) {
      state.lastAttemptAt = this.#now();
      state.pending = this.#load(issuer, state).finally(() => {
        state.pending = undefined;
      });
    }
    return state.pending;
  }

  async #load(issuer: string, state: IssuerState): Promise<void> {
    const options: JwksFetchOptions = { fetch: this.#options.fetch, timeoutMs: this.#options.timeoutMs };
    state.jwksUri ??= await discoverJwksUri(issuer, options);
    const set = await fetchJwks(state.jwksUri, options);
    state.keys = set.keys;
    state.skipped = set.skipped;
    state.fetchedAt = this.#now();
    state.fetches += 1;
  }
}

function select(keys: readonly UsableJwk[], kid: string | undefined): UsableJwk[] {
  return kid === undefined ? [...keys] : keys.filter((k) => k.kid === kid);
}
