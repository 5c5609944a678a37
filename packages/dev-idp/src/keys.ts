import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A private RSA JWK as oidc-provider takes it (with `kid`, `alg`, `use`). */
export type PrivateJwk = {
  kty: 'RSA';
  kid: string;
  alg: 'RS256';
  use: 'sig';
  n: string;
  e: string;
  d: string;
  p: string;
  q: string;
  dp: string;
  dq: string;
  qi: string;
};

/**
 * Generates a fresh RSA-2048 (e = 65537) RS256 signing key, as zksso/v1 §7 requires.
 *
 * @example
 * ```ts
 * const jwk = generateSigningKey();
 * console.log(jwk.kid);
 * ```
 */
export function generateSigningKey(): PrivateJwk {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
  const jwk = privateKey.export({ format: 'jwk' }) as Omit<PrivateJwk, 'kid' | 'alg' | 'use'>;
  return { ...jwk, kty: 'RSA', kid: `dev-${randomBytes(8).toString('hex')}`, alg: 'RS256', use: 'sig' };
}

/**
 * Strips the private members of a JWK (what a JWKS publishes).
 *
 * @example
 * ```ts
 * const { n, e, kid } = publicJwk(generateSigningKey());
 * ```
 */
export function publicJwk(jwk: PrivateJwk): {
  kty: 'RSA';
  kid: string;
  alg: 'RS256';
  use: 'sig';
  n: string;
  e: string;
} {
  return { kty: jwk.kty, kid: jwk.kid, alg: jwk.alg, use: jwk.use, n: jwk.n, e: jwk.e };
}

const KEYS_FILE = 'signing-keys.json';

/**
 * Reads the signing keys persisted in `stateDir` (newest first), or undefined when there are none.
 *
 * @example
 * ```ts
 * const keys = loadKeys('/var/lib/dev-idp') ?? [generateSigningKey()];
 * ```
 */
export function loadKeys(stateDir: string): PrivateJwk[] | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(stateDir, KEYS_FILE), 'utf8')) as { keys: PrivateJwk[] };
    return parsed.keys.length > 0 ? parsed.keys : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Persists the signing keys to `stateDir` (mode 0600, written then renamed so a crash never leaves half a file).
 *
 * @example
 * ```ts
 * saveKeys('/var/lib/dev-idp', [generateSigningKey()]);
 * ```
 */
export function saveKeys(stateDir: string, keys: readonly PrivateJwk[]): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const tmp = join(stateDir, `${KEYS_FILE}.tmp`);
  writeFileSync(tmp, JSON.stringify({ keys }, null, 2), { mode: 0o600 });
  renameSync(tmp, join(stateDir, KEYS_FILE));
}
