import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as snarkjs from 'snarkjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileFixture, tempDir } from '../../test/helpers.ts';
import { exportLabelledVerificationKey } from '../solidity/verifier.ts';
import { devSetup } from './dev-setup.ts';
import type { Progress } from './progress.ts';

describe('devSetup (DEVELOPMENT KEY)', () => {
  describe.each([
    { fixture: 'small' as const, input: { a: '7', b: '3', c: '11' }, tamperIndex: 1 },
    { fixture: 'medium' as const, input: { seed: '5', salt: '123456789' }, tamperIndex: 1 },
  ])('$fixture circuit', ({ fixture, input, tamperIndex }) => {
    let dir: string;
    let wasmPath: string;
    let zkeyPath: string;
    let constraints: number;
    const progress: Progress[] = [];

    beforeAll(async () => {
      dir = await tempDir(`dev-${fixture}`);
      const compiled = await compileFixture(fixture, dir);
      wasmPath = compiled.wasmPath;
      constraints = compiled.constraints;
      zkeyPath = join(dir, `${fixture}.development.zkey`);
      await devSetup({ r1csPath: compiled.r1csPath, zkeyPath, onProgress: (p) => progress.push(p) });
    });

    it('writes a zkey snarkjs reads, with the circuit shape', async () => {
      const vkey = await snarkjs.zKey.exportVerificationKey(zkeyPath);
      expect(vkey.protocol).toBe('groth16');
      expect(vkey.nPublic).toBe(fixture === 'small' ? 3 : 2);
      expect(vkey.IC).toHaveLength(vkey.nPublic + 1);
      const header = await readFile(zkeyPath);
      expect(header.toString('latin1', 0, 4)).toBe('zkey');
      expect(constraints).toBeGreaterThan(fixture === 'small' ? 100 : 3000);
    });

    it('labels the verification key as a development key', async () => {
      const vkey = await exportLabelledVerificationKey(zkeyPath, { keyType: 'development' });
      expect(vkey.zksso.keyType).toBe('development');
      expect(String((vkey.zksso as Record<string, unknown>).warning)).toMatch(/DEVELOPMENT KEY/);
    });

    it('produces proofs that snarkjs verifies, and rejects a tampered public signal', async () => {
      const vkey = await snarkjs.zKey.exportVerificationKey(zkeyPath);
      const { proof, publicSignals } = await snarkjs.groth16.fullProve(input, wasmPath, zkeyPath);
      expect(await snarkjs.groth16.verify(vkey, publicSignals, proof)).toBe(true);
      const tampered = [...publicSignals];
      tampered[tamperIndex] = (BigInt(tampered[tamperIndex]) + 1n).toString();
      expect(await snarkjs.groth16.verify(vkey, tampered, proof)).toBe(false);
    });

    it('reports progress up to completion', () => {
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.at(-1)?.fraction).toBe(1);
    });
  });

  it('draws fresh secrets: two setups of one circuit differ', async () => {
    const dir = await tempDir('dev-twice');
    const compiled = await compileFixture('small', dir);
    await devSetup({ r1csPath: compiled.r1csPath, zkeyPath: join(dir, 'one.development.zkey') });
    await devSetup({ r1csPath: compiled.r1csPath, zkeyPath: join(dir, 'two.development.zkey') });
    const one = await snarkjs.zKey.exportVerificationKey(join(dir, 'one.development.zkey'));
    const two = await snarkjs.zKey.exportVerificationKey(join(dir, 'two.development.zkey'));
    expect(one.vk_alpha_1).not.toEqual(two.vk_alpha_1);
    expect(one.vk_delta_2).not.toEqual(two.vk_delta_2);
  });
});
