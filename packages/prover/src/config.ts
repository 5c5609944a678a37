import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { defaultCacheDir, TIERS } from '@zksso/circuits';
import { normalizeIssuer } from '@zksso/core';

/** An issuer the prover accepts tokens from, with an optional fixed JWKS URI (else OpenID discovery). */
export interface AllowedIssuer {
  /** The issuer, normalised per protocol §4 (`https://` added when there is no scheme). */
  readonly issuer: string;
  readonly jwksUri?: string;
}

/**
 * An `aud` (OAuth client id) the prover proves for: for tokens of `issuer` only, or of any allowed issuer
 * when `issuer` is absent.
 */
export interface AllowedAudience {
  readonly audience: string;
  /** Normalised per protocol §4; absent: every issuer on the allow-list. */
  readonly issuer?: string;
}

/** Everything the prover service can be configured with. */
export interface ProverConfig {
  readonly port: number;
  readonly host: string;
  /** Tokens from other issuers are refused (ISSUER_NOT_ALLOWED). */
  readonly issuers: readonly AllowedIssuer[];
  /**
   * Client ids the service proves for; a token whose `aud` is not here is refused (AUDIENCE_NOT_ALLOWED)
   * before any proving. Empty: every token is refused.
   */
  readonly audiences: readonly AllowedAudience[];
  /** Leeway for the token's `exp`, `nbf` and `iat` against this machine's clock (seconds). */
  readonly clockSkewSeconds: number;
  /** The window of the rate limits below (seconds). */
  readonly rateWindowSeconds: number;
  /** Proofs per subject (issuer + sub) per window; 0: no limit. Beyond it: 429 RATE_LIMITED. */
  readonly ratePerSubject: number;
  /** Proofs per client address per window; 0: no limit. Beyond it: 429 RATE_LIMITED. */
  readonly ratePerAddress: number;
  /**
   * Take the client address from the last `X-Forwarded-For` entry (the one your proxy added) instead of the
   * connection's peer. Only behind a proxy that sets it: a client can send the header itself.
   */
  readonly trustProxy: boolean;
  /** Tiers (max header.payload bytes) this instance serves; their keys are loaded at start. */
  readonly tiers: readonly number[];
  /** Proofs made at once (worker processes). snarkjs uses every core for one proof: 1 fits small machines. */
  readonly concurrency: number;
  /** Requests that may wait for a worker; beyond it the service answers 503 QUEUE_FULL with Retry-After. */
  readonly queueSize: number;
  /** Wall-clock limit for one request from acceptance to proof (ms); past it: 504 PROVE_TIMEOUT. */
  readonly timeoutMs: number;
  /** Longest accepted ephemeral-key lifetime from now (seconds). */
  readonly maxExpirySeconds: number;
  /** Largest accepted request body (bytes); larger: 413. */
  readonly maxBodyBytes: number;
  /** Where tier artifacts (circuit, keys) are cached. Fleets share a read-only prebuilt copy. */
  readonly cacheDir: string;
  /**
   * Operator-supplied keys (e.g. a ceremony's): `<keysDir>/<tier>/circuit.wasm`, `circuit.zkey`,
   * `verification_key.json` for every served tier. When set, tiers are loaded from here and never built;
   * unset (default): DEVELOPMENT keys from the artifact cache (`ensureTierArtifacts`).
   */
  readonly keysDir?: string | undefined;
  /** A JWKS is refetched after this age even when every kid is known (ms). */
  readonly jwksTtlMs: number;
  /** At most one JWKS fetch per issuer per this many ms when a token names an unknown kid. */
  readonly jwksMinRefetchMs: number;
  /** Time limit of one discovery or JWKS fetch (ms). */
  readonly jwksTimeoutMs: number;
  /** How long SIGTERM waits for in-flight proofs before exiting anyway (ms). */
  readonly shutdownTimeoutMs: number;
  readonly logLevel: string;
}

/**
 * Thrown for an unusable configuration value (the service refuses to start; the CLI exits with 2).
 *
 * @example
 * ```ts
 * loadConfig({ CONCURRENCY: '0' }); // throws ConfigError: invalid configuration CONCURRENCY: must be an integer >= 1
 * ```
 */
export class ConfigError extends Error {
  constructor(name: string, reason: string) {
    super(`invalid configuration ${name}: ${reason}`);
    this.name = 'ConfigError';
  }
}

/**
 * Defaults (documented in the README): a loopback, single-worker instance of the smallest tier that
 * refuses every issuer and every client id until some are configured, with a 60 s clock skew and 20 proofs
 * per subject / 120 per address per hour.
 *
 * @example
 * ```ts
 * const service = createProverService({
 *   ...DEFAULT_CONFIG,
 *   port: 0,
 *   issuers: [{ issuer: 'https://accounts.google.com' }],
 *   audiences: [{ audience: '123-abc.apps.googleusercontent.com', issuer: 'https://accounts.google.com' }],
 * });
 * ```
 */
export const DEFAULT_CONFIG: ProverConfig = Object.freeze({
  port: 8090,
  host: '127.0.0.1',
  issuers: [],
  audiences: [],
  clockSkewSeconds: 60,
  rateWindowSeconds: 3600,
  ratePerSubject: 20,
  ratePerAddress: 120,
  trustProxy: false,
  tiers: [TIERS[0]?.maxSignedBytes ?? 1024],
  concurrency: Math.max(1, Math.floor(availableParallelism() / 8)),
  queueSize: 16,
  timeoutMs: 300_000,
  maxExpirySeconds: 30 * 24 * 3600,
  maxBodyBytes: 16 * 1024,
  cacheDir: defaultCacheDir(),
  jwksTtlMs: 10 * 60_000,
  jwksMinRefetchMs: 30_000,
  jwksTimeoutMs: 5_000,
  shutdownTimeoutMs: 600_000,
  logLevel: 'info',
});

/**
 * Parses the issuer allow-list: comma-separated entries `issuer` or `issuer=jwksUri`, or a JSON object
 * `{ "issuer": "jwksUri" | null }`. Issuers are normalised (protocol §4).
 *
 * @example
 * ```ts
 * parseIssuers('https://accounts.google.com, http://127.0.0.1:9000=http://127.0.0.1:9000/jwks');
 * // [{ issuer: 'https://accounts.google.com' }, { issuer: 'http://127.0.0.1:9000', jwksUri: 'http://127.0.0.1:9000/jwks' }]
 * ```
 */
export function parseIssuers(text: string): AllowedIssuer[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new ConfigError('ZKSSO_PROVER_ISSUERS', 'not valid JSON');
    }
    return Object.entries(parsed as Record<string, unknown>).map(([issuer, uri]) => {
      if (uri !== null && typeof uri !== 'string') {
        throw new ConfigError('ZKSSO_PROVER_ISSUERS', `JWKS URI of ${issuer} must be a string or null`);
      }
      return makeIssuer(issuer, uri ?? undefined);
    });
  }
  return trimmed
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      // Split at the first '=' that follows the issuer: issuers carry none, JWKS URIs may (queries).
      const eq = entry.indexOf('=');
      return eq < 0 ? makeIssuer(entry) : makeIssuer(entry.slice(0, eq).trim(), entry.slice(eq + 1).trim());
    });
}

/**
 * Parses the audience allow-list: comma-separated client ids accepted for every allowed issuer, or a JSON
 * object `{ "issuer": ["clientId", ...] }` binding client ids to one issuer each (normalised, protocol §4).
 * Every issuer named must be on the issuer allow-list.
 *
 * @example
 * ```ts
 * parseAudiences('zksso-dev, my-app', []); // [{ audience: 'zksso-dev' }, { audience: 'my-app' }]
 * parseAudiences('{"accounts.google.com": ["123.apps.googleusercontent.com"]}', [{ issuer: 'https://accounts.google.com' }]);
 * // [{ audience: '123.apps.googleusercontent.com', issuer: 'https://accounts.google.com' }]
 * ```
 */
export function parseAudiences(text: string, issuers: readonly AllowedIssuer[]): AllowedAudience[] {
  const name = 'ZKSSO_PROVER_AUDIENCES';
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (!trimmed.startsWith('{')) {
    return trimmed
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '')
      .map((audience) => ({ audience }));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    throw new ConfigError(name, 'not valid JSON');
  }
  const known = new Set(issuers.map((i) => i.issuer));
  return Object.entries(parsed as Record<string, unknown>).flatMap(([rawIssuer, list]) => {
    const issuer = normalizeIssuer(rawIssuer);
    // A binding for an issuer that is refused anyway is a typo waiting to confuse someone.
    if (!known.has(issuer)) throw new ConfigError(name, `${issuer} is not in ZKSSO_PROVER_ISSUERS`);
    if (!Array.isArray(list) || list.some((a) => typeof a !== 'string' || a.trim() === '')) {
      throw new ConfigError(name, `the client ids of ${issuer} must be an array of non-empty strings`);
    }
    return (list as string[]).map((audience) => ({ audience: audience.trim(), issuer }));
  });
}

function bool(env: Record<string, string | undefined>, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, `expected true or false, got ${env[name]}`);
}

function makeIssuer(issuer: string, jwksUri?: string): AllowedIssuer {
  if (issuer === '') throw new ConfigError('ZKSSO_PROVER_ISSUERS', 'empty issuer');
  if (jwksUri !== undefined) checkUrl('ZKSSO_PROVER_ISSUERS', jwksUri);
  return jwksUri === undefined
    ? { issuer: normalizeIssuer(issuer) }
    : { issuer: normalizeIssuer(issuer), jwksUri };
}

function checkUrl(name: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, `${value} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ConfigError(name, `${value} is not http(s)`);
}

function keysDir(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const dir = resolve(raw.trim());
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    throw new ConfigError('ZKSSO_PROVER_KEYS_DIR', `${dir} does not exist`);
  }
  if (!isDirectory) throw new ConfigError('ZKSSO_PROVER_KEYS_DIR', `${dir} is not a folder`);
  return dir;
}

function int(env: Record<string, string | undefined>, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `expected a non-negative integer, got ${raw}`);
  const value = Number(raw.trim());
  if (!Number.isSafeInteger(value) || value < min)
    throw new ConfigError(name, `must be an integer >= ${min}`);
  return value;
}

/**
 * Reads the configuration from environment variables, with {@link DEFAULT_CONFIG} for anything unset:
 * PORT, HOST, ZKSSO_PROVER_ISSUERS, ZKSSO_PROVER_AUDIENCES, CLOCK_SKEW_SECONDS, RATE_WINDOW_SECONDS,
 * RATE_PER_SUBJECT, RATE_PER_ADDRESS, TRUST_PROXY, ZKSSO_PROVER_TIERS (comma-separated tier ids), CONCURRENCY, QUEUE_SIZE,
 * TIMEOUT_MS, MAX_EXPIRY_SECONDS, MAX_BODY_BYTES, ZKSSO_CACHE_DIR, ZKSSO_PROVER_KEYS_DIR (must be an existing
 * folder; its files are checked when the service starts), JWKS_TTL_MS, JWKS_MIN_REFETCH_MS, JWKS_TIMEOUT_MS,
 * SHUTDOWN_TIMEOUT_MS, LOG_LEVEL.
 *
 * @example
 * ```ts
 * const config = loadConfig({ ZKSSO_PROVER_ISSUERS: 'https://accounts.google.com', CONCURRENCY: '2' });
 * config.concurrency; // 2
 * ```
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): ProverConfig {
  const d = DEFAULT_CONFIG;
  const tiersText = env.ZKSSO_PROVER_TIERS?.trim();
  const tiers = tiersText
    ? tiersText.split(',').map((t) => {
        const value = Number(t.trim());
        if (!/^\d+$/.test(t.trim()) || value <= 0 || value > 0xffff) {
          throw new ConfigError('ZKSSO_PROVER_TIERS', `${t} is not a tier (uint16)`);
        }
        return value;
      })
    : d.tiers;
  const issuers = parseIssuers(env.ZKSSO_PROVER_ISSUERS ?? '');
  return {
    port: int(env, 'PORT', d.port, 0),
    host: env.HOST?.trim() || d.host,
    issuers,
    audiences: parseAudiences(env.ZKSSO_PROVER_AUDIENCES ?? '', issuers),
    clockSkewSeconds: int(env, 'CLOCK_SKEW_SECONDS', d.clockSkewSeconds, 0),
    rateWindowSeconds: int(env, 'RATE_WINDOW_SECONDS', d.rateWindowSeconds, 1),
    ratePerSubject: int(env, 'RATE_PER_SUBJECT', d.ratePerSubject, 0),
    ratePerAddress: int(env, 'RATE_PER_ADDRESS', d.ratePerAddress, 0),
    trustProxy: bool(env, 'TRUST_PROXY', d.trustProxy),
    tiers: [...new Set(tiers)].sort((a, b) => a - b),
    concurrency: int(env, 'CONCURRENCY', d.concurrency, 1),
    queueSize: int(env, 'QUEUE_SIZE', d.queueSize, 0),
    timeoutMs: int(env, 'TIMEOUT_MS', d.timeoutMs, 1),
    maxExpirySeconds: int(env, 'MAX_EXPIRY_SECONDS', d.maxExpirySeconds, 1),
    maxBodyBytes: int(env, 'MAX_BODY_BYTES', d.maxBodyBytes, 1024),
    cacheDir: env.ZKSSO_CACHE_DIR?.trim() || d.cacheDir,
    keysDir: keysDir(env.ZKSSO_PROVER_KEYS_DIR),
    jwksTtlMs: int(env, 'JWKS_TTL_MS', d.jwksTtlMs, 0),
    jwksMinRefetchMs: int(env, 'JWKS_MIN_REFETCH_MS', d.jwksMinRefetchMs, 0),
    jwksTimeoutMs: int(env, 'JWKS_TIMEOUT_MS', d.jwksTimeoutMs, 1),
    shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', d.shutdownTimeoutMs, 0),
    logLevel: env.LOG_LEVEL?.trim() || d.logLevel,
  };
}
