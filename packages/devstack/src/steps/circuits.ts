import type { TierArtifacts } from '@zksso/circuits';
import { compileVerifier } from '../contracts.ts';
import type { VerifierDeployment } from '../deploy/deploy.ts';
import type { StatePaths } from '../state.ts';
import type { Lifecycle } from './lifecycle.ts';

/** The circuit tiers the prover serves, built or taken from the cache, and their verifiers' bytecode. */
export interface BuiltCircuits {
  tiers: number[];
  artifacts: TierArtifacts[];
  verifiers: VerifierDeployment[];
}

/**
 * Builds (first run: minutes, with progress) or loads each tier's circuit and DEVELOPMENT key, and compiles
 * its Groth16 verifier. `@zksso/circuits` is loaded here only: a stack without the prover never needs it.
 *
 * @example
 * ```ts
 * const { tiers, artifacts, verifiers } = await buildCircuits(life, state, { tiers: [576] });
 * ```
 */
export async function buildCircuits(
  life: Lifecycle,
  state: StatePaths,
  options: {
    tiers?: readonly number[];
    cacheDir?: string;
    circuit?: { sourceDir: string; mainSource: (tier: number) => string };
  },
): Promise<BuiltCircuits> {
  const circuits = await import('@zksso/circuits');
  const tiers = [...(options.tiers ?? [])];
  if (tiers.length === 0) tiers.push(circuits.TIERS[0]?.maxSignedBytes ?? 576);
  const artifacts: TierArtifacts[] = [];
  const verifiers: VerifierDeployment[] = [];
  for (const tier of tiers) {
    // One line per 5 % or per 15 s: a first build takes minutes and reports every second.
    let lastStep = -1;
    let lastAt = 0;
    const built = await life.abortable(
      circuits.ensureTierArtifacts(tier, {
        ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
        ...(options.circuit ?? {}),
        log: (line) => life.status(line),
        onProgress: (p) => {
          const step = Math.floor(p.fraction * 20);
          if (step === lastStep && Date.now() - lastAt < 15_000) return;
          lastStep = step;
          lastAt = Date.now();
          life.status(`circuit tier ${tier}: ${circuits.formatProgress(p)}`);
        },
      }),
    );
    artifacts.push(built);
    life.status(
      `circuit tier ${tier}: ${built.constraints} constraints, DEVELOPMENT KEY (not for production)`,
    );
    verifiers.push({ tier, bytecode: await compileVerifier(built, state.verifiers) });
  }
  return { tiers, artifacts, verifiers };
}
