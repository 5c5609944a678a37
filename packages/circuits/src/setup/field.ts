/**
 * BN254 scalar-field arithmetic on bigint, for the dev setup's one-off evaluations (Lagrange bases,
 * sparse matrix products). Hot loops stay here rather than in WebAssembly because they run a few million
 * times at most and bigint keeps them readable.
 */

/** The BN254 scalar field modulus r. */
export const FR_MODULUS = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/** Montgomery R² mod r for 256-bit limbs: snarkjs stores zkey coefficients multiplied by it. */
export const FR_R2 = (1n << 512n) % FR_MODULUS;

/**
 * a^e mod r.
 *
 * @example
 * ```ts
 * frPow(2n, 3n); // 8n
 * ```
 */
export function frPow(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = ((base % FR_MODULUS) + FR_MODULUS) % FR_MODULUS;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % FR_MODULUS;
    b = (b * b) % FR_MODULUS;
    e >>= 1n;
  }
  return result;
}

/**
 * Multiplicative inverse mod r (Fermat).
 *
 * @example
 * ```ts
 * (frInv(3n) * 3n) % FR_MODULUS; // 1n
 * ```
 */
export function frInv(a: bigint): bigint {
  if (a % FR_MODULUS === 0n) throw new RangeError('zero has no inverse');
  return frPow(a, FR_MODULUS - 2n);
}

/**
 * Inverts every element in place with Montgomery's trick (one exponentiation for the whole array).
 *
 * @example
 * ```ts
 * const xs = [2n, 3n];
 * batchInvertInPlace(xs); // xs = [1/2, 1/3]
 * ```
 */
export function batchInvertInPlace(values: bigint[]): void {
  const n = values.length;
  if (n === 0) return;
  const prefix: bigint[] = new Array(n);
  let acc = 1n;
  for (let i = 0; i < n; i++) {
    prefix[i] = acc;
    acc = (acc * (values[i] as bigint)) % FR_MODULUS;
  }
  let inv = frInv(acc);
  for (let i = n - 1; i >= 0; i--) {
    const v = values[i] as bigint;
    values[i] = (inv * (prefix[i] as bigint)) % FR_MODULUS;
    inv = (inv * v) % FR_MODULUS;
  }
}

/**
 * Reads a 32-byte little-endian integer (an r1cs coefficient) as a bigint.
 *
 * @example
 * ```ts
 * readLe256(new DataView(new Uint8Array(32).buffer), 0); // 0n
 * ```
 */
export function readLe256(view: DataView, offset: number): bigint {
  return (
    view.getBigUint64(offset, true) |
    (view.getBigUint64(offset + 8, true) << 64n) |
    (view.getBigUint64(offset + 16, true) << 128n) |
    (view.getBigUint64(offset + 24, true) << 192n)
  );
}

const MASK64 = (1n << 64n) - 1n;

/**
 * Writes a bigint below 2^256 as 32 little-endian bytes.
 *
 * @example
 * ```ts
 * const buf = new Uint8Array(32);
 * writeLe256(new DataView(buf.buffer), 0, 1n); // buf[0] === 1
 * ```
 */
export function writeLe256(view: DataView, offset: number, value: bigint): void {
  view.setBigUint64(offset, value & MASK64, true);
  view.setBigUint64(offset + 8, (value >> 64n) & MASK64, true);
  view.setBigUint64(offset + 16, (value >> 128n) & MASK64, true);
  view.setBigUint64(offset + 24, value >> 192n, true);
}
