// Compiles a test main once per circuit-source version into the zkSSO cache directory, so repeated test
// runs reuse it (a 1,024-byte tier takes minutes to compile).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { hashCircuitSources } from '../../src/artifacts/source-hash.ts';
import {
  CIRCOM_OPTIMIZATION,
  CIRCUITS_DIR,
  type CompiledCircuit,
  compileCircuit,
  nodeModulesDir,
  readR1csConstraintCount,
} from '../../src/build/index.ts';

export function cacheDir(): string {
  return (
    process.env.ZKSSO_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'zksso')
  );
}

// The main source and every file it includes, transitively (circuit and libraries), and the simplification
// level: any change rebuilds.
async function sourcesHash(mainSource: string): Promise<string> {
  const sources = await hashCircuitSources(mainSource, [CIRCUITS_DIR, nodeModulesDir()]);
  return createHash('sha256').update(`${sources}\0O${CIRCOM_OPTIMIZATION}`).digest('hex').slice(0, 16);
}

/** Compiles `mainSource` as `name` unless a build of the same sources is cached. */
export async function compileCached(name: string, mainSource: string): Promise<CompiledCircuit> {
  const outDir = join(cacheDir(), 'test-builds', `${name}-${await sourcesHash(mainSource)}`);
  const r1csPath = join(outDir, `${name}.r1cs`);
  const wasmPath = join(outDir, `${name}_js`, `${name}.wasm`);
  if (existsSync(r1csPath) && existsSync(wasmPath)) {
    return { r1csPath, wasmPath, constraints: await readR1csConstraintCount(r1csPath) };
  }
  return compileCircuit({ name, outDir, mainSource });
}
