import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileCircuit } from '../src/build/compile.ts';

/** This folder's circom test circuits. */
export const FIXTURES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** A fresh temporary folder. */
export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `zksso-${prefix}-`));
}

/**
 * A fresh folder inside the repository (test/.cache, git-ignored): circom2 (WASI) resolves includes only
 * below its working directory, the repository root, so circuit sources for tests must live there.
 */
export async function repoTempDir(prefix: string): Promise<string> {
  const root = join(dirname(FIXTURES_DIR), '.cache');
  await mkdir(root, { recursive: true });
  return mkdtemp(join(root, `${prefix}-`));
}

/** Main components of the fixture circuits. */
export const FIXTURE_MAINS = {
  small: 'component main {public [a, c]} = Small(10);',
  medium: 'component main {public [seed]} = Chain(16);',
  tiny: 'component main {public [a]} = Tiny(40);',
  tiny2: 'component main {public [a]} = Tiny(41);',
} as const;

/** Compiles `test/fixtures/<name>.circom` with its main component into `outDir`. */
export async function compileFixture(name: keyof typeof FIXTURE_MAINS, outDir: string) {
  return compileCircuit({
    name,
    outDir,
    mainSource: `pragma circom 2.2.3;\ninclude "${name.replace(/\d+$/, '')}.circom";\n${FIXTURE_MAINS[name]}\n`,
    includePaths: [FIXTURES_DIR],
  });
}
