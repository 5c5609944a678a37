// Shared setup of the native prover tests: the built binary, and small circuits with development keys.
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import * as snarkjs from 'snarkjs';
import { compileCircuit } from '../../src/build/compile.ts';
import type { VerificationKey } from '../../src/prover/engine.ts';
import { devSetup } from '../../src/setup/dev-setup.ts';
import { compileFixture, type FIXTURE_MAINS, FIXTURES_DIR, tempDir } from '../helpers.ts';

export const NATIVE_DIR = resolve(FIXTURES_DIR, '../../native');

/** Builds (or reuses: the build is incremental) native/build/zksso-prover; throws when it does not build. */
export function buildNativeProver(extra: string[] = []): void {
  execFileSync(process.execPath, [join(NATIVE_DIR, 'build.mjs'), '--strict', ...extra], { stdio: 'pipe' });
}

export interface KeyedCircuit {
  readonly dir: string;
  readonly wasmPath: string;
  readonly zkeyPath: string;
  readonly vkey: VerificationKey;
}

async function keyed(dir: string, compiled: { r1csPath: string; wasmPath: string }): Promise<KeyedCircuit> {
  const zkeyPath = join(dir, 'circuit.development.zkey');
  await devSetup({ r1csPath: compiled.r1csPath, zkeyPath });
  const vkey = (await snarkjs.zKey.exportVerificationKey(zkeyPath)) as VerificationKey;
  return { dir, wasmPath: compiled.wasmPath, zkeyPath, vkey };
}

/** A test fixture circuit (test/fixtures) compiled into a temp dir, with a development key. */
export async function keyedFixture(name: keyof typeof FIXTURE_MAINS): Promise<KeyedCircuit> {
  const dir = await tempDir(`native-${name}`);
  return keyed(dir, await compileFixture(name, dir));
}

/**
 * A circuit with no constraints beyond its public inputs: `c <== a + b` is linear, and circom's `--O2`
 * substitutes it away, so the only rows of the QAP are the ones the setup adds for the public signals.
 */
export async function keyedPublicOnly(): Promise<KeyedCircuit> {
  const dir = await tempDir('native-public-only');
  const compiled = await compileCircuit({
    name: 'public_only',
    outDir: dir,
    mainSource: [
      'pragma circom 2.2.3;',
      'template PublicOnly() {',
      '  signal input a;',
      '  signal input b;',
      '  signal output c;',
      '  c <== a + b;',
      '}',
      'component main {public [a, b]} = PublicOnly();',
      '',
    ].join('\n'),
  });
  return keyed(dir, compiled);
}
