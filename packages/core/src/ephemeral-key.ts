import { p256 } from '@noble/curves/nist.js';
import { type Address, getAddress, type Hex, hexToBytes, isAddress, keccak256 } from 'viem';
import { InvalidEphemeralKeyError } from './errors.ts';
import { bytesToBigInt, toBytes32 } from './field.ts';

/**
 * keyType of a secp256k1 ephemeral key, whose keyBytes are its 20-byte address (protocol §5).
 * @example
 * ```ts
 * ephemeralKeyType({ type: 'secp256k1', address }) === KEY_TYPE_SECP256K1; // true
 * ```
 */
export const KEY_TYPE_SECP256K1 = 1;
/**
 * keyType of a P-256 ephemeral key, whose keyBytes are `x ‖ y` (64 bytes; protocol §5).
 * @example
 * ```ts
 * ephemeralKeyFromBytes(KEY_TYPE_P256, xy); // { type: 'p256', x, y }
 * ```
 */
export const KEY_TYPE_P256 = 2;

/**
 * The numeric key types of protocol §5.
 * @example
 * ```ts
 * const keyType: EphemeralKeyType = ephemeralKeyType(key); // 1 or 2
 * ```
 */
export type EphemeralKeyType = typeof KEY_TYPE_SECP256K1 | typeof KEY_TYPE_P256;

/**
 * The public half of an ephemeral key: a secp256k1 key is named by its EVM address, a P-256 key by its
 * affine coordinates (protocol §5).
 * @example
 * ```ts
 * const a: EphemeralPublicKey = { type: 'secp256k1', address: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed' };
 * const b: EphemeralPublicKey = { type: 'p256', x, y };
 * ```
 */
export type EphemeralPublicKey =
  | { type: 'secp256k1'; address: Address }
  | { type: 'p256'; x: bigint; y: bigint };

/**
 * The keyType byte of an ephemeral key (1 = secp256k1, 2 = P-256).
 *
 * @example
 * ```ts
 * ephemeralKeyType({ type: 'secp256k1', address: '0x...' }); // 1
 * ```
 */
export function ephemeralKeyType(key: EphemeralPublicKey): EphemeralKeyType {
  if (key?.type === 'secp256k1') return KEY_TYPE_SECP256K1;
  if (key?.type === 'p256') return KEY_TYPE_P256;
  throw new InvalidEphemeralKeyError(`unknown key type ${String((key as { type?: unknown })?.type)}`);
}

function assertP256Point(x: bigint, y: bigint): void {
  if (typeof x !== 'bigint' || typeof y !== 'bigint')
    throw new InvalidEphemeralKeyError('x and y must be bigints');
  try {
    p256.Point.fromAffine({ x, y }).assertValidity();
  } catch {
    throw new InvalidEphemeralKeyError('(x, y) is not a point on P-256');
  }
}

/**
 * The keyBytes of an ephemeral key (protocol §5): the 20-byte address for secp256k1, `x ‖ y` (64 bytes) for
 * P-256. P-256 points are checked to lie on the curve.
 *
 * @throws {InvalidEphemeralKeyError} for a malformed address or an invalid point.
 * @example
 * ```ts
 * ephemeralKeyBytes({ type: 'secp256k1', address: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed' }).length; // 20
 * ```
 */
export function ephemeralKeyBytes(key: EphemeralPublicKey): Uint8Array {
  const type = ephemeralKeyType(key);
  if (type === KEY_TYPE_SECP256K1) {
    const { address } = key as { address: Address };
    if (typeof address !== 'string' || !isAddress(address, { strict: false })) {
      throw new InvalidEphemeralKeyError('not a 20-byte hex address');
    }
    return hexToBytes(address);
  }
  const { x, y } = key as { x: bigint; y: bigint };
  assertP256Point(x, y);
  const out = new Uint8Array(64);
  out.set(toBytes32(x), 0);
  out.set(toBytes32(y), 32);
  return out;
}

/**
 * Rebuilds an ephemeral public key from its keyType and keyBytes (the inverse of {@link ephemeralKeyBytes},
 * as read from a validator signature).
 *
 * @throws {InvalidEphemeralKeyError} for an unknown type, a wrong length or an invalid point.
 * @example
 * ```ts
 * ephemeralKeyFromBytes(1, addressBytes); // { type: 'secp256k1', address: '0x...' }
 * ```
 */
export function ephemeralKeyFromBytes(keyType: number, keyBytes: Uint8Array): EphemeralPublicKey {
  if (keyType === KEY_TYPE_SECP256K1) {
    if (keyBytes.length !== 20) throw new InvalidEphemeralKeyError('secp256k1 keyBytes must be 20 bytes');
    let hex = '0x';
    for (const b of keyBytes) hex += b.toString(16).padStart(2, '0');
    return { type: 'secp256k1', address: getAddress(hex) };
  }
  if (keyType === KEY_TYPE_P256) {
    if (keyBytes.length !== 64) throw new InvalidEphemeralKeyError('P-256 keyBytes must be 64 bytes');
    const x = bytesToBigInt(keyBytes.subarray(0, 32));
    const y = bytesToBigInt(keyBytes.subarray(32));
    assertP256Point(x, y);
    return { type: 'p256', x, y };
  }
  throw new InvalidEphemeralKeyError(`unknown keyType ${keyType}`);
}

/**
 * `keyId = keccak256(uint8 keyType ‖ keyBytes)` (protocol §5).
 *
 * @example
 * ```ts
 * const keyId = ephemeralKeyId({ type: 'p256', x, y }); // '0x…' (32 bytes)
 * ```
 */
export function ephemeralKeyId(key: EphemeralPublicKey): Hex {
  const keyBytes = ephemeralKeyBytes(key);
  const data = new Uint8Array(1 + keyBytes.length);
  data[0] = ephemeralKeyType(key);
  data.set(keyBytes, 1);
  return keccak256(data);
}

const TWO_128 = 1n << 128n;

/**
 * Splits a keyId into the two 128-bit public inputs `ephHi = keyId >> 128`, `ephLo = keyId mod 2^128`.
 *
 * @throws {InvalidEphemeralKeyError} unless keyId is `0x` + 64 hex digits.
 * @example
 * ```ts
 * const { hi, lo } = splitKeyId(ephemeralKeyId(key));
 * ```
 */
export function splitKeyId(keyId: Hex): { hi: bigint; lo: bigint } {
  if (typeof keyId !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(keyId)) {
    throw new InvalidEphemeralKeyError('keyId must be 0x followed by 64 hex digits');
  }
  const v = BigInt(keyId);
  return { hi: v >> 128n, lo: v & (TWO_128 - 1n) };
}

/**
 * Joins `ephHi` and `ephLo` back into a keyId (the inverse of {@link splitKeyId}).
 *
 * @throws {InvalidEphemeralKeyError} unless both halves are below 2^128.
 * @example
 * ```ts
 * joinKeyId(splitKeyId(keyId)) === keyId.toLowerCase(); // true
 * ```
 */
export function joinKeyId(parts: { hi: bigint; lo: bigint }): Hex {
  const { hi, lo } = parts;
  if (hi < 0n || hi >= TWO_128 || lo < 0n || lo >= TWO_128) {
    throw new InvalidEphemeralKeyError('ephHi and ephLo must each be below 2^128');
  }
  return `0x${((hi << 128n) | lo).toString(16).padStart(64, '0')}`;
}
