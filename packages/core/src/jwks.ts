import { JwksInvalidError, JwksUnavailableError, UnsupportedJwkError, ZkSsoError } from './errors.ts';
import { normalizeIssuer } from './issuer.ts';
import { discoveryUrl } from './providers/discovery.ts';
import { modulusFromJwk, modulusHash, type RsaJwk } from './rsa.ts';

// The one place that says which keys of an issuer's JWKS zksso/v1 can use. The prover (which keys may have
// signed a token), the JWK oracle (which keys the registry should hold), the salt service and the dev stack
// all read key sets through here, so they cannot disagree on a key.

/**
 * A key of a JWKS that zksso/v1 can prove with: RSA, `use` sig or absent, `alg` RS256 or absent, e = 65537,
 * a 2048-bit modulus (protocol §7).
 *
 * @example
 * ```ts
 * const [first]: UsableJwk[] = filterJwks(document).keys;
 * first.modulusHash; // what the JwkRegistry stores
 * ```
 */
export type UsableJwk = {
  /** The JWK's `kid`, when it has one. */
  kid: string | undefined;
  jwk: RsaJwk;
  modulus: bigint;
  /** `modulusHash` of protocol §7. */
  modulusHash: bigint;
};

/**
 * A key of a JWKS that zksso/v1 does not use, and why.
 *
 * @example
 * ```ts
 * for (const s of filterJwks(document).skipped) console.warn(s.kid, s.reason);
 * ```
 */
export type SkippedJwk = {
  /** The `kid`, else `#<index>` in the document. */
  kid: string;
  /** Whether the JWK carried a `kid` (false: `kid` is `#<index>`). */
  hasKid: boolean;
  reason: string;
  /**
   * True for an RS256 signing key that zksso/v1 cannot prove (e ≠ 65537, not 2048 bits, unreadable `n`);
   * false for a key that is no RS256 signing key at all (other `kty`, `alg` or `use`).
   */
  unprovable: boolean;
  /** The error that says why (code JWK_UNSUPPORTED). */
  error: UnsupportedJwkError;
};

/**
 * The result of {@link filterJwks}.
 *
 * @example
 * ```ts
 * const { keys, skipped }: JwkSet = filterJwks(document);
 * ```
 */
export type JwkSet = { keys: UsableJwk[]; skipped: SkippedJwk[] };

/**
 * Reads a JWKS document (`{ "keys": [...] }`, RFC 7517 §5) and sorts its keys into those zksso/v1 can use
 * (see {@link UsableJwk}) and the others, each with its reason. Order is kept.
 *
 * @throws {JwksInvalidError} JWKS_INVALID when the document has no `keys` array.
 * @example
 * ```ts
 * const { keys } = filterJwks(await (await fetch('https://www.googleapis.com/oauth2/v3/certs')).json());
 * ```
 */
export function filterJwks(document: unknown): JwkSet {
  if (
    document === null ||
    typeof document !== 'object' ||
    !Array.isArray((document as { keys?: unknown }).keys)
  ) {
    throw new JwksInvalidError('not a JWKS document (no "keys" array)');
  }
  const keys: UsableJwk[] = [];
  const skipped: SkippedJwk[] = [];
  for (const [index, raw] of (document as { keys: unknown[] }).keys.entries()) {
    const jwk = (raw ?? {}) as Partial<RsaJwk> & { use?: unknown; kid?: unknown };
    const hasKid = typeof jwk.kid === 'string';
    const kid = hasKid ? (jwk.kid as string) : `#${index}`;
    const skip = (error: UnsupportedJwkError, unprovable: boolean) =>
      skipped.push({ kid, hasKid, reason: String(error.details.reason), unprovable, error });
    if (jwk.use !== undefined && jwk.use !== 'sig') {
      skip(new UnsupportedJwkError(`use is ${String(jwk.use)}, not sig`, { use: jwk.use }), false);
      continue;
    }
    // Not an RS256 signing key at all (another kty or alg): not ours to judge further.
    const rs256 = jwk.kty === 'RSA' && (jwk.alg === undefined || jwk.alg === 'RS256');
    try {
      const modulus = modulusFromJwk(jwk as RsaJwk);
      keys.push({
        kid: hasKid ? (jwk.kid as string) : undefined,
        jwk: jwk as RsaJwk,
        modulus,
        modulusHash: modulusHash(modulus),
      });
    } catch (error) {
      if (!(error instanceof UnsupportedJwkError)) throw error;
      skip(error, rs256);
    }
  }
  return { keys, skipped };
}

/**
 * What {@link fetchJwks} and {@link discoverJwksUri} need. `fetch` is the caller's (this library does no
 * I/O of its own): pass `globalThis.fetch` or a test double.
 *
 * @example
 * ```ts
 * const options: JwksFetchOptions = { fetch, timeoutMs: 5_000 };
 * ```
 */
export type JwksFetchOptions = {
  fetch: typeof fetch;
  /** Time limit of the request (ms). */
  timeoutMs: number;
  /** Aborts the request (e.g. on shutdown). */
  signal?: AbortSignal;
};

/**
 * GETs a JSON document (a discovery document or a JWKS) with a time limit; a network failure, a timeout,
 * an HTTP error or a body that is not JSON becomes a {@link JwksUnavailableError} whose `details.kind` says
 * which (`unreachable`, `http`, `not-json`).
 *
 * @example
 * ```ts
 * const document = await fetchJsonDocument('https://www.googleapis.com/oauth2/v3/certs', { fetch, timeoutMs: 5_000 });
 * ```
 */
export async function fetchJsonDocument(url: string, options: JwksFetchOptions): Promise<unknown> {
  const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
  let response: Response;
  try {
    response = await options.fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.any(signals),
    });
  } catch (error) {
    const reason = (error as Error)?.name === 'TimeoutError' ? 'timed out' : String(error);
    throw new JwksUnavailableError(url, 'unreachable', reason, { cause: error });
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new JwksUnavailableError(url, 'unreachable', `reading the body failed: ${String(error)}`, {
      cause: error,
    });
  }
  if (!response.ok) {
    throw new JwksUnavailableError(url, 'http', `HTTP ${response.status}`, { status: response.status });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new JwksUnavailableError(url, 'not-json', 'the body is not JSON', { cause: error });
  }
}

/**
 * Fetches a JWKS and filters it with {@link filterJwks}.
 *
 * @throws {JwksUnavailableError} JWKS_UNAVAILABLE when it cannot be read or is no JWKS (`details.kind`
 *   `unreachable`, `http`, `not-json`, `not-jwks`).
 * @example
 * ```ts
 * const { keys } = await fetchJwks('https://www.googleapis.com/oauth2/v3/certs', { fetch, timeoutMs: 5_000 });
 * ```
 */
export async function fetchJwks(jwksUri: string, options: JwksFetchOptions): Promise<JwkSet> {
  const document = await fetchJsonDocument(jwksUri, options);
  try {
    return filterJwks(document);
  } catch (error) {
    if (error instanceof JwksInvalidError) {
      throw new JwksUnavailableError(jwksUri, 'not-jwks', error.message, { cause: error });
    }
    throw error;
  }
}

/**
 * Finds an issuer's `jwks_uri` through OpenID discovery ({@link discoveryUrl}). The document must name the
 * same issuer (OpenID Connect Discovery 1.0 §4.3; compared after {@link normalizeIssuer} and without a
 * terminating slash, the form {@link discoveryUrl} fetched: `accounts.google.com` and
 * `https://accounts.google.com/` are one issuer) and a `jwks_uri`.
 *
 * @throws {JwksUnavailableError} JWKS_UNAVAILABLE (`details.kind` `unreachable`, `http`, `not-json`, or
 *   `discovery` when the document names another issuer or no `jwks_uri`).
 * @example
 * ```ts
 * await discoverJwksUri('https://accounts.google.com', { fetch, timeoutMs: 5_000 }); // 'https://www.googleapis.com/oauth2/v3/certs'
 * ```
 */
export async function discoverJwksUri(issuer: string, options: JwksFetchOptions): Promise<string> {
  let url: string;
  try {
    url = discoveryUrl(issuer);
  } catch (error) {
    if (!(error instanceof ZkSsoError)) throw error;
    throw new JwksUnavailableError(issuer, 'discovery', error.message, { cause: error });
  }
  const document = (await fetchJsonDocument(url, options)) as { issuer?: unknown; jwks_uri?: unknown } | null;
  if (document === null || typeof document !== 'object' || typeof document.jwks_uri !== 'string') {
    throw new JwksUnavailableError(url, 'discovery', 'the discovery document has no jwks_uri');
  }
  if (typeof document.issuer !== 'string' || sameIssuer(document.issuer) !== sameIssuer(issuer)) {
    throw new JwksUnavailableError(
      url,
      'discovery',
      `the discovery document is for issuer ${String(document.issuer)}`,
    );
  }
  return document.jwks_uri;
}

/** An issuer as {@link discoveryUrl} reads it: scheme added, terminating slashes dropped. */
function sameIssuer(issuer: string): string {
  return normalizeIssuer(issuer).replace(/\/+$/, '');
}
