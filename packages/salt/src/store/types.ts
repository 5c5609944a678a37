import type { SaltKey } from '../derive.ts';

/** One stored salt, as backups carry it. `salt` is 32 lowercase hex digits (16 bytes, big-endian). */
export type SaltRecord = SaltKey & { salt: string; createdAt: number };

export type ImportResult = {
  /** Records written. */
  inserted: number;
  /** Records already present with the same salt. */
  unchanged: number;
  /** Records present with a different salt: never overwritten (the stored one keeps the user's address). */
  conflicts: number;
};

/**
 * Where stored-mode salts live. `getOrCreate` inserts `candidate` unless a salt exists
 * (`SELECT`; if absent `INSERT ... ON CONFLICT DO NOTHING`, then `SELECT` again), so concurrent first requests
 * agree on the row that won, and it resolves only once the salt is durably committed.
 */
export interface SaltStore {
  readonly kind: 'sqlite' | 'postgres';
  getOrCreate(key: SaltKey, candidate: bigint): Promise<bigint>;
  /** Every record, in primary-key order (for backups). */
  exportAll(): AsyncIterable<SaltRecord>;
  importRecords(records: readonly SaltRecord[]): Promise<ImportResult>;
  count(): Promise<number>;
  close(): Promise<void>;
}

/** The salt as stored: 32 lowercase hex digits. */
export const saltToHex = (salt: bigint): string => salt.toString(16).padStart(32, '0');
/** Parses a stored salt; refuses anything but 32 hex digits. */
export function saltFromHex(hex: string): bigint {
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new RangeError('a stored salt is 32 lowercase hex digits');
  return BigInt(`0x${hex}`);
}
