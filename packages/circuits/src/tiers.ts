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
export const TIERS: readonly Tier[] = [{ maxSignedBytes: 640 }, { maxSignedBytes: 1024 }, { maxSignedBytes: 1600 }];
