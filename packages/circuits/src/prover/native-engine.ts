import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as snarkjs from 'snarkjs';
import { writeWitnessFastest } from '../build/native-witness.ts';
import type { ProverEngine, ProvingArtifacts } from './engine.ts';
import { type NativeProofResult, NativeProverProcess, nativeProverBinaryPath } from './native-process.ts';

// One child per Node process and binary path, started on first use (the prover service's workers are
// separate processes: each gets its own child, which keeps its keys mapped between proofs).
const processes = new Map<string, NativeProverProcess>();

/**
 * The shared `zksso-prover` child for a binary (default: {@link nativeProverBinaryPath}).
 *
 * @example
 * ```ts
 * const { timings } = await nativeProverProcess().prove(zkeyPath, wtnsPath);
 * ```
 */
export function nativeProverProcess(binaryPath: string = nativeProverBinaryPath()): NativeProverProcess {
  let process = processes.get(binaryPath);
  if (!process) {
    process = new NativeProverProcess(binaryPath);
    processes.set(binaryPath, process);
  }
  return process;
}

/**
 * Writes the witness of `input` to `wtnsPath`: the one step to swap for a native witness generator.
 * circom's native witness generator when the tier folder has it, else its WebAssembly calculator
 * ({@link writeWitnessFastest}).
 */
async function computeWitnessFile(
  artifacts: ProvingArtifacts,
  input: Record<string, unknown>,
  wtnsPath: string,
): Promise<void> {
  await writeWitnessFastest(artifacts, input, wtnsPath);
}

/**
 * Proves with the native prover and returns its per-phase timings too (for benchmarks). The witness goes
 * through a private temp file removed right after (it holds the prover's inputs).
 *
 * @throws {NativeProverError} `NATIVE_PROVER_UNAVAILABLE`, `ZKEY_INVALID`, `WITNESS_MISMATCH`, ...
 * @throws {WitnessError} when the circuit rejects the input.
 *
 * @example
 * ```ts
 * const { proof, publicSignals, timings, witnessMs } = await proveNative(tier, inputs);
 * ```
 */
export async function proveNative(
  artifacts: ProvingArtifacts,
  input: Record<string, unknown>,
  binaryPath?: string,
): Promise<NativeProofResult & { witnessMs: number }> {
  const prover = nativeProverProcess(binaryPath);
  const dir = await mkdtemp(join(tmpdir(), 'zksso-prove-'));
  try {
    const wtnsPath = join(dir, `${randomBytes(8).toString('hex')}.wtns`);
    const started = performance.now();
    await computeWitnessFile(artifacts, input, wtnsPath);
    const witnessMs = performance.now() - started;
    return { ...(await prover.prove(artifacts.zkeyPath, wtnsPath)), witnessMs };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The native engine: witness by circom's WebAssembly, proof by the C++ `zksso-prover` child (BN254
 * Groth16 on the snarkjs zkey, both cores), verification by snarkjs. Same proof shape as
 * {@link snarkjsEngine}, so `encodeProof` and the Solidity verifier accept it.
 *
 * @example
 * ```ts
 * const { proof, publicSignals } = await nativeEngine.prove({ wasmPath, zkeyPath }, input);
 * await nativeEngine.verify(vkey, proof, publicSignals); // true
 * ```
 */
export const nativeEngine: ProverEngine = {
  name: 'native',
  async prove(artifacts, input) {
    const { proof, publicSignals } = await proveNative(artifacts, input);
    return { proof, publicSignals };
  },
  async verify(vkey, proof, publicSignals) {
    return Boolean(await snarkjs.groth16.verify(vkey, [...publicSignals], proof));
  },
};
