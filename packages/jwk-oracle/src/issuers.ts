import { normalizeIssuer } from '@zksso/core';
import { JwksFetchError, OracleConfigError } from './errors.ts';
import { discoverJwksUri, fetchJson, type IssuerKeySet, issuerHash, parseJwks } from './jwks.ts';
import type { OracleLogger } from './logger.ts';
import { type RetryOptions, retryWithBackoff } from './retry.ts';

/**
 * One watched issuer: its `iss` and, optionally, its JWKS URL (else found by OpenID discovery).
 *
 * @example
 * ```ts
 * const issuers: IssuerConfig[] = ['https://accounts.google.com', { issuer: 'https://idp.example', jwksUri: 'https://idp.example/keys' }];
 * ```
 */
export type IssuerConfig = string | { issuer: string; jwksUri?: string };

/**
 * An issuer as the oracle follows it between passes: its hash, where its keys are, the last set it read and
 * the skipped kids already warned about.
 *
 * @example
 * ```ts
 * const [google]: WatchedIssuer[] = watchIssuers(['https://accounts.google.com']);
 * ```
 */
export interface WatchedIssuer {
  issuer: string;
  issHash: bigint;
  configuredJwksUri?: string;
  discoveredJwksUri?: string;
  lastKnownGood?: IssuerKeySet['keys'];
  warnedKids: Set<string>;
}

/**
 * Checks the configured issuers (at least one, each hashable, none twice after normalisation) and makes the
 * state the oracle keeps for each.
 *
 * @throws {OracleConfigError} on an empty list, an empty or unhashable issuer, or a duplicate.
 * @example
 * ```ts
 * const watched = watchIssuers(['accounts.google.com', { issuer: 'https://idp.example', jwksUri }]);
 * ```
 */
export function watchIssuers(configs: readonly IssuerConfig[]): WatchedIssuer[] {
  if (!configs || configs.length === 0) throw new OracleConfigError('at least one issuer is required');
  const seen = new Map<bigint, string>();
  return configs.map((c) => {
    const entry = typeof c === 'string' ? { issuer: c } : c;
    if (!entry.issuer) throw new OracleConfigError('an issuer is empty');
    const issuer = normalizeIssuer(entry.issuer);
    let issHash: bigint;
    try {
      issHash = issuerHash(issuer);
    } catch (error) {
      throw new OracleConfigError(`issuer ${issuer} cannot be hashed: ${(error as Error).message}`, {
        issuer,
      });
    }
    const previous = seen.get(issHash);
    if (previous) throw new OracleConfigError(`issuer ${issuer} is configured twice`, { issuer, previous });
    seen.set(issHash, issuer);
    return {
      issuer,
      issHash,
      ...(entry.jwksUri ? { configuredJwksUri: entry.jwksUri } : {}),
      warnedKids: new Set<string>(),
    };
  });
}

/** What {@link fetchIssuerKeys} needs. */
export interface FetchIssuerOptions {
  /** Per HTTP request to the provider (ms). */
  timeoutMs: number;
  fetch?: typeof fetch;
  /** Aborts requests and the waits between retries (the oracle's stop()). */
  signal: AbortSignal;
  /** Retries (default 4 attempts, 500 ms base, 10 s cap). */
  retry?: RetryOptions;
  logger: OracleLogger;
}

/**
 * Reads an issuer's usable keys (`@zksso/core`'s rule, through {@link parseJwks}) from its configured JWKS
 * URI or the one OpenID discovery names, retrying with backoff. A failed read forgets a discovered URI, so a
 * moved `jwks_uri` is found again.
 *
 * @throws {JwksFetchError} JWKS_FETCH_FAILED after the last attempt.
 * @example
 * ```ts
 * const { keys, skipped } = await fetchIssuerKeys(watched, { timeoutMs: 10_000, signal, logger });
 * ```
 */
export function fetchIssuerKeys(watched: WatchedIssuer, options: FetchIssuerOptions): Promise<IssuerKeySet> {
  const fetchOptions = { timeoutMs: options.timeoutMs, fetch: options.fetch, signal: options.signal };
  return retryWithBackoff(
    async () => {
      if (!watched.configuredJwksUri && !watched.discoveredJwksUri) {
        watched.discoveredJwksUri = await discoverJwksUri(watched.issuer, fetchOptions);
      }
      const url = (watched.configuredJwksUri ?? watched.discoveredJwksUri) as string;
      try {
        return parseJwks(await fetchJson(url, watched.issuer, fetchOptions));
      } catch (error) {
        // A moved jwks_uri is found again by the next discovery.
        watched.discoveredJwksUri = undefined;
        // Not a JWKS (core's JWKS_INVALID) is a failed fetch like any other.
        if (error instanceof JwksFetchError) throw error;
        throw new JwksFetchError(watched.issuer, url, (error as Error).message);
      }
    },
    {
      attempts: 4,
      baseDelayMs: 500,
      maxDelayMs: 10_000,
      ...options.retry,
      signal: options.signal,
      onRetry: (error, attempt, delayMs) =>
        options.logger.warn('jwks.retry', {
          issuer: watched.issuer,
          attempt,
          delayMs,
          error: (error as Error).message,
        }),
    },
  );
}
