import { spawnSync } from 'node:child_process';
import { contractsRoot } from '@zksso/devstack/deploy';
import { describe, expect, it } from 'vitest';
import { foundryBinary } from './harness/processes.ts';

describe('forge', () => {
  it('passes every Solidity test (forge test)', () => {
    const result = spawnSync(foundryBinary('forge'), ['test'], {
      cwd: contractsRoot,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const output = `${result.stdout}\n${result.stderr}`;
    if (result.status !== 0)
      throw new Error(`forge test failed (exit ${result.status}):\n${output.slice(-20_000)}`);
    expect(output).toMatch(/\d+ tests passed, 0 failed/);
  });
});
