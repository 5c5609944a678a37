import { spawnSync } from 'node:child_process';
import { packageRoot } from '../src/artifacts.ts';
import { foundryBinary } from './harness/processes.ts';

/** Builds the contracts (forge build into out/) once for the whole test run. */
export default function setup(): void {
  const result = spawnSync(foundryBinary('forge'), ['build'], { cwd: packageRoot, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`forge build failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
}
