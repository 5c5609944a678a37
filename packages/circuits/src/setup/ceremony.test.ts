import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as snarkjs from 'snarkjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileFixture, tempDir } from '../../test/helpers.ts';
import {
  CeremonyError,
  ceremonyBeacon,
  ceremonyContribute,
  ceremonyExport,
  ceremonyNew,
  ceremonyVerify,
} from './ceremony.ts';

describe('phase-2 ceremony over snarkjs', () => {
  let dir: string;
  let r1csPath: string;
  let wasmPath: string;
  let ptauPath: string;

  beforeAll(async () => {
    dir = await tempDir('ceremony');
    const compiled = await compileFixture('tiny', dir);
    r1csPath = compiled.r1csPath;
    wasmPath = compiled.wasmPath;
    // The operator's powers of tau, made here at 2^8 (the tiny circuit has under 2^7 rows).
    const curve = await snarkjs.curves.getCurveFromName('bn128');
    await snarkjs.powersOfTau.newAccumulator(curve, 8, join(dir, 'pot_0.ptau'));
    await snarkjs.powersOfTau.contribute(
      join(dir, 'pot_0.ptau'),
      join(dir, 'pot_1.ptau'),
      'tau test',
      'entropy one',
    );
    ptauPath = join(dir, 'pot_final.ptau');
    await snarkjs.powersOfTau.preparePhase2(join(dir, 'pot_1.ptau'), ptauPath);
  });

  it('runs new → contribute ×2 → verify → beacon → verify → export, and the key proves', async () => {
    await ceremonyNew({ r1csPath, ptauPath, zkeyPath: join(dir, 'c_0000.zkey') });
    const hash1 = await ceremonyContribute({
      inZkey: join(dir, 'c_0000.zkey'),
      outZkey: join(dir, 'c_0001.zkey'),
      name: 'alice',
    });
    const hash2 = await ceremonyContribute({
      inZkey: join(dir, 'c_0001.zkey'),
      outZkey: join(dir, 'c_0002.zkey'),
      name: 'bob',
    });
    expect(hash1).toMatch(/^[0-9a-f]{128}$/);
    expect(hash2).not.toBe(hash1);
    await ceremonyVerify({ r1csPath, ptauPath, zkeyPath: join(dir, 'c_0002.zkey') });
    await ceremonyBeacon({
      inZkey: join(dir, 'c_0002.zkey'),
      outZkey: join(dir, 'final.zkey'),
      beaconHash: '0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20',
      iterationsExp: 10,
    });
    await ceremonyVerify({ r1csPath, ptauPath, zkeyPath: join(dir, 'final.zkey') });

    const { vkeyPath, verifierSolPath } = await ceremonyExport({
      zkeyPath: join(dir, 'final.zkey'),
      tier: 77,
      outDir: dir,
    });
    const vkey = JSON.parse(await readFile(vkeyPath, 'utf8'));
    expect(vkey.zksso.keyType).toBe('ceremony');
    const solidity = await readFile(verifierSolPath, 'utf8');
    expect(solidity).toContain('contract ZkLoginVerifier77 {');
    expect(solidity).toContain('DEVELOPMENT_KEY = false');

    const { proof, publicSignals } = await snarkjs.groth16.fullProve(
      { a: 2, b: 5 },
      wasmPath,
      join(dir, 'final.zkey'),
    );
    expect(await snarkjs.groth16.verify(vkey, publicSignals, proof)).toBe(true);
    expect(await snarkjs.groth16.verify(vkey, [publicSignals[0], '3'], proof)).toBe(false);
  });

  it('refuses a zkey that does not match the circuit', async () => {
    const other = await tempDir('ceremony-other');
    const tiny2 = await compileFixture('tiny2', other);
    await ceremonyNew({ r1csPath, ptauPath, zkeyPath: join(other, 'tiny.zkey') });
    await expect(
      ceremonyVerify({ r1csPath: tiny2.r1csPath, ptauPath, zkeyPath: join(other, 'tiny.zkey') }),
    ).rejects.toBeInstanceOf(CeremonyError);
  });

  it('refuses a malformed beacon or too few beacon iterations', async () => {
    await expect(
      ceremonyBeacon({ inZkey: join(dir, 'c_0000.zkey'), outZkey: join(dir, 'x.zkey'), beaconHash: 'xyz' }),
    ).rejects.toMatchObject({ code: 'CEREMONY_STEP_FAILED' });
    await expect(
      ceremonyBeacon({
        inZkey: join(dir, 'c_0000.zkey'),
        outZkey: join(dir, 'x.zkey'),
        beaconHash: 'abcd',
        iterationsExp: 5,
      }),
    ).rejects.toMatchObject({ code: 'CEREMONY_STEP_FAILED' });
  });
});
