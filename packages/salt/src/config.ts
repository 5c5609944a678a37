import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { normalizeIssuer } from '@zksso/core';
import { SaltError } from './errors.ts';

/** Settings of the salt service. Every field has an environment variable (see README). */
export type SaltConfig = {
  host: string;
  port: number;
  mode: 'derived' | 'stored';
  /** Derived mode: the master seed (>= 32 bytes). */
  masterSeed: Uint8Array | undefined;
  store: 'sqlite' | 'postgres';
  sqlitePath: string;
  databaseUrl: string | undefined;
  /** Normalised issuers whose tokens are accepted. */
  issuers: string[];
  /** JWKS URI per normalised issuer; issuers missing here use OpenID discovery. */
  jwksUris: Record<string, string>;
  audiences: string[];
  /** Whether a request may ask for `keyClaimName: 'email'` (only with `email_verified` true). */
  allowEmailKeyClaim: boolean;
  clockToleranceSeconds: number;
  jwksCacheMaxAgeMs: number;
  jwksCooldownMs: number;
  jwksTimeoutMs: number;
  ipRatePerMinute: number;
  ipBurst: number;
  subjectRatePerMinute: number;
  subjectBurst: number;
  maxInFlight: number;
  maxBodyBytes: number;
  trustProxy: boolean;
  shutdownTimeoutMs: number;
  logLevel: string;
};

function defaultDataDir(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_DATA_HOME ?? join(env.HOME ?? homedir(), '.local', 'share'), 'zksso');
}

function list(value: string | undefined, fallback: string[]): string[] {
  if (value === undefined) return fallback;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new SaltError('CONFIG_INVALID', `${name} must be an integer >= ${min}`, { details: { name } });
  }
  return value;
}

function seedFrom(env: NodeJS.ProcessEnv): Uint8Array | undefined {
  const hex =
    env.SALT_MASTER_SEED ??
    (env.SALT_MASTER_SEED_FILE ? readFileSync(env.SALT_MASTER_SEED_FILE, 'utf8') : undefined);
  if (hex === undefined) return undefined;
  const clean = hex.trim().replace(/^0x/, '');
  if (!/^[0-9a-fA-F]*$/.test(clean) || clean.length < 64 || clean.length % 2 !== 0) {
    throw new SaltError('CONFIG_INVALID', 'the master seed must be at least 32 bytes of hex', {
      details: { name: 'SALT_MASTER_SEED' },
    });
  }
  return Buffer.from(clean, 'hex');
}

/**
 * Reads the configuration from environment variables, with the documented defaults.
 *
 * @example
 * ```ts
 * const config = loadConfig({ SALT_MODE: 'derived', SALT_MASTER_SEED: '0x…', SALT_AUDIENCES: 'my-client-id' });
 * ```
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): SaltConfig {
  const mode = env.SALT_MODE ?? 'stored';
  if (mode !== 'derived' && mode !== 'stored') {
    throw new SaltError('CONFIG_INVALID', 'SALT_MODE must be derived or stored', {
      details: { name: 'SALT_MODE' },
    });
  }
  const store = env.SALT_STORE ?? (env.SALT_DATABASE_URL ? 'postgres' : 'sqlite');
  if (store !== 'sqlite' && store !== 'postgres') {
    throw new SaltError('CONFIG_INVALID', 'SALT_STORE must be sqlite or postgres', {
      details: { name: 'SALT_STORE' },
    });
  }
  const masterSeed = seedFrom(env);
  if (mode === 'derived' && !masterSeed) {
    throw new SaltError('CONFIG_INVALID', 'derived mode needs SALT_MASTER_SEED or SALT_MASTER_SEED_FILE');
  }
  if (store === 'postgres' && mode === 'stored' && !env.SALT_DATABASE_URL) {
    throw new SaltError('CONFIG_INVALID', 'the postgres store needs SALT_DATABASE_URL');
  }
  const jwksUris: Record<string, string> = {};
  for (const entry of list(env.SALT_JWKS_URIS, [])) {
    const at = entry.indexOf('=');
    if (at < 1) throw new SaltError('CONFIG_INVALID', 'SALT_JWKS_URIS entries are <issuer>=<jwks uri>');
    jwksUris[normalizeIssuer(entry.slice(0, at))] = entry.slice(at + 1);
  }
  return {
    host: env.SALT_HOST ?? '127.0.0.1',
    port: integer(env, 'SALT_PORT', 18810),
    mode,
    masterSeed,
    store,
    sqlitePath: env.SALT_SQLITE_PATH ?? join(defaultDataDir(env), 'salt.sqlite'),
    databaseUrl: env.SALT_DATABASE_URL,
    issuers: list(env.SALT_ISSUERS, ['http://127.0.0.1:18800']).map(normalizeIssuer),
    jwksUris,
    audiences: list(env.SALT_AUDIENCES, ['zksso-dev']),
    allowEmailKeyClaim: (env.SALT_ALLOW_EMAIL_KEY_CLAIM ?? 'true') === 'true',
    clockToleranceSeconds: integer(env, 'SALT_CLOCK_TOLERANCE_S', 30),
    jwksCacheMaxAgeMs: integer(env, 'SALT_JWKS_CACHE_MAX_AGE_MS', 600_000),
    jwksCooldownMs: integer(env, 'SALT_JWKS_COOLDOWN_MS', 30_000),
    jwksTimeoutMs: integer(env, 'SALT_JWKS_TIMEOUT_MS', 5_000, 1),
    ipRatePerMinute: integer(env, 'SALT_RATE_IP_PER_MIN', 60, 1),
    ipBurst: integer(env, 'SALT_RATE_IP_BURST', 20, 1),
    subjectRatePerMinute: integer(env, 'SALT_RATE_SUBJECT_PER_MIN', 10, 1),
    subjectBurst: integer(env, 'SALT_RATE_SUBJECT_BURST', 5, 1),
    maxInFlight: integer(env, 'SALT_MAX_IN_FLIGHT', 64, 1),
    maxBodyBytes: integer(env, 'SALT_MAX_BODY_BYTES', 16_384, 1),
    trustProxy: env.SALT_TRUST_PROXY === 'true',
    shutdownTimeoutMs: integer(env, 'SALT_SHUTDOWN_TIMEOUT_MS', 10_000),
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
