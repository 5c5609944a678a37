import { ZkSsoError } from '@zksso/core';
import { decodeProof, decodePublicSignals, encodeProof, encodePublicSignals } from './encoding.ts';
import type { ProverEngine, ProvingArtifacts, VerificationKey } from './engine.ts';
import { defaultProverEngine } from './select-engine.ts';

/** A zkLogin proof in the wire encoding of protocol §8/§10. */
export interface ZkLoginProof {
  /** 256 bytes `a ‖ b ‖ c`, b in EIP-197 order (protocol §10). */
  readonly proof: `0x${string}`;
  /** Public inputs in §8 order (issHash, idc, ephHi, ephLo, expiry, modulusHash), 32-byte big-endian hex. */
  readonly publicInputs: `0x${string}`[];
}

/** Thrown when a proof was made but does not verify under the tier's own key (a broken key or engine). */
export class ProofSelfCheckError extends ZkSsoError {
  constructor(details: Record<string, unknown>) {
    super('PROOF_SELF_CHECK_FAILED', 'the proof does not verify under its own verification key', { details });
  }
}

/**
 * Proves a zkLogin statement: runs the engine on circuit inputs (from `buildZkLoginInputs`) and returns the
 * proof and public inputs in the spec's encoding. With `vkey`, checks the proof before returning it.
 * Without `engine`, uses {@link defaultProverEngine} (`ZKSSO_PROVER_ENGINE`, default the native engine).
 *
 * @example
 * ```ts
 * const tier = await ensureTierArtifacts(1024);
 * const { proof, publicInputs } = await proveZkLogin({ artifacts: tier, input: inputs, vkey: tier.vkey });
 * ```
 */
export async function proveZkLogin(options: {
  artifacts: ProvingArtifacts;
  input: Record<string, unknown>;
  engine?: ProverEngine;
  vkey?: VerificationKey;
}): Promise<ZkLoginProof> {
  const engine = options.engine ?? defaultProverEngine();
  const { proof, publicSignals } = await engine.prove(options.artifacts, options.input);
  if (options.vkey && !(await engine.verify(options.vkey, proof, publicSignals))) {
    throw new ProofSelfCheckError({ engine: engine.name, zkeyPath: options.artifacts.zkeyPath });
  }
  return { proof: encodeProof(proof), publicInputs: encodePublicSignals(publicSignals) };
}

/**
 * Verifies an encoded zkLogin proof against a verification key (off chain; the chain uses the Solidity
 * verifier with the same bytes).
 *
 * @example
 * ```ts
 * await verifyZkLogin({ vkey: tier.vkey, proof, publicInputs }); // true
 * ```
 */
export async function verifyZkLogin(options: {
  vkey: VerificationKey;
  proof: `0x${string}`;
  publicInputs: readonly string[];
  engine?: ProverEngine;
}): Promise<boolean> {
  const engine = options.engine ?? defaultProverEngine();
  return engine.verify(options.vkey, decodeProof(options.proof), decodePublicSignals(options.publicInputs));
}
