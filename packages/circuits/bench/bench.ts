// Benchmark of @zksso/circuits per tier: constraints, compile and DEVELOPMENT KEY setup time (measured when
// the tier's cache folder was built; a fresh cache dir measures them now), witness, prove and verify time
// (median of 3, with the default engine: native unless ZKSSO_PROVER_ENGINE=snarkjs), peak memory.
//   npm run bench -w @zksso/circuits [-- --tier 576 --tier 1024]
// The side-by-side comparison of the engines is `npm run bench:engines` (bench/prover-engines.ts).
// Writes bench/results/circuits.json at the repository root.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as snarkjs from 'snarkjs';
import { ensureTierArtifacts } from '../src/artifacts/cache.ts';
import { writeWitnessNative } from '../src/build/native-witness.ts';
import { writeWitness } from '../src/build/witness.ts';
import { nativeProverProcess } from '../src/prover/native-engine.ts';
import { PROVER_ENGINE_NAMES, type ProverEngineName } from '../src/prover/select-engine.ts';
import { formatProgress } from '../src/setup/progress.ts';
import { groth16Domain, TIERS } from '../src/tiers.ts';
import { benchTierToken } from '../test/circuit/fixtures.ts';

const here = dirname(fileURLToPath(import.meta.url));
const resultsPath = resolve(here, '../../../bench/results/circuits.json');
const { values } = parseArgs({ options: { tier: { type: 'string', multiple: true } } });
// Default: the 1,024-byte tier (CI's tier). The others build the same way but take minutes each on 2 cores.
const tiers = values.tier?.map(Number) ?? [1024];
const engine = (process.env.ZKSSO_PROVER_ENGINE?.trim() || 'native') as ProverEngineName;
if (!PROVER_ENGINE_NAMES.includes(engine)) throw new Error(`ZKSSO_PROVER_ENGINE=${engine} is not an engine`);

const round2 = (x: number) => Math.round(x * 100) / 100;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const seconds = async (run: () => Promise<unknown>) => {
  const t = performance.now();
  await run();
  return (performance.now() - t) / 1000;
};

async function benchTier(tier: number) {
  let last = -1;
  const artifacts = await ensureTierArtifacts(tier, {
    nativeWitness: true, // measure it even on a tier folder built before it existed
    log: (line) => console.log(line),
    onProgress: (p) => {
      const step = Math.floor(p.fraction * 20);
      if (step !== last) console.log(`  ${formatProgress(p)}`);
      last = step;
    },
  });
  const shape = groth16Domain(artifacts.constraints, artifacts.vkey.nPublic);
  console.log(
    `  tier ${tier}: ${artifacts.constraints} constraints, domain 2^${shape.power}, ${shape.freeRows} rows free (${(shape.headroom * 100).toFixed(2)} %)`,
  );
  const token = benchTierToken(tier);
  const { inputs, publicInputs } = token;
  const dir = await mkdtemp(join(tmpdir(), 'zksso-bench-'));
  try {
    const wtns = join(dir, 'w.wtns');
    const witness: number[] = [];
    // circom's native witness generator (when the cache built it), on the same input: must match byte for byte.
    const nativeWitness: number[] = [];
    const prove: number[] = [];
    const verify: number[] = [];
    let proof: unknown;
    let publicSignals: string[] = [];
    for (let i = 0; i < 3; i++) {
      witness.push(await seconds(() => writeWitness(artifacts.wasmPath, inputs, wtns)));
      if (artifacts.witnessBinaryPath !== undefined) {
        const nativeWtns = join(dir, 'native.wtns');
        const binary = artifacts.witnessBinaryPath;
        nativeWitness.push(await seconds(() => writeWitnessNative(binary, inputs, nativeWtns)));
        if (!(await readFile(nativeWtns)).equals(await readFile(wtns))) {
          throw new Error(`tier ${tier}: the native witness differs from the wasm witness`);
        }
      }
      prove.push(
        await seconds(async () => {
          ({ proof, publicSignals } =
            engine === 'native'
              ? await nativeProverProcess().prove(artifacts.zkeyPath, wtns)
              : await snarkjs.groth16.prove(artifacts.zkeyPath, wtns));
        }),
      );
      let ok = false;
      verify.push(
        await seconds(async () => {
          ok = await snarkjs.groth16.verify(artifacts.vkey, publicSignals, proof);
        }),
      );
      if (!ok) throw new Error(`tier ${tier}: proof did not verify`);
      console.log(
        `  tier ${tier} run ${i + 1}: witness ${witness[i]?.toFixed(2)} s` +
          (nativeWitness[i] === undefined ? '' : ` (native ${nativeWitness[i]?.toFixed(2)} s)`) +
          `, prove ${prove[i]?.toFixed(2)} s`,
      );
    }
    if (publicSignals.length !== publicInputs.length) throw new Error('unexpected public signal count');
    const domain = groth16Domain(artifacts.constraints, artifacts.vkey.nPublic);
    return {
      tier,
      token: { provider: token.provider, signedLength: token.signedLength },
      constraints: artifacts.constraints,
      // The power-of-two domain its proofs pay for and the rows left before it doubles.
      domain: {
        power: domain.power,
        freeRows: domain.freeRows,
        headroomPercent: round2(domain.headroom * 100),
      },
      keyType: artifacts.keyType,
      compileSeconds: artifacts.buildSeconds.compile,
      setupSeconds: artifacts.buildSeconds.setup,
      witnessSeconds: median(witness),
      // null when the native witness generator was not built (missing toolchain, ZKSSO_NATIVE_WITNESS=0).
      nativeWitnessSeconds: nativeWitness.length > 0 ? median(nativeWitness) : null,
      proveSeconds: median(prove),
      verifySeconds: median(verify),
      runs: { witness, nativeWitness, prove, verify },
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      engine,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// Written again after each tier, so a long multi-tier run keeps what it measured if a later tier fails.
async function writeReport(results: unknown[], done: number[], loadBefore: number[]) {
  const report = {
    benchmark: '@zksso/circuits',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGB: Math.round(totalmem() / 2 ** 30) },
    // Other jobs on a shared machine stretch wall-clock figures: the 1-minute load average before and after.
    loadAverage: { before: loadBefore[0], after: loadavg()[0] },
    node: process.version,
    notes: [
      'compileSeconds / setupSeconds were measured when the tier was first built into the cache (wall clock, shared machine); use a fresh ZKSSO_CACHE_DIR to measure them again.',
      'peakRssMB is this process (setup, witness, prove, verify); the circom compiler and the native prover run as child processes and are not included (bench:engines measures the native child).',
      'proveSeconds of the native engine: the first run includes loading the proving key into the prover child.',
      `tiers not benchmarked: ${
        TIERS.map((t) => t.maxSignedBytes)
          .filter((t) => !done.includes(t))
          .join(', ') || 'none'
      } (same procedure; pass --tier <n>).`,
    ],
    tiers: results,
  };
  await mkdir(dirname(resultsPath), { recursive: true });
  await writeFile(resultsPath, `${JSON.stringify(report, null, 2)}\n`);
}

try {
  const loadBefore = loadavg();
  const results = [];
  const done: number[] = [];
  for (const tier of tiers) {
    results.push(await benchTier(tier));
    done.push(tier);
    await writeReport(results, done, loadBefore);
  }
  console.log(`wrote ${resultsPath}`);
  process.exit(0);
} catch (error) {
  console.error(error);
  process.exit(1);
}
