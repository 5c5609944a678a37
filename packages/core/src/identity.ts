import { assertInRange } from './field.ts';
import {
  hashBytes,
  MAX_AUD_LENGTH,
  MAX_KEY_CLAIM_NAME_LENGTH,
  MAX_KEY_CLAIM_VALUE_LENGTH,
} from './hash-bytes.ts';
import { hashIssuer } from './issuer.ts';
import { poseidonHash } from './poseidon.ts';

/**
 * Exclusive upper bound of a user salt: `0 <= salt < 2^128` (protocol §4).
 * @example
 * ```ts
 * const salt = parseBigIntInRange(input, 0n, SALT_MAX, 'salt');
 * ```
 */
export const SALT_MAX = 2n ** 128n;

/**
 * `saltHash = Poseidon_1(salt)` (protocol §4).
 *
 * @throws {OutOfRangeError} unless `0 <= salt < 2^128`.
 * @example
 * ```ts
 * const saltHash = hashSalt(123456789n);
 * ```
 */
export function hashSalt(salt: bigint): bigint {
  assertInRange(salt, 0n, SALT_MAX, 'salt');
  return poseidonHash([salt]);
}

/**
 * The inputs of the identity commitment (protocol §4).
 * @example
 * ```ts
 * const input: IdentityCommitmentInput = { ...extractIdentityClaims(decodeJwt(jwt)), salt };
 * computeIdentityCommitment(input);
 * ```
 */
export type IdentityCommitmentInput = {
  /** `sub` or `email` (any name up to 31 bytes is hashed; the JWT checks restrict it). */
  keyClaimName: string;
  /** The claim value, exactly as between the quotes in the JWT payload. */
  keyClaimValue: string;
  /** The `aud` claim (a single string). */
  aud: string;
  /** The issuer; normalised here (protocol §3). */
  iss: string;
  /** The user's secret salt, `0 <= salt < 2^128`. */
  salt: bigint;
};

/**
 * `idc = Poseidon_5(hashBytes(keyClaimName, 31), hashBytes(keyClaimValue, 124), hashBytes(aud, 124),
 * issHash, Poseidon_1(salt))` (protocol §4). The issuer is normalised first.
 *
 * @throws {ClaimTooLongError} when a value exceeds its maximum length.
 * @throws {OutOfRangeError} when the salt is not below 2^128.
 * @example
 * ```ts
 * const idc = computeIdentityCommitment({
 *   keyClaimName: 'sub',
 *   keyClaimValue: '110169484474386276334',
 *   aud: 'client.apps.googleusercontent.com',
 *   iss: 'https://accounts.google.com',
 *   salt: 42n,
 * });
 * ```
 */
export function computeIdentityCommitment(input: IdentityCommitmentInput): bigint {
  const saltHash = hashSalt(input.salt);
  return poseidonHash([
    hashBytes(input.keyClaimName, MAX_KEY_CLAIM_NAME_LENGTH, 'keyClaimName'),
    hashBytes(input.keyClaimValue, MAX_KEY_CLAIM_VALUE_LENGTH, input.keyClaimName),
    hashBytes(input.aud, MAX_AUD_LENGTH, 'aud'),
    hashIssuer(input.iss),
    saltHash,
  ]);
}
