import {
  type ProvingArtifacts,
  proveZkLogin,
  type VerificationKey,
  type ZkLoginProof,
} from '@zksso/circuits';

/** One proof to make in a worker process: a tier's files, its verification key and the circuit inputs. */
export interface ProveJob {
  readonly tier: number;
  readonly artifacts: ProvingArtifacts;
  /** The tier's verification key: the worker checks the proof under it before answering. */
  readonly vkey: VerificationKey;
  /** Circuit inputs (secret). */
  readonly input: Record<string, unknown>;
}

/**
 * The default prove function of the worker pool: witness, snarkjs Groth16 proof and self-verification,
 * encoded per protocol §9. A pool may load another module exporting `prove(job)` (a native engine, or a
 * test circuit).
 *
 * @example
 * ```ts
 * const { proof, publicInputs } = await prove({ tier: 1024, artifacts, vkey: artifacts.vkey, input });
 * ```
 */
export async function prove(job: ProveJob): Promise<ZkLoginProof> {
  return proveZkLogin({ artifacts: job.artifacts, input: job.input, vkey: job.vkey });
}
