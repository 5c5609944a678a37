import {
  discoverJwksUri as discoverJwksUriOf,
  discoveryUrl,
  fetchJsonDocument,
  filterJwks,
  hashIssuer,
  type JwksFetchOptions,
  JwksUnavailableError,
  ZkSsoError,
} from '@zksso/core';
import { JwksFetchError } from './errors.ts';

/**
 * One usable signing key of an issuer: RS256, 2048-bit modulus, e = 65537 (protocol §7).
 *
 * @example
 * ```ts
 * const [first]: IssuerKey[] = parseJwks(jwks).keys;
 * ```
 */
export interface IssuerKey {
  /** The JWK's `kid` (for logs; the registry knows only the modulus hash). */
  kid: string;
  /** `modulusHash` of protocol §7. */
  modulusHash: bigint;
}

/**
 * A JWK the oracle ignored, and why (other algorithms, sizes, encryption keys).
 *
 * @example
 * ```ts
 * for (const s of parseJwks(jwks).skipped) console.warn(s.kid, s.reason);
 * ```
 */
export interface SkippedKey {
  kid: string;
  reason: string;
}

/**
 * The parsed key set of one issuer.
 *
 * @example
 * ```ts
 * const set: IssuerKeySet = parseJwks(jwks);
 * ```
 */
export interface IssuerKeySet {
  keys: IssuerKey[];
  skipped: SkippedKey[];
}

/**
 * Reads a JWKS document (`{ "keys": [...] }`) through `@zksso/core`'s `filterJwks` (the one rule of which keys
 * zksso/v1 can use, shared with the prover): keeps the usable keys and lists the others as skipped. Keys with
 * the same modulus are reported once (the registry knows only the modulus hash).
 *
 * @throws {Error} when the document is not a JWKS (no `keys` array): the caller treats it as a fetch failure.
 * @example
 * ```ts
 * const { keys, skipped } = parseJwks(await response.json());
 * ```
 */
export function parseJwks(document: unknown): IssuerKeySet {
  const set = filterJwks(document);
  const keys: IssuerKey[] = [];
  const seen = new Set<bigint>();
  for (const [index, key] of set.keys.entries()) {
    if (seen.has(key.modulusHash)) continue;
    seen.add(key.modulusHash);
    keys.push({ kid: key.kid ?? `#${index}`, modulusHash: key.modulusHash });
  }
  return { keys, skipped: set.skipped.map(({ kid, reason }) => ({ kid, reason })) };
}

/**
 * The OpenID discovery URL of an issuer (`@zksso/core`'s: scheme added, terminating slash dropped, as
 * OpenID Connect Discovery 1.0 §4 says).
 *
 * @example
 * ```ts
 * discoveryUrl('accounts.google.com'); // 'https://accounts.google.com/.well-known/openid-configuration'
 * ```
 */
export { discoveryUrl };

/**
 * What {@link fetchJson} needs.
 *
 * @example
 * ```ts
 * await fetchJson(url, issuer, { timeoutMs: 10_000 });
 * ```
 */
export interface FetchOptions {
  timeoutMs: number;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

const coreOptions = (options: FetchOptions): JwksFetchOptions => ({
  timeoutMs: options.timeoutMs,
  fetch: options.fetch ?? fetch,
  ...(options.signal ? { signal: options.signal } : {}),
});

/** Core's JWKS_UNAVAILABLE (and an issuer core refuses) in the oracle's words: JWKS_FETCH_FAILED. */
function asFetchError(error: unknown, issuer: string, url: string): unknown {
  if (error instanceof JwksUnavailableError) return new JwksFetchError(issuer, error.url, error.reason);
  if (error instanceof ZkSsoError) return new JwksFetchError(issuer, url, error.message);
  return error;
}

/**
 * GETs a JSON document with a timeout (`@zksso/core`'s `fetchJsonDocument`); any HTTP error, timeout or
 * malformed JSON becomes a {@link JwksFetchError} (code JWKS_FETCH_FAILED).
 *
 * @example
 * ```ts
 * const doc = await fetchJson('https://www.googleapis.com/oauth2/v3/certs', 'https://accounts.google.com', { timeoutMs: 10_000 });
 * ```
 */
export async function fetchJson(url: string, issuer: string, options: FetchOptions): Promise<unknown> {
  try {
    return await fetchJsonDocument(url, coreOptions(options));
  } catch (error) {
    throw asFetchError(error, issuer, url);
  }
}

/**
 * Finds an issuer's `jwks_uri` through OpenID discovery (`@zksso/core`'s `discoverJwksUri`: the document must
 * name the same issuer).
 *
 * @throws {JwksFetchError} when discovery fails or the document belongs to another issuer.
 * @example
 * ```ts
 * await discoverJwksUri('https://accounts.google.com', { timeoutMs: 10_000 }); // 'https://www.googleapis.com/oauth2/v3/certs'
 * ```
 */
export async function discoverJwksUri(issuer: string, options: FetchOptions): Promise<string> {
  try {
    return await discoverJwksUriOf(issuer, coreOptions(options));
  } catch (error) {
    throw asFetchError(error, issuer, issuer);
  }
}

/**
 * The issuer hash the registry is keyed by (protocol §3): `hashBytes(normalizeIssuer(iss), 124)`.
 *
 * @example
 * ```ts
 * issuerHash('accounts.google.com') === issuerHash('https://accounts.google.com'); // true
 * ```
 */
export function issuerHash(issuer: string): bigint {
  return hashIssuer(issuer);
}
