import { base64UrlToBytes } from './encoding.ts';
import { UnsupportedJwkError } from './errors.ts';
import { assertInRange, bytesToBigInt } from './field.ts';
import { poseidonHash } from './poseidon.ts';

/**
 * Number of 128-bit limbs of an RSA-2048 modulus (protocol §7).
 * @example
 * ```ts
 * modulusLimbs(n).length === MODULUS_LIMB_COUNT; // true
 * ```
 */
export const MODULUS_LIMB_COUNT = 16;
/**
 * Bits per modulus limb (protocol §7).
 * @example
 * ```ts
 * modulusLimbs(n).every((limb) => limb < 1n << BigInt(MODULUS_LIMB_BITS)); // true
 * ```
 */
export const MODULUS_LIMB_BITS = 128;
/**
 * The only RSA modulus size zksso/v1 supports.
 * @example
 * ```ts
 * modulusFromJwk(jwk).toString(2).length === RSA_MODULUS_BITS; // true
 * ```
 */
export const RSA_MODULUS_BITS = 2048;

const LIMB_MASK = (1n << 128n) - 1n;

/**
 * Splits an RSA modulus into 16 limbs of 128 bits, most significant first:
 * `n = Σ l_i · 2^(128·(15−i))` (protocol §7).
 *
 * @throws {OutOfRangeError} unless `0 < n < 2^2048`.
 * @example
 * ```ts
 * modulusLimbs(n).length; // 16
 * ```
 */
export function modulusLimbs(n: bigint): bigint[] {
  assertInRange(n, 1n, 1n << BigInt(RSA_MODULUS_BITS), 'modulus');
  const limbs: bigint[] = [];
  for (let i = MODULUS_LIMB_COUNT - 1; i >= 0; i--) {
    limbs.push((n >> BigInt(MODULUS_LIMB_BITS * i)) & LIMB_MASK);
  }
  return limbs;
}

/**
 * `modulusHash = Poseidon_16(l_0, ..., l_15)` of the modulus limbs (protocol §7).
 *
 * @example
 * ```ts
 * const modulusHash = modulusHash(modulusFromJwk(googleJwk));
 * ```
 */
export function modulusHash(n: bigint): bigint {
  return poseidonHash(modulusLimbs(n));
}

/**
 * The members of a JWK that {@link modulusFromJwk} reads.
 * @example
 * ```ts
 * const jwk: RsaJwk = { kty: 'RSA', alg: 'RS256', e: 'AQAB', n: '…' };
 * modulusFromJwk(jwk);
 * ```
 */
export type RsaJwk = { kty: string; n: string; e: string; alg?: string; [member: string]: unknown };

/**
 * Reads the modulus of an RSA public JWK, checking it is usable by zksso/v1: `kty` RSA, `alg` RS256 when
 * present, `e` = AQAB (65537) and a modulus of exactly 2048 bits (protocol §7).
 *
 * @throws {UnsupportedJwkError} otherwise (code JWK_UNSUPPORTED, `details.reason` says why).
 * @example
 * ```ts
 * const jwks = await (await fetch('https://www.googleapis.com/oauth2/v3/certs')).json();
 * const n = modulusFromJwk(jwks.keys[0]);
 * ```
 */
export function modulusFromJwk(jwk: RsaJwk): bigint {
  if (jwk === null || typeof jwk !== 'object') throw new UnsupportedJwkError('not an object');
  if (jwk.kty !== 'RSA') throw new UnsupportedJwkError('kty must be RSA', { kty: jwk.kty });
  if (jwk.alg !== undefined && jwk.alg !== 'RS256') {
    throw new UnsupportedJwkError('alg must be RS256', { alg: jwk.alg });
  }
  if (jwk.e !== 'AQAB') throw new UnsupportedJwkError('e must be 65537 (AQAB)', { e: jwk.e });
  if (typeof jwk.n !== 'string') throw new UnsupportedJwkError('n must be a base64url string');
  let bytes: Uint8Array;
  try {
    bytes = base64UrlToBytes(jwk.n);
  } catch (cause) {
    throw new UnsupportedJwkError('n is not valid base64url', { cause: String(cause) });
  }
  const n = bytesToBigInt(bytes);
  const bits = n.toString(2).length;
  if (n === 0n || bits !== RSA_MODULUS_BITS) {
    throw new UnsupportedJwkError('modulus must be 2048 bits', { bits: n === 0n ? 0 : bits });
  }
  return n;
}
