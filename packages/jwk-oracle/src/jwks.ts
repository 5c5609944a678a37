import {
  hashIssuer,
  modulusFromJwk,
  modulusHash,
  normalizeIssuer,
  type RsaJwk,
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
 * Reads a JWKS document (`{ "keys": [...] }`): keeps RSA signature keys usable by zksso/v1 and lists the
 * others as skipped. Keys with the same modulus are reported once.
 *
 * @throws {Error} when the document is not a JWKS (no `keys` array): the caller treats it as a fetch failure.
 * @example
 * ```ts
 * const { keys, skipped } = parseJwks(await response.json());
 * ```
 */
export function parseJwks(document: unknown): IssuerKeySet {
  if (
    document === null ||
    typeof document !== 'object' ||
    !Array.isArray((document as { keys?: unknown }).keys)
  ) {
    throw new Error('not a JWKS document (no "keys" array)');
  }
  const keys: IssuerKey[] = [];
  const skipped: SkippedKey[] = [];
  const seen = new Set<bigint>();
  for (const [index, raw] of (document as { keys: unknown[] }).keys.entries()) {
    const jwk = (raw ?? {}) as Partial<RsaJwk> & { use?: unknown; kid?: unknown };
    const kid = typeof jwk.kid === 'string' ? jwk.kid : `#${index}`;
    if (jwk.use !== undefined && jwk.use !== 'sig') {
      skipped.push({ kid, reason: `use is ${String(jwk.use)}, not sig` });
      continue;
    }
    let hash: bigint;
    try {
      hash = modulusHash(modulusFromJwk(jwk as RsaJwk));
    } catch (error) {
      const reason =
        error instanceof ZkSsoError ? String(error.details.reason ?? error.message) : String(error);
      skipped.push({ kid, reason });
      continue;
    }
    if (seen.has(hash)) continue;
    seen.add(hash);
    keys.push({ kid, modulusHash: hash });
  }
  return { keys, skipped };
}

/**
 * The OpenID discovery URL of an issuer: `<issuer>/.well-known/openid-configuration` (a trailing slash of the
 * issuer is dropped first, as OpenID Connect Discovery 1.0 §4 says).
 *
 * @example
 * ```ts
 * discoveryUrl('accounts.google.com'); // 'https://accounts.google.com/.well-known/openid-configuration'
 * ```
 */
export function discoveryUrl(issuer: string): string {
  return `${normalizeIssuer(issuer).replace(/\/$/, '')}/.well-known/openid-configuration`;
}

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

/**
 * GETs a JSON document with a timeout; any HTTP error, timeout or malformed JSON becomes a
 * {@link JwksFetchError} (code JWKS_FETCH_FAILED).
 *
 * @example
 * ```ts
 * const doc = await fetchJson('https://www.googleapis.com/oauth2/v3/certs', 'https://accounts.google.com', { timeoutMs: 10_000 });
 * ```
 */
export async function fetchJson(url: string, issuer: string, options: FetchOptions): Promise<unknown> {
  const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.any(signals),
    });
  } catch (error) {
    throw new JwksFetchError(
      issuer,
      url,
      (error as Error).name === 'TimeoutError' ? 'timed out' : String(error),
    );
  }
  const text = await response.text().catch((error: unknown) => {
    throw new JwksFetchError(issuer, url, `reading the body failed: ${String(error)}`);
  });
  if (!response.ok) throw new JwksFetchError(issuer, url, `HTTP ${response.status}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new JwksFetchError(issuer, url, 'the body is not JSON');
  }
}

/**
 * Finds an issuer's `jwks_uri` through OpenID discovery, checking the document names the same issuer.
 *
 * @throws {JwksFetchError} when discovery fails or the document belongs to another issuer.
 * @example
 * ```ts
 * await discoverJwksUri('https://accounts.google.com', { timeoutMs: 10_000 }); // 'https://www.googleapis.com/oauth2/v3/certs'
 * ```
 */
export async function discoverJwksUri(issuer: string, options: FetchOptions): Promise<string> {
  const url = discoveryUrl(issuer);
  const document = (await fetchJson(url, issuer, options)) as { issuer?: unknown; jwks_uri?: unknown } | null;
  if (document === null || typeof document !== 'object' || typeof document.jwks_uri !== 'string') {
    throw new JwksFetchError(issuer, url, 'the discovery document has no jwks_uri');
  }
  if (typeof document.issuer === 'string' && normalizeIssuer(document.issuer) !== normalizeIssuer(issuer)) {
    throw new JwksFetchError(issuer, url, `the discovery document is for issuer ${document.issuer}`);
  }
  return document.jwks_uri;
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
