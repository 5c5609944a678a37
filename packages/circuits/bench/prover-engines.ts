// Benchmark: the native engine (zksso-prover) against snarkjs, side by side in one run, on the same tier
// inputs: runs alternate engines (native first on even runs, snarkjs first on odd ones) so machine load
// hits both alike. Writes bench/results/prover-engines.json.
//
//   npm run bench:engines -w @zksso/circuits [-- --tier 576 --tier 1024 --tier 1600 --runs 3]
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as snarkjs from 'snarkjs';
import { ensureTierArtifacts, type TierArtifacts } from '../src/artifacts/cache.ts';
import { writeWitnessFastest } from '../src/build/native-witness.ts';
import { writeWitness } from '../src/build/witness.ts';
import type { SnarkjsProof } from '../src/prover/encoding.ts';
import {
  NativeProverProcess,
  type NativeProverTimings,
  nativeProverBinaryPath,
} from '../src/prover/native-process.ts';
import { formatProgress } from '../src/setup/progress.ts';
import { benchTierToken } from '../test/circuit/fixtures.ts';

const here = dirname(fileURLToPath(import.meta.url));
const resultsPath = resolve(here, '../../../bench/results/prover-engines.json');
const { values } = parseArgs({
  options: { tier: { type: 'string', multiple: true }, runs: { type: 'string' } },
});
const tiers = values.tier?.map(Number) ?? [576, 1024];
const runsPerEngine = Number(values.runs ?? 3);

type Engine = 'native' | 'snarkjs';
interface Run {
  tier: number;
  engine: Engine;
  run: number;
  witnessMs: number;
  proveMs: number;
  peakRssMB: number;
  loadAverage: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const round = (x: number) => Math.round(x * 10) / 10;

// Peak RSS per run: writing 5 to clear_refs resets VmHWM (Linux >= 4.0), read back after the run.
function resetPeak(pid: number | 'self'): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // Not permitted: the figure is then the peak since the process started.
  }
}
function peakMB(pid: number | 'self'): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : Number.NaN;
}

async function benchTier(tier: number, runs: Run[], breakdown: Record<string, unknown>) {
  let last = -1;
  const artifacts: TierArtifacts = await ensureTierArtifacts(tier, {
    nativeWitness: true,
    log: (line) => console.log(line),
    onProgress: (p) => {
      const step = Math.floor(p.fraction * 20);
      if (step !== last) console.log(`  ${formatProgress(p)}`);
      last = step;
    },
  });
  const { inputs, provider } = benchTierToken(tier);
  // A child of its own per tier, closed after the tier: its peak RSS is this tier's (one shared child would
  // keep the previous tiers' keys mapped and count them too).
  const prover = new NativeProverProcess(nativeProverBinaryPath());
  const dir = await mkdtemp(join(tmpdir(), 'zksso-bench-engines-'));
  const nativeTimings: NativeProverTimings[] = [];
  try {
    const wtns = join(dir, 'w.wtns');
    const timed = async (run: () => Promise<unknown>) => {
      const t = performance.now();
      await run();
      return performance.now() - t;
    };
    // Warm-up (not recorded as a run): instantiates the witness WebAssembly and loads the key into the
    // native child, as a prover service worker does once.
    await writeWitness(artifacts.wasmPath, inputs, wtns);
    const warm = await prover.prove(artifacts.zkeyPath, wtns);
    console.log(`  tier ${tier} native warm-up (key load ${Math.round(warm.timings.loadMs)} ms)`);
    breakdown[`warmupTier${tier}`] = warm.timings;

    for (let i = 0; i < runsPerEngine; i++) {
      const order: Engine[] = i % 2 === 0 ? ['native', 'snarkjs'] : ['snarkjs', 'native'];
      for (const engine of order) {
        // Each engine's own default witness path: the native engine uses circom's native generator when the
        // tier has one (writeWitnessFastest), snarkjs the WebAssembly one.
        const witnessMs = await timed(() =>
          engine === 'native'
            ? writeWitnessFastest(artifacts, inputs, wtns)
            : writeWitness(artifacts.wasmPath, inputs, wtns),
        );
        let proof: SnarkjsProof;
        let publicSignals: string[];
        let proveMs: number;
        let peakRssMB: number;
        if (engine === 'native') {
          const pid = prover.pid as number;
          resetPeak(pid);
          let result: Awaited<ReturnType<typeof prover.prove>> | undefined;
          proveMs = await timed(async () => {
            result = await prover.prove(artifacts.zkeyPath, wtns);
          });
          if (!result) throw new Error('no native result');
          ({ proof, publicSignals } = result);
          nativeTimings.push(result.timings);
          peakRssMB = peakMB(pid);
        } else {
          resetPeak('self');
          let result: { proof: SnarkjsProof; publicSignals: string[] } | undefined;
          proveMs = await timed(async () => {
            result = await snarkjs.groth16.prove(artifacts.zkeyPath, wtns);
          });
          if (!result) throw new Error('no snarkjs result');
          ({ proof, publicSignals } = result);
          peakRssMB = peakMB('self');
        }
        if (!(await snarkjs.groth16.verify(artifacts.vkey, publicSignals, proof))) {
          throw new Error(`tier ${tier}: the ${engine} proof did not verify`);
        }
        const entry: Run = {
          tier,
          engine,
          run: i + 1,
          witnessMs: Math.round(witnessMs),
          proveMs: Math.round(proveMs),
          peakRssMB,
          loadAverage: round(loadavg()[0] as number),
        };
        runs.push(entry);
        console.log(
          `  tier ${tier} run ${i + 1} ${engine}: witness ${entry.witnessMs} ms, prove ${entry.proveMs} ms, peak ${peakRssMB} MB (load ${entry.loadAverage})`,
        );
      }
    }
  } finally {
    prover.close();
    await rm(dir, { recursive: true, force: true });
  }
  const phases = Object.keys(nativeTimings[0] ?? {}) as (keyof NativeProverTimings)[];
  breakdown[`tier${tier}`] = {
    provider,
    constraints: artifacts.constraints,
    medianMs: Object.fromEntries(phases.map((p) => [p, round(median(nativeTimings.map((t) => t[p])))])),
  };
}

function summary(runs: Run[]) {
  return [...new Set(runs.map((r) => r.tier))].map((tier) => {
    const of = (engine: Engine) => runs.filter((r) => r.tier === tier && r.engine === engine);
    const total = (engine: Engine) => median(of(engine).map((r) => r.witnessMs + r.proveMs));
    const prove = (engine: Engine) => median(of(engine).map((r) => r.proveMs));
    return {
      tier,
      medianWitnessPlusProveMs: { native: total('native'), snarkjs: total('snarkjs') },
      medianProveMs: { native: prove('native'), snarkjs: prove('snarkjs') },
      speedupWitnessPlusProve: round(total('snarkjs') / total('native')),
      speedupProve: round(prove('snarkjs') / prove('native')),
    };
  });
}

async function writeReport(runs: Run[], breakdown: Record<string, unknown>, loadBefore: number) {
  const report = {
    benchmark: '@zksso/circuits prover engines',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGB: Math.round(totalmem() / 2 ** 30) },
    // A shared machine stretches wall-clock figures: the 1-minute load average before, after and per run.
    loadAverage: { before: round(loadBefore), after: round(loadavg()[0] as number) },
    node: process.version,
    notes: [
      'witnessMs: native engine: circom native witness generator when the tier has one (else wasm); snarkjs: circom WebAssembly witness (warm instance); proveMs: wall clock of the prove call (native: request to answer over the child pipe, key already loaded by a warm-up).',
      'peakRssMB: VmHWM of the proving process, reset before each run (native: the zksso-prover child of the tier, its mapped zkey pages included; snarkjs: this Node process).',
      'breakdown: the native prover phases (median over the runs), from its own timings.',
    ],
    summary: summary(runs),
    runs,
    breakdown,
  };
  await mkdir(dirname(resultsPath), { recursive: true });
  await writeFile(resultsPath, `${JSON.stringify(report, null, 2)}\n`);
}

try {
  const loadBefore = loadavg()[0] as number;
  const runs: Run[] = [];
  const breakdown: Record<string, unknown> = {};
  for (const tier of tiers) {
    await benchTier(tier, runs, breakdown);
    await writeReport(runs, breakdown, loadBefore);
  }
  console.log(`wrote ${resultsPath}`);
  process.exit(0);
} catch (error) {
  console.error(error);
  process.exit(1);
}
