import { InvalidIntegerError, InvalidLengthError, OutOfRangeError } from './errors.ts';

/**
 * The BN254 scalar field modulus r (the field F of protocol §1; circom's `p`).
 *
 * @example
 * ```ts
 * isFieldElement(FIELD_MODULUS - 1n); // true
 * ```
 */
export const FIELD_MODULUS = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

const TWO_256 = 1n << 256n;

/**
 * Throws {@link OutOfRangeError} unless `min <= value < maxExclusive`.
 *
 * @example
 * ```ts
 * assertInRange(5n, 0n, 2n ** 128n, 'salt'); // ok
 * assertInRange(-1n, 0n, 2n ** 128n, 'salt'); // throws OUT_OF_RANGE
 * ```
 */
export function assertInRange(value: bigint, min: bigint, maxExclusive: bigint, name: string): void {
  if (typeof value !== 'bigint')
    throw new InvalidIntegerError(name, `expected a bigint, got ${typeof value}`);
  if (value < min || value >= maxExclusive) throw new OutOfRangeError(name, min, maxExclusive);
}

/**
 * True when `value` is a canonical field element (`0 <= value < FIELD_MODULUS`).
 *
 * @example
 * ```ts
 * isFieldElement(FIELD_MODULUS); // false
 * ```
 */
export function isFieldElement(value: bigint): boolean {
  return typeof value === 'bigint' && value >= 0n && value < FIELD_MODULUS;
}

/**
 * Throws {@link OutOfRangeError} unless `value` is a canonical field element.
 *
 * @example
 * ```ts
 * assertFieldElement(1n, 'idc'); // ok
 * ```
 */
export function assertFieldElement(value: bigint, name = 'value'): void {
  assertInRange(value, 0n, FIELD_MODULUS, name);
}

/**
 * Encodes an unsigned integer below 2^256 as 32 bytes big-endian (protocol §1).
 *
 * @example
 * ```ts
 * toBytes32(1n); // Uint8Array [0, ..., 0, 1]
 * ```
 */
export function toBytes32(x: bigint): Uint8Array<ArrayBuffer> {
  assertInRange(x, 0n, TWO_256, 'value');
  const out = new Uint8Array(32);
  let v = x;
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/**
 * Decodes 32 bytes big-endian into an unsigned integer (inverse of {@link toBytes32}).
 *
 * @example
 * ```ts
 * fromBytes32(toBytes32(42n)); // 42n
 * ```
 */
export function fromBytes32(bytes: Uint8Array): bigint {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 32) {
    throw new InvalidLengthError('bytes32', bytes?.length ?? 0, '32 bytes');
  }
  return bytesToBigInt(bytes);
}

/**
 * Interprets any number of bytes as a big-endian unsigned integer (empty → 0n).
 *
 * @example
 * ```ts
 * bytesToBigInt(new Uint8Array([1, 0])); // 256n
 * ```
 */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/**
 * Encodes an unsigned integer below 2^256 as `0x` + 64 lowercase hex digits (protocol §1, JSON form).
 *
 * @example
 * ```ts
 * toHex32(255n); // '0x00000000000000000000000000000000000000000000000000000000000000ff'
 * ```
 */
export function toHex32(x: bigint): `0x${string}` {
  assertInRange(x, 0n, TWO_256, 'value');
  return `0x${x.toString(16).padStart(64, '0')}`;
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;
const HEX = /^0[xX][0-9a-fA-F]+$/;

/**
 * Parses a non-negative integer given as a bigint, a decimal string (Sui-style APIs) or a `0x` hex string.
 * Rejects signs, whitespace, empty strings, leading zeros in decimal and numbers (JS numbers lose precision).
 *
 * @example
 * ```ts
 * parseBigInt('0x10'); // 16n
 * parseBigInt('16'); // 16n
 * ```
 */
export function parseBigInt(value: bigint | string, name = 'value'): bigint {
  if (typeof value === 'bigint') {
    if (value < 0n) throw new InvalidIntegerError(name, 'negative');
    return value;
  }
  if (typeof value !== 'string') {
    throw new InvalidIntegerError(name, `expected a bigint or string, got ${typeof value}`);
  }
  if (value.length > 2 + 80) throw new InvalidIntegerError(name, 'too many digits');
  if (HEX.test(value)) return BigInt(`0x${value.slice(2)}`);
  if (DECIMAL.test(value)) return BigInt(value);
  throw new InvalidIntegerError(name, 'expected decimal digits or 0x-prefixed hex');
}

/**
 * Parses like {@link parseBigInt} and checks the result is a canonical field element (< FIELD_MODULUS).
 *
 * @example
 * ```ts
 * parseFieldElement('0x01', 'idc'); // 1n
 * ```
 */
export function parseFieldElement(value: bigint | string, name = 'value'): bigint {
  const v = parseBigInt(value, name);
  assertFieldElement(v, name);
  return v;
}

/**
 * Parses like {@link parseBigInt} and checks `min <= result < maxExclusive`.
 *
 * @example
 * ```ts
 * parseBigIntInRange('123', 0n, 2n ** 128n, 'salt'); // 123n
 * ```
 */
export function parseBigIntInRange(
  value: bigint | string,
  min: bigint,
  maxExclusive: bigint,
  name = 'value',
): bigint {
  const v = parseBigInt(value, name);
  assertInRange(v, min, maxExclusive, name);
  return v;
}
