import { spawnSync } from 'node:child_process';
import { contractsRoot } from '@zksso/devstack/deploy';
import { foundryBinary } from './harness/processes.ts';

/** Builds the contracts (forge build into out/) once for the whole test run. */
export default function setup(): void {
  const result = spawnSync(foundryBinary('forge'), ['build'], { cwd: contractsRoot, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`forge build failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
}
