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
  { maxSignedBytes: 640 },
  { maxSignedBytes: 1024 },
  { maxSignedBytes: 1600 },
];

/**
 * Length of the circuit's `content` input: header.payload plus SHA-256 padding, rounded up to 64-byte blocks.
 *
 * @example
 * ```ts
 * maxPaddedBytes(640); // 704
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
