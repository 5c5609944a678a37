import type { TierArtifacts } from '@zksso/circuits';
import { fileLogger } from '../logs.ts';
import type { StatePaths } from '../state.ts';
import type { Lifecycle } from './lifecycle.ts';
import { DEV_CLIENT_IDS } from './services.ts';

/**
 * Starts the prover service for the dev IdP on the tiers built by `buildCircuits`. `@zksso/prover` is loaded
 * here only (it pulls in snarkjs and the circuit tooling, which `--no-prover` never needs).
 *
 * @example
 * ```ts
 * const proverUrl = await startProver(life, state, { port: 5558, idp, tiers, artifacts, verbose: false });
 * ```
 */
export async function startProver(
  life: Lifecycle,
  state: StatePaths,
  options: {
    port: number;
    idp: { issuer: string; jwksUri: string };
    tiers: number[];
    artifacts: TierArtifacts[];
    cacheDir?: string;
    verbose: boolean;
  },
): Promise<string> {
  const { createProverService, DEFAULT_CONFIG } = await import('@zksso/prover');
  const { idp, tiers } = options;
  const byTier = new Map(options.artifacts.map((a) => [a.tier, a]));
  const service = createProverService(
    {
      ...DEFAULT_CONFIG,
      host: '127.0.0.1',
      port: options.port,
      issuers: [{ issuer: idp.issuer, jwksUri: idp.jwksUri }],
      // The prover refuses tokens for client ids it was not given (AUDIENCE_NOT_ALLOWED).
      audiences: DEV_CLIENT_IDS.map((audience) => ({ audience, issuer: idp.issuer })),
      tiers,
      ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
      shutdownTimeoutMs: 10_000,
    },
    {
      logger: fileLogger('prover', state.log('prover'), options.verbose),
      loadTier: async (tier) => {
        const a = byTier.get(tier) as TierArtifacts;
        return {
          tier,
          wasmPath: a.wasmPath,
          zkeyPath: a.zkeyPath,
          witnessBinaryPath: a.witnessBinaryPath,
          vkey: a.vkey,
        };
      },
    },
  );
  life.onStop('prover', () => service.close());
  const url = await life.abortable(service.listen());
  life.status(`prover at ${url} (tiers ${tiers.join(', ')})`);
  return url;
}
