// Prove module for the zkLogin stand-in circuit (fixtures/zklogin-stub.circom): passes the six public
// inputs of the real circuit's inputs on to snarkjs (self-verifying), exactly as the default module does
// for the real circuit.
import { proveZkLogin, type ZkLoginProof } from '@zksso/circuits';
import { PUBLIC_INPUT_NAMES } from '@zksso/core';
import type { ProveJob } from '../src/prove-job.ts';

export async function prove(job: ProveJob): Promise<ZkLoginProof> {
  const input = Object.fromEntries(PUBLIC_INPUT_NAMES.map((name) => [name, job.input[name]]));
  return proveZkLogin({ artifacts: job.artifacts, input, vkey: job.vkey });
}
