// The zkLogin stand-in circuit (fixtures/zklogin-stub.circom) for tests and the bench when the real tier is
// not available: built once into the shared cache (test-builds/prover), labelled with a tier id.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  defaultCacheDir,
  type EnsureTierOptions,
  ensureTierArtifacts,
  type TierArtifacts,
} from '@zksso/circuits';
import type { TierKeys } from '../src/server.ts';

/** Squarings in the stand-in: about 13 k constraints, so a proof takes real (if small) work. */
export const STUB_ROUNDS = 12_000;
/** Prove module that feeds the stand-in the six public inputs of the real circuit's inputs. */
export const STUB_PROVE_MODULE = new URL('./stub-prove.ts', import.meta.url).href;

/**
 * Builds (first time) or loads the stand-in circuit's artifacts, labelled as `tier`.
 *
 * @example
 * ```ts
 * const artifacts = await ensureStubArtifacts(1024);
 * ```
 */
export function ensureStubArtifacts(tier: number, options: EnsureTierOptions = {}): Promise<TierArtifacts> {
  return ensureTierArtifacts(tier, {
    ...options,
    cacheDir: join(defaultCacheDir(), 'test-builds', 'prover'),
    sourceDir: fileURLToPath(new URL('./fixtures', import.meta.url)),
    mainSource: () =>
      'pragma circom 2.2.3;\ninclude "zklogin-stub.circom";\n' +
      `component main {public [issHash, idc, ephHi, ephLo, expiry, modulusHash]} = ZkLoginStub(${STUB_ROUNDS});\n`,
  });
}

/** The service's `loadTier` for the stand-in. */
export function stubTierKeys(artifacts: TierArtifacts): (tier: number) => Promise<TierKeys> {
  return async (tier) => ({
    tier,
    wasmPath: artifacts.wasmPath,
    zkeyPath: artifacts.zkeyPath,
    vkey: artifacts.vkey,
  });
}
