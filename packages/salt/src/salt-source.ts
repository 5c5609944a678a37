import { randomBytes } from 'node:crypto';
import type { SaltConfig } from './config.ts';
import { deriveSalt, type SaltKey } from './derive.ts';
import type { SaltStore } from './store/types.ts';

/** The salt of an account key: derived from the seed, or stored (created on first use). */
export type SaltSource = (key: SaltKey) => Promise<bigint>;

/**
 * The salt source of the configured mode: `derived` (HKDF of the master seed, nothing stored) or `stored` (a
 * fresh random 128-bit salt the store keeps on first use, answered only once committed durably).
 *
 * @example
 * ```ts
 * const saltFor = createSaltSource(config, store);
 * const salt = await saltFor({ iss, aud, keyClaimName: 'sub', keyClaimValue: sub });
 * ```
 */
export function createSaltSource(config: SaltConfig, store: SaltStore | undefined): SaltSource {
  if (config.mode === 'derived') {
    const seed = config.masterSeed as Uint8Array;
    return async (key) => deriveSalt(seed, key);
  }
  return (key) => {
    const candidate = BigInt(`0x${randomBytes(16).toString('hex')}`);
    return (store as SaltStore).getOrCreate(key, candidate);
  };
}
