import type { Hex } from 'viem';
import { ChainChangedError } from './errors.ts';

/**
 * Checks that the chain the SDK talks to is the one a login or session was saved on, by the hash of block 0
 * (a dev chain started afresh keeps its chain id but not its genesis). Records saved before the SDK kept the
 * hash (`saved` undefined) pass.
 *
 * @throws ChainChangedError
 * @example
 * ```ts
 * assertSameGenesis(session.genesisHash, clients.genesisHash, 'login');
 * ```
 */
export function assertSameGenesis(saved: Hex | undefined, current: Hex, where: 'login' | 'session'): void {
  if (saved !== undefined && saved.toLowerCase() !== current.toLowerCase()) {
    throw new ChainChangedError(where, saved, current);
  }
}
