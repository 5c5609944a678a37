import type { Hex } from 'viem';
import { base64UrlToBytes, bytesToBase64Url } from './encoding.ts';
import { type EphemeralPublicKey, ephemeralKeyId, splitKeyId } from './ephemeral-key.ts';
import { NonceMalformedError } from './errors.ts';
import { assertInRange, FIELD_MODULUS, fromBytes32, toBytes32 } from './field.ts';
import { poseidonHash } from './poseidon.ts';

/**
 * Exclusive upper bound of `expiry` (unix seconds; uint48): `0 < expiry < 2^48` (protocol §6).
 * @example
 * ```ts
 * assertInRange(expiry, 1n, EXPIRY_MAX, 'expiry');
 * ```
 */
export const EXPIRY_MAX = 2n ** 48n;
/**
 * Exclusive upper bound of the nonce randomness: `0 <= randomness < 2^128` (protocol §6).
 * @example
 * ```ts
 * generateRandomness() < RANDOMNESS_MAX; // true
 * ```
 */
export const RANDOMNESS_MAX = 2n ** 128n;
/**
 * Length of an encoded nonce: base64url without padding of 32 bytes.
 * @example
 * ```ts
 * computeNonce(input).length === NONCE_LENGTH; // true
 * ```
 */
export const NONCE_LENGTH = 43;

/**
 * What a nonce commits to: the ephemeral key (or its keyId), its expiry and fresh randomness.
 * @example
 * ```ts
 * const input: NonceInput = { keyId: ephemeralKeyId(key), expiry: 1_900_000_000n, randomness: generateRandomness() };
 * computeNonce(input);
 * ```
 */
export type NonceInput = ({ ephemeralPublicKey: EphemeralPublicKey } | { keyId: Hex }) & {
  /** Unix seconds after which the ephemeral key is no longer accepted; `0 < expiry < 2^48`. */
  expiry: bigint;
  /** Fresh per login; `0 <= randomness < 2^128`. */
  randomness: bigint;
};

/**
 * `nonceField = Poseidon_4(ephHi, ephLo, expiry, randomness)` (protocol §6).
 *
 * @throws {OutOfRangeError} when expiry or randomness is out of range.
 * @example
 * ```ts
 * const field = computeNonceField({ ephemeralPublicKey, expiry: 1_900_000_000n, randomness });
 * ```
 */
export function computeNonceField(input: NonceInput): bigint {
  assertInRange(input.expiry, 1n, EXPIRY_MAX, 'expiry');
  assertInRange(input.randomness, 0n, RANDOMNESS_MAX, 'randomness');
  const keyId = 'keyId' in input ? input.keyId : ephemeralKeyId(input.ephemeralPublicKey);
  const { hi, lo } = splitKeyId(keyId);
  return poseidonHash([hi, lo, input.expiry, input.randomness]);
}

/**
 * The OpenID `nonce` string: `base64url_nopad(be32(nonceField))`, always 43 characters (protocol §6).
 *
 * @example
 * ```ts
 * const nonce = computeNonce({ ephemeralPublicKey, expiry, randomness: generateRandomness() });
 * // put `nonce` in the authorization request
 * ```
 */
export function computeNonce(input: NonceInput): string {
  return bytesToBase64Url(toBytes32(computeNonceField(input)));
}

const NONCE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Decodes a nonce back into its field element, refusing anything {@link computeNonce} could not produce.
 *
 * @throws {NonceMalformedError} on a wrong length, a character outside base64url, non-zero trailing bits or
 * a value not below the field modulus.
 * @example
 * ```ts
 * decodeNonce(computeNonce(input)) === computeNonceField(input); // true
 * ```
 */
export function decodeNonce(nonce: string): bigint {
  if (typeof nonce !== 'string') throw new NonceMalformedError('not a string');
  if (nonce.length !== NONCE_LENGTH) throw new NonceMalformedError(`length ${nonce.length}, expected 43`);
  if (!NONCE_PATTERN.test(nonce)) throw new NonceMalformedError('character outside the base64url alphabet');
  let bytes: Uint8Array;
  try {
    bytes = base64UrlToBytes(nonce);
  } catch {
    // 43 characters carry 258 bits; the last 2 must be zero for the one canonical encoding of 32 bytes.
    throw new NonceMalformedError('non-canonical trailing bits');
  }
  const value = fromBytes32(bytes);
  if (value >= FIELD_MODULUS) throw new NonceMalformedError('value is not below the field modulus');
  return value;
}

/**
 * 128 bits of fresh randomness for a nonce, from `crypto.getRandomValues` (browser and Node).
 *
 * @example
 * ```ts
 * const randomness = generateRandomness(); // 0n <= randomness < 2n ** 128n
 * ```
 */
export function generateRandomness(): bigint {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}
