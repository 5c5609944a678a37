import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type EnsureTierOptions, ensureTierArtifacts } from '../artifacts/cache.ts';
import { verifierContractName } from './verifier.ts';

/**
 * Writes `ZkLoginVerifier<tier>.sol` for each tier into `outDir` (building the tier's artifacts if they
 * are not cached). The contracts carry `DEVELOPMENT_KEY = true`: they embed development keys.
 *
 * @example
 * ```ts
 * await writeVerifierContracts('packages/contracts/src/verifiers/generated', [576, 1024, 1600]);
 * ```
 */
export async function writeVerifierContracts(
  outDir: string,
  tiers: readonly number[],
  options: EnsureTierOptions = {},
): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const tier of tiers) {
    const artifacts = await ensureTierArtifacts(tier, options);
    const target = join(outDir, `${verifierContractName(tier)}.sol`);
    await copyFile(artifacts.verifierSolPath, target);
    written.push(target);
  }
  return written;
}
