import type { TierKeys } from './tier-keys.ts';

/**
 * What the routes of a prover service share about its life: the loaded tiers, whether all are loaded, and the
 * shutdown once it began.
 *
 * @example
 * ```ts
 * const state: ServiceState = { tiers: new Map(), ready: false, closing: undefined };
 * ```
 */
export interface ServiceState {
  readonly tiers: Map<number, TierKeys>;
  ready: boolean;
  closing: Promise<void> | undefined;
}
