import { createHash } from 'node:crypto';
import { JwtSignatureInvalidError } from './errors.ts';

/**
 * The RSA verifier's limb layout (zk-email `RSAVerifier65537(121, 17)`): 17 limbs of 121 bits, least
 * significant first.
 *
 * @example
 * ```ts
 * const limbs = toLimbs(modulus, RSA_LIMB_BITS, RSA_LIMB_COUNT);
 * ```
 */
export const RSA_LIMB_BITS = 121;
/** Number of RSA limbs (see {@link RSA_LIMB_BITS}). */
export const RSA_LIMB_COUNT = 17;

/**
 * Splits a non-negative integer into `count` limbs of `bits` bits, least significant first.
 *
 * @example
 * ```ts
 * toLimbs(2n ** 121n + 5n, 121, 17).slice(0, 2); // [5n, 1n]
 * ```
 */
export function toLimbs(value: bigint, bits: number, count: number): bigint[] {
  const mask = (1n << BigInt(bits)) - 1n;
  const limbs: bigint[] = [];
  for (let i = 0; i < count; i++) limbs.push((value >> BigInt(bits * i)) & mask);
  if (value >> BigInt(bits * count) !== 0n)
    throw new RangeError(`value does not fit ${count} limbs of ${bits} bits`);
  return limbs;
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

// DER prefix of a SHA-256 DigestInfo (RFC 8017 §9.2).
const DIGEST_INFO_PREFIX = 0x3031300d060960864801650304020105000420n;

/**
 * Checks an RS256 (RSASSA-PKCS1-v1_5, SHA-256, e = 65537) signature over `message`, exactly as the circuit
 * does, so a bad key or signature is reported before witness generation.
 *
 * @throws {JwtSignatureInvalidError} JWT_SIGNATURE_INVALID.
 * @example
 * ```ts
 * verifyRs256(decoded.signedInput, bytesToBigInt(decoded.signature), modulusFromJwk(jwk));
 * ```
 */
export function verifyRs256(message: Uint8Array, signature: bigint, modulus: bigint): void {
  if (modulus >> 2047n !== 1n) throw new JwtSignatureInvalidError('the modulus is not 2048 bits');
  if (signature >= modulus) throw new JwtSignatureInvalidError('signature not below the modulus');
  const digest = BigInt(`0x${createHash('sha256').update(message).digest('hex')}`);
  // 0x00 01 ff..ff 00 || DigestInfo prefix (19 bytes) || digest (32 bytes), 256 bytes in all.
  const ffBytes = 256 - 3 - 19 - 32;
  const expected =
    (1n << BigInt(8 * (256 - 2))) |
    ((((1n << BigInt(8 * ffBytes)) - 1n) << BigInt(8 * (19 + 32 + 1))) |
      (DIGEST_INFO_PREFIX << 256n) |
      digest);
  if (modPow(signature, 65537n, modulus) !== expected)
    throw new JwtSignatureInvalidError('signature mismatch');
}
