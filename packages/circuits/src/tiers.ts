/**
 * Size tiers: the same zkLogin circuit instantiated for several maximum lengths of the signed
 * `header.payload` (bytes, before SHA-256 padding). The tier id is that maximum. The prover picks the
 * smallest tier that fits a token.
 */
export interface Tier {
  /** Maximum `header.payload` length in bytes; also the tier id carried in zkLogin signatures. */
  readonly maxSignedBytes: number;
}

/** Every tier, smallest first. */
export const TIERS: readonly Tier[] = [
  { maxSignedBytes: 576 },
  { maxSignedBytes: 1024 },
  { maxSignedBytes: 1600 },
];

/**
 * Length of the circuit's `content` input: header.payload plus SHA-256 padding, rounded up to 64-byte blocks.
 *
 * @example
 * ```ts
 * maxPaddedBytes(576); // 640
 * ```
 */
export function maxPaddedBytes(maxSignedBytes: number): number {
  return Math.ceil((maxSignedBytes + 9) / 64) * 64;
}

/**
 * The smallest tier whose maximum is at least `signedLength` bytes, or undefined when none is.
 *
 * @example
 * ```ts
 * selectTier(900)?.maxSignedBytes; // 1024
 * ```
 */
export function selectTier(signedLength: number, tiers: readonly Tier[] = TIERS): Tier | undefined {
  return [...tiers]
    .sort((a, b) => a.maxSignedBytes - b.maxSignedBytes)
    .find((t) => t.maxSignedBytes >= signedLength);
}

/** A circuit's Groth16 evaluation domain: the FFT and H-MSM size its proofs pay for. */
export interface Groth16Domain {
  /** Constraints + public inputs + 1: the rows snarkjs's setup and provers place in the domain. */
  readonly rows: number;
  /** log2 of the domain size: the smallest power of two holding every row. */
  readonly power: number;
  /** Rows still free below the domain size before the circuit doubles to the next power. */
  readonly freeRows: number;
  /** freeRows as a fraction of the domain size (0.0226 = 2.26 % headroom). */
  readonly headroom: number;
}

/**
 * The power-of-two domain a circuit of `constraints` constraints and `publicInputs` public inputs proves
 * in (snarkjs: rows = constraints + public inputs + 1), and the headroom left in it. One row over a power
 * of two doubles the FFTs and the H multi-exponentiation, so every tier is shaped to stay below one.
 *
 * @example
 * ```ts
 * groth16Domain(512_442, 6); // rows 512_449, power 19, freeRows 11_839 (headroom ≈ 0.0226)
 * ```
 */
export function groth16Domain(constraints: number, publicInputs: number): Groth16Domain {
  const rows = constraints + publicInputs + 1;
  const power = Math.max(1, Math.ceil(Math.log2(rows)));
  const freeRows = 2 ** power - rows;
  return { rows, power, freeRows, headroom: freeRows / 2 ** power };
}
