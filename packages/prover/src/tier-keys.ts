import { performance } from 'node:perf_hooks';
import { ensureTierArtifacts, formatProgress, type VerificationKey } from '@zksso/circuits';
import type { Logger } from 'pino';
import type { ProverConfig } from './config.ts';
import { loadTierFromKeysDir } from './keys-dir.ts';

/** The files and key a tier needs to prove. */
export interface TierKeys {
  readonly tier: number;
  readonly wasmPath: string;
  readonly zkeyPath: string;
  /** circom's native witness generator for the tier, when built (the wasm is the fallback). */
  readonly witnessBinaryPath?: string | undefined;
  readonly vkey: VerificationKey;
}

/** Loads one tier's keys (`ProverServiceOptions.loadTier`). */
export type TierLoader = (tier: number, log: Logger) => Promise<TierKeys>;

/**
 * The default tier loader: from `config.keysDir` when set (checked, never built; a DEVELOPMENT key there is
 * warned about), else `ensureTierArtifacts` (builds DEVELOPMENT keys on first use, logging progress in 5 %
 * steps).
 *
 * @example
 * ```ts
 * const keys = await defaultTierLoader(config)(1024, log);
 * ```
 */
export function defaultTierLoader(config: ProverConfig): TierLoader {
  const keysDir = config.keysDir;
  return async (tier, tierLog) => {
    if (keysDir !== undefined) {
      const keys = await loadTierFromKeysDir(keysDir, tier);
      if (keys.keyType === 'development') {
        tierLog.warn({ tier, keysDir }, 'ZKSSO_PROVER_KEYS_DIR holds a DEVELOPMENT KEY for this tier');
      } else tierLog.info({ tier, keysDir, keyType: keys.keyType }, 'tier keys from ZKSSO_PROVER_KEYS_DIR');
      return keys;
    }
    let lastStep = -1;
    const artifacts = await ensureTierArtifacts(tier, {
      cacheDir: config.cacheDir,
      log: (line) => tierLog.info({ tier }, line),
      onProgress: (p) => {
        const step = Math.floor(p.fraction * 20);
        if (step !== lastStep) tierLog.info({ tier, stage: p.stage }, formatProgress(p));
        lastStep = step;
      },
    });
    return {
      tier,
      wasmPath: artifacts.wasmPath,
      zkeyPath: artifacts.zkeyPath,
      witnessBinaryPath: artifacts.witnessBinaryPath,
      vkey: artifacts.vkey,
    };
  };
}

/**
 * Loads each tier in turn into `loaded` (a tier proves as soon as it is in the map).
 *
 * @example
 * ```ts
 * await preloadTiers([576, 1024], loadTier, tiers, log);
 * ```
 */
export async function preloadTiers(
  tiers: readonly number[],
  load: TierLoader,
  loaded: Map<number, TierKeys>,
  log: Logger,
): Promise<void> {
  for (const tier of tiers) {
    const started = performance.now();
    log.info({ tier }, 'loading tier');
    loaded.set(tier, await load(tier, log));
    log.info({ tier, ms: Math.round(performance.now() - started) }, 'tier ready');
  }
}
