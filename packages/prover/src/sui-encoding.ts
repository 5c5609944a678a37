// The integer and key encodings `POST /v1` accepts at its edge, mirroring Sui's prover: Sui takes
// `extendedEphemeralPublicKey`, `jwtRandomness` and `salt` either as a decimal BigInt string or as standard
// base64 of the big-endian bytes. zksso/v1 itself knows only 32-byte hex (protocol §1.1), so everything is
// converted to a bigint / key object here and never leaves this module in another form.
import {
  type EphemeralPublicKey,
  ephemeralKeyBytes,
  ephemeralKeyFromBytes,
  ephemeralKeyType,
  InvalidEphemeralKeyError,
  InvalidIntegerError,
  parseBigInt,
} from '@zksso/core';

/** Standard base64 (RFC 4648 §4, `+` and `/`) with its padding, as Sui's prover takes it. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DIGITS = /^[0-9]+$/;
const HEX = /^0[xX][0-9a-fA-F]+$/;
/** Longest base64 text read (88 chars = 66 bytes: an extended P-256 key); integers here are shorter. */
const MAX_BASE64_CHARS = 88;

/** How a string integer was written. */
export type IntegerEncoding = 'decimal' | 'hex' | 'base64';

/**
 * Tells how `text` is encoded. Digits only is always **decimal**, `0x` and hex digits only is **hex**;
 * anything else must be canonical, padded, standard base64. (Base64 of the 16 bytes Sui uses for salt and
 * randomness always ends in `==`, so it never looks like decimal or hex.)
 *
 * @throws {InvalidIntegerError} when it is none of the three.
 * @example
 * ```ts
 * integerEncoding('123'); // 'decimal'
 * integerEncoding('S76Qi8c/SZlmmotnFMr13Q=='); // 'base64'
 * ```
 */
export function integerEncoding(text: string, name = 'value'): IntegerEncoding {
  if (DIGITS.test(text)) return 'decimal';
  // Base64 may itself start with `0x`: only 0x followed by hex digits alone is hex.
  if (HEX.test(text)) return 'hex';
  if (text.length === 0 || text.length > MAX_BASE64_CHARS || !BASE64.test(text)) {
    throw new InvalidIntegerError(name, 'expected decimal digits, 0x-prefixed hex or padded standard base64');
  }
  // Non-zero bits in the padding make two texts for one value: refuse them (canonical encodings only).
  if (Buffer.from(text, 'base64').toString('base64') !== text) {
    throw new InvalidIntegerError(name, 'non-canonical base64 (stray bits before the padding)');
  }
  return 'base64';
}

function base64Bytes(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

/**
 * Parses a non-negative integer written in decimal, `0x` hex or standard base64 of its big-endian bytes
 * (Sui's prover accepts decimal and base64 for `jwtRandomness` and `salt`).
 *
 * @throws {InvalidIntegerError} for any other text.
 * @example
 * ```ts
 * parseSuiInteger('255'); // 255n
 * parseSuiInteger('0xff'); // 255n
 * parseSuiInteger('/w=='); // 255n
 * ```
 */
export function parseSuiInteger(text: string, name = 'value'): bigint {
  const encoding = integerEncoding(text, name);
  return encoding === 'base64' ? bytesToBigInt(base64Bytes(text)) : parseBigInt(text, name);
}

/**
 * Parses an *extended ephemeral public key*: `be_1(keyType) ‖ keyBytes` (protocol §5; the analogue of
 * Sui's `flag ‖ publicKey`), 21 bytes for secp256k1 (type 1 + address) or 65 for P-256 (type 2 + x ‖ y),
 * written as standard base64, a decimal BigInt string or `0x` hex. The leading type byte is never zero, so
 * the decimal form fixes the length.
 *
 * @throws {InvalidIntegerError} for text in none of the encodings; {@link InvalidEphemeralKeyError} for an
 * unknown type, a wrong length or a point off P-256.
 * @example
 * ```ts
 * parseExtendedEphemeralKey(Buffer.concat([Buffer.from([1]), addressBytes]).toString('base64'));
 * // { type: 'secp256k1', address: '0x…' }
 * ```
 */
export function parseExtendedEphemeralKey(text: string, name = 'ephemeralPublicKey'): EphemeralPublicKey {
  const encoding = integerEncoding(text, name);
  let bytes: Uint8Array;
  if (encoding === 'base64') bytes = base64Bytes(text);
  else {
    const value = parseBigInt(text, name);
    const hex = value.toString(16);
    bytes = new Uint8Array(Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex'));
  }
  const [keyType] = bytes;
  if (keyType === undefined) throw new InvalidEphemeralKeyError('empty extended key');
  return ephemeralKeyFromBytes(keyType, bytes.subarray(1));
}

/**
 * The extended form of a key, `be_1(keyType) ‖ keyBytes`: what {@link parseExtendedEphemeralKey} reads
 * (send it base64-encoded, like Sui's `extendedEphemeralPublicKey`).
 *
 * @example
 * ```ts
 * Buffer.from(extendedEphemeralKeyBytes({ type: 'secp256k1', address })).toString('base64'); // 28 characters
 * ```
 */
export function extendedEphemeralKeyBytes(key: EphemeralPublicKey): Uint8Array {
  return new Uint8Array([ephemeralKeyType(key), ...ephemeralKeyBytes(key)]);
}
