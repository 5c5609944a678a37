import { utf8ToBytes } from './encoding.ts';
import { ClaimTooLongError, ZkSsoError } from './errors.ts';
import { bytesToBigInt } from './field.ts';
import { POSEIDON_MAX_INPUTS, poseidonHash } from './poseidon.ts';

/**
 * Bytes per chunk: the most whole bytes that fit below the BN254 modulus.
 * @example
 * ```ts
 * packBytes(bytes, 4 * BYTES_PER_CHUNK).length; // 4
 * ```
 */
export const BYTES_PER_CHUNK = 31;
/**
 * Maximum length in bytes of the key claim name (`sub` or `email`); 1 chunk (protocol §2).
 * @example
 * ```ts
 * hashBytes('sub', MAX_KEY_CLAIM_NAME_LENGTH);
 * ```
 */
export const MAX_KEY_CLAIM_NAME_LENGTH = 31;
/**
 * Maximum length in bytes of the key claim value; 4 chunks (protocol §2).
 * @example
 * ```ts
 * hashBytes(sub, MAX_KEY_CLAIM_VALUE_LENGTH);
 * ```
 */
export const MAX_KEY_CLAIM_VALUE_LENGTH = 124;
/**
 * Maximum length in bytes of `aud`; 4 chunks (protocol §2).
 * @example
 * ```ts
 * hashBytes(aud, MAX_AUD_LENGTH);
 * ```
 */
export const MAX_AUD_LENGTH = 124;
/**
 * Maximum length in bytes of the normalised issuer; 4 chunks (protocol §2).
 * @example
 * ```ts
 * hashBytes(normalizeIssuer(iss), MAX_ISS_LENGTH); // = hashIssuer(iss)
 * ```
 */
export const MAX_ISS_LENGTH = 124;

/**
 * `maxLen` is not a positive multiple of 31 small enough for Poseidon (at most 15 chunks + the length).
 *
 * @example
 * ```ts
 * packBytes(new Uint8Array(), 30); // throws InvalidMaxLengthError (code INVALID_MAX_LENGTH)
 * ```
 */
export class InvalidMaxLengthError extends ZkSsoError {
  constructor(maxLen: number) {
    super('INVALID_MAX_LENGTH', `maxLen must be a positive multiple of 31 up to 465, got ${maxLen}`, {
      details: { maxLen },
    });
  }
}

function checkMaxLen(maxLen: number): void {
  if (
    !Number.isSafeInteger(maxLen) ||
    maxLen <= 0 ||
    maxLen % BYTES_PER_CHUNK !== 0 ||
    maxLen / BYTES_PER_CHUNK > POSEIDON_MAX_INPUTS - 1
  ) {
    throw new InvalidMaxLengthError(maxLen);
  }
}

/**
 * Zero-pads `bytes` to `maxLen` and splits it into `maxLen / 31` chunks of 31 bytes, each read as a
 * big-endian integer (protocol §2).
 *
 * @throws {ClaimTooLongError} when `bytes.length > maxLen`.
 * @example
 * ```ts
 * packBytes(new TextEncoder().encode('sub'), 31); // [0x737562n << 224n]
 * ```
 */
export function packBytes(bytes: Uint8Array, maxLen: number, claim = 'value'): bigint[] {
  checkMaxLen(maxLen);
  if (bytes.length > maxLen) throw new ClaimTooLongError(claim, bytes.length, maxLen);
  const padded = new Uint8Array(maxLen);
  padded.set(bytes);
  const chunks: bigint[] = [];
  for (let i = 0; i < maxLen; i += BYTES_PER_CHUNK) {
    chunks.push(bytesToBigInt(padded.subarray(i, i + BYTES_PER_CHUNK)));
  }
  return chunks;
}

/**
 * `hashBytes(bytes, maxLen) = Poseidon_{k+1}(chunk_0, ..., chunk_{k-1}, len)` with k = maxLen / 31
 * (protocol §2). A string is hashed as its UTF-8 bytes.
 *
 * @throws {ClaimTooLongError} when the value is longer than `maxLen` bytes.
 * @example
 * ```ts
 * const audHash = hashBytes('my-client-id.apps.googleusercontent.com', MAX_AUD_LENGTH);
 * ```
 */
export function hashBytes(value: Uint8Array | string, maxLen: number, claim = 'value'): bigint {
  const bytes = typeof value === 'string' ? utf8ToBytes(value) : value;
  const chunks = packBytes(bytes, maxLen, claim);
  return poseidonHash([...chunks, BigInt(bytes.length)]);
}
