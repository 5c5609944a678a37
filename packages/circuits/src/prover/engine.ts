import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as snarkjs from 'snarkjs';
import { writeWitness } from '../build/witness.ts';
import type { SnarkjsProof } from './encoding.ts';

/** The files a prover needs for one circuit. */
export interface ProvingArtifacts {
  /** The circuit's witness generator (`.wasm`, from circom). */
  readonly wasmPath: string;
  /** The Groth16 proving key (`.zkey`). */
  readonly zkeyPath: string;
  /** circom's native witness generator, when the artifact cache built one (faster than the wasm). */
  readonly witnessBinaryPath?: string | undefined;
}

/** A snarkjs verification key (JSON), optionally carrying zkSSO's key label. */
export interface VerificationKey {
  readonly protocol: string;
  readonly curve: string;
  readonly nPublic: number;
  readonly zksso?: { readonly keyType: 'development' | 'ceremony'; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** A proof plus the public signals (decimal strings) it proves. */
export interface ProofWithSignals {
  readonly proof: SnarkjsProof;
  readonly publicSignals: string[];
}

/**
 * Something that makes and checks Groth16 proofs for a circuit. The snarkjs engine is the reference; a
 * faster native engine can replace it behind this interface.
 *
 * @example
 * ```ts
 * const engine: ProverEngine = snarkjsEngine;
 * const { proof, publicSignals } = await engine.prove(artifacts, input);
 * await engine.verify(vkey, proof, publicSignals); // true
 * ```
 */
export interface ProverEngine {
  /** Engine name for logs and benchmarks. */
  readonly name: string;
  prove(artifacts: ProvingArtifacts, input: Record<string, unknown>): Promise<ProofWithSignals>;
  verify(vkey: VerificationKey, proof: SnarkjsProof, publicSignals: readonly string[]): Promise<boolean>;
}

/**
 * The snarkjs engine: witness by circom's WebAssembly ({@link writeWitness}: failures become `WitnessError`
 * naming the failing template), proof by `groth16.prove` (WebAssembly, all cores).
 * About a minute for a million constraints on 2 cores.
 *
 * @example
 * ```ts
 * const { proof } = await snarkjsEngine.prove({ wasmPath, zkeyPath }, input);
 * ```
 */
export const snarkjsEngine: ProverEngine = {
  name: 'snarkjs',
  async prove(artifacts, input) {
    // The witness goes through a private temp file (it holds the prover's inputs) removed right after.
    const dir = await mkdtemp(join(tmpdir(), 'zksso-prove-'));
    try {
      const wtnsPath = join(dir, `${randomBytes(8).toString('hex')}.wtns`);
      await writeWitness(artifacts.wasmPath, input, wtnsPath);
      const { proof, publicSignals } = await snarkjs.groth16.prove(artifacts.zkeyPath, wtnsPath);
      return { proof, publicSignals };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
  async verify(vkey, proof, publicSignals) {
    return Boolean(await snarkjs.groth16.verify(vkey, [...publicSignals], proof));
  },
};
