import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import {
  CIRCOM_OPTIMIZATION,
  CIRCUITS_DIR,
  compileCircuit,
  generateWitnessCpp,
  nodeModulesDir,
} from '../build/compile.ts';
import {
  buildNativeWitness,
  hasNativeWitness,
  missingNativeWitnessTools,
  nativeWitnessEnabled,
  nativeWitnessRecipeKey,
  removeWitnessCppScratch,
} from '../build/native-witness.ts';
import type { VerificationKey } from '../prover/engine.ts';
import { DEV_SETUP_VERSION, devSetup } from '../setup/dev-setup.ts';
import { formatSeconds, type Progress, type ProgressCallback } from '../setup/progress.ts';
import {
  exportLabelledVerificationKey,
  renderVerifierContract,
  verifierContractName,
} from '../solidity/verifier.ts';
import { withFileLock } from './lock.ts';
import { zkLoginMainSource } from './main-source.ts';
import { hashCircuitSources } from './source-hash.ts';

/** A tier's built artifacts, all inside one cache folder. */
export interface TierArtifacts {
  readonly tier: number;
  /** The cache folder holding everything below. */
  readonly dir: string;
  readonly r1csPath: string;
  readonly wasmPath: string;
  /**
   * circom's native (C++) witness generator, when it was built (`native-witness-<recipe>/` in the folder):
   * faster than `wasmPath`; absent when the toolchain was missing or its build failed (wasm is used then).
   */
  readonly witnessBinaryPath?: string;
  /** `…development.zkey`: a DEVELOPMENT KEY (single-party setup). */
  readonly zkeyPath: string;
  readonly vkey: VerificationKey;
  readonly vkeyPath: string;
  readonly verifierSolPath: string;
  readonly constraints: number;
  readonly keyType: 'development';
  /** Seconds the build took (compile, setup) when this folder was made. */
  readonly buildSeconds: { readonly compile: number; readonly setup: number };
}

/** Options of {@link ensureTierArtifacts}. */
export interface EnsureTierOptions {
  /** Progress of a first build (compile, then setup), with an ETA. */
  readonly onProgress?: ProgressCallback;
  /** One-line messages (cache hit, waiting for another process, DEVELOPMENT KEY notice). */
  readonly log?: (line: string) => void;
  /** Cache root; default {@link defaultCacheDir}. */
  readonly cacheDir?: string;
  /** Where `zklogin.circom` and its siblings live; default this package's `circuits/`. */
  readonly sourceDir?: string;
  /** The main file for a tier; default {@link zkLoginMainSource}. Tests inject small circuits here. */
  readonly mainSource?: (tier: number) => string;
  /** Stale-lock timeout for the cross-process build lock (ms). */
  readonly lockStaleMs?: number;
  /**
   * circom's native witness generator (g++; minutes for a real tier, once). `true`: build it with a new
   * tier folder AND add it to a cached folder built without it (circom --c + g++, the caller waits).
   * `false`: never. Default: build it with new zkLogin tier folders only (not when `mainSource` is
   * injected: small test circuits gain nothing), never block a cache hit on adding it.
   * `ZKSSO_NATIVE_WITNESS=0` turns it off everywhere.
   */
  readonly nativeWitness?: boolean;
}

/** Bumped when the dev setup or the artifact layout changes: old cache folders are then ignored. */
const CACHE_LAYOUT_VERSION = 1;

/**
 * The artifact cache root: `$ZKSSO_CACHE_DIR`, else `$XDG_CACHE_HOME/zksso`, else `~/.cache/zksso`.
 *
 * @example
 * ```ts
 * defaultCacheDir(); // '/home/me/.cache/zksso'
 * ```
 */
export function defaultCacheDir(): string {
  return (
    process.env.ZKSSO_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'zksso')
  );
}

interface Manifest {
  readonly version: number;
  readonly tier: number;
  readonly key: string;
  readonly keyType: 'development';
  readonly constraints: number;
  readonly name: string;
  readonly verifier: string;
  readonly buildSeconds: { compile: number; setup: number };
  readonly createdAt: string;
}

const inFlight = new Map<string, Promise<TierArtifacts>>();

/**
 * Returns a tier's circuit, DEVELOPMENT proving key, verification key and Solidity verifier, building them
 * on first use (circom compile + single-party dev setup: minutes for a real tier) and caching them in a
 * folder keyed by a hash of the circuit sources (every included file), the compiler version, the tier and
 * the setup code version. Safe under concurrency: one process builds (cross-process lock), the others wait;
 * a build happens in a temporary folder renamed into place when complete.
 *
 * @example
 * ```ts
 * const tier = await ensureTierArtifacts(1024, { onProgress: (p) => console.log(formatProgress(p)) });
 * const { proof, publicSignals } = await snarkjsEngine.prove(tier, inputs);
 * ```
 */
export async function ensureTierArtifacts(
  tier: number,
  options: EnsureTierOptions = {},
): Promise<TierArtifacts> {
  if (!Number.isInteger(tier) || tier <= 0 || tier > 0xffff)
    throw new RangeError(`tier must be a uint16, got ${tier}`);
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const sourceDir = options.sourceDir ?? CIRCUITS_DIR;
  const mainSource = (options.mainSource ?? zkLoginMainSource)(tier);
  const key = await cacheKey(tier, mainSource, sourceDir);
  const dir = join(cacheDir, `tier-${tier}-${key}`);
  const pending = inFlight.get(dir);
  if (pending) return pending;
  const wantNative = (options.nativeWitness ?? options.mainSource === undefined) && nativeWitnessEnabled();
  // Adding it to an existing folder makes a cache hit wait minutes: only when asked for explicitly.
  const addNative = options.nativeWitness === true && nativeWitnessEnabled();
  const work = (async () => {
    const cached = await readCached(dir);
    if (cached) {
      options.log?.(`zksso: tier ${tier} artifacts from cache ${dir} (DEVELOPMENT KEY)`);
      return addNative ? addNativeWitness(cached, { cacheDir, sourceDir, mainSource, options }) : cached;
    }
    await mkdir(cacheDir, { recursive: true });
    const built = await withFileLock(
      `${dir}.lock`,
      async () => {
        const built = await readCached(dir); // another process may have finished while we waited
        if (built) return built;
        return build({ tier, key, dir, cacheDir, sourceDir, mainSource, options, wantNative });
      },
      {
        ...(options.lockStaleMs === undefined ? {} : { staleMs: options.lockStaleMs }),
        onWait: (owner) =>
          options.log?.(
            `zksso: waiting for process ${owner?.pid ?? '?'} building tier ${tier} in ${cacheDir}`,
          ),
      },
    );
    return addNative ? addNativeWitness(built, { cacheDir, sourceDir, mainSource, options }) : built;
  })();
  inFlight.set(dir, work);
  try {
    return await work;
  } finally {
    inFlight.delete(dir);
  }
}

async function cacheKey(tier: number, mainSource: string, sourceDir: string): Promise<string> {
  const require = createRequire(import.meta.url);
  const circomVersion = (
    JSON.parse(await readFile(require.resolve('circom2/package.json'), 'utf8')) as { version: string }
  ).version;
  const sources = await hashCircuitSources(mainSource, [sourceDir, CIRCUITS_DIR, nodeModulesDir()]);
  const { createHash } = await import('node:crypto');
  return createHash('sha256')
    .update(
      JSON.stringify({
        tier,
        sources,
        circomVersion,
        optimization: CIRCOM_OPTIMIZATION,
        setup: DEV_SETUP_VERSION,
        layout: CACHE_LAYOUT_VERSION,
      }),
    )
    .digest('hex')
    .slice(0, 16);
}

async function readCached(dir: string): Promise<TierArtifacts | undefined> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
  if (manifest.version !== CACHE_LAYOUT_VERSION) return undefined;
  const vkeyPath = join(dir, `${manifest.name}.vkey.development.json`);
  const vkey = JSON.parse(await readFile(vkeyPath, 'utf8')) as VerificationKey;
  const nativeDir = join(dir, nativeWitnessFolder());
  const hasNative = await hasNativeWitness(nativeDir, manifest.name);
  return {
    tier: manifest.tier,
    dir,
    r1csPath: join(dir, `${manifest.name}.r1cs`),
    wasmPath: join(dir, `${manifest.name}_js`, `${manifest.name}.wasm`),
    ...(hasNative ? { witnessBinaryPath: join(nativeDir, manifest.name) } : {}),
    zkeyPath: join(dir, `${manifest.name}.development.zkey`),
    vkey,
    vkeyPath,
    verifierSolPath: join(dir, manifest.verifier),
    constraints: manifest.constraints,
    keyType: 'development',
    buildSeconds: manifest.buildSeconds,
  };
}

/** Rough first-build estimate for a real tier (2 shared cores): compile and setup scale with the tier. */
function estimateSeconds(tier: number): { compile: number; setup: number } {
  return { compile: (200 * tier) / 1024, setup: (240 * tier) / 1024 };
}

async function build(args: {
  tier: number;
  key: string;
  dir: string;
  cacheDir: string;
  sourceDir: string;
  mainSource: string;
  options: EnsureTierOptions;
  wantNative: boolean;
}): Promise<TierArtifacts> {
  const { tier, key, dir, cacheDir, sourceDir, mainSource, options, wantNative } = args;
  const name = `zklogin_${tier}`;
  const temp = join(cacheDir, `.build-tier-${tier}-${key}-${process.pid}-${randomBytes(4).toString('hex')}`);
  const estimate = estimateSeconds(tier);
  const nativeEstimate = wantNative ? estimateNativeSeconds(tier) : 0;
  const total = estimate.compile + estimate.setup + nativeEstimate;
  const compileShare = estimate.compile / total;
  const setupShare = estimate.setup / total;
  const started = Date.now();
  const report = (stage: string, fraction: number, etaSeconds?: number) => {
    const progress: Progress = {
      stage,
      fraction,
      elapsedSeconds: (Date.now() - started) / 1000,
      ...(etaSeconds === undefined ? {} : { etaSeconds }),
    };
    options.onProgress?.(progress);
  };
  options.log?.(
    `zksso: first build of tier ${tier} in ${dir}: compile + DEVELOPMENT KEY setup` +
      `${wantNative ? ' + native witness generator' : ''}, roughly ${formatSeconds(total)} for a real tier`,
  );
  try {
    await mkdir(temp, { recursive: true });
    report('compile', 0, total);
    const compileStarted = Date.now();
    // circom prints little while it works: report on a timer, against the estimate.
    const compileTick = () => {
      const spent = (Date.now() - compileStarted) / 1000;
      report(
        'compile',
        Math.min(0.95, spent / estimate.compile) * compileShare,
        Math.max(0, estimate.compile - spent) + estimate.setup + nativeEstimate,
      );
    };
    const timer = setInterval(compileTick, 5000);
    timer.unref();
    const compiled = await compileCircuit({
      mainSource,
      name,
      outDir: temp,
      includePaths: [sourceDir],
      onProgress: compileTick,
      // The C++ witness generator comes out of the same circom run (shared constraint generation).
      witnessCpp: wantNative,
    }).finally(() => clearInterval(timer));
    const compileSeconds = (Date.now() - compileStarted) / 1000;
    options.log?.(
      `zksso: tier ${tier} compiled, ${compiled.constraints} constraints in ${formatSeconds(compileSeconds)}`,
    );
    options.log?.(`zksso: DEVELOPMENT KEY setup for tier ${tier} (single party: not for production)`);
    const setup = await devSetup({
      r1csPath: compiled.r1csPath,
      zkeyPath: join(temp, `${name}.development.zkey`),
      onProgress: (p) =>
        report(
          `setup: ${p.stage}`,
          compileShare + setupShare * p.fraction,
          p.etaSeconds === undefined ? undefined : p.etaSeconds + nativeEstimate,
        ),
    });
    const vkey = await exportLabelledVerificationKey(setup.zkeyPath, {
      tier,
      keyType: 'development',
      circuitHash: key,
    });
    await writeFile(join(temp, `${name}.vkey.development.json`), `${JSON.stringify(vkey, null, 2)}\n`);
    const verifier = `${verifierContractName(tier)}.development.sol`;
    await writeFile(
      join(temp, verifier),
      await renderVerifierContract({ zkeyPath: setup.zkeyPath, tier, keyType: 'development' }),
    );
    const manifest: Manifest = {
      version: CACHE_LAYOUT_VERSION,
      tier,
      key,
      keyType: 'development',
      constraints: compiled.constraints,
      name,
      verifier,
      buildSeconds: { compile: compileSeconds, setup: setup.seconds },
      createdAt: new Date().toISOString(),
    };
    await writeFile(join(temp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    if (compiled.cppDir !== undefined) {
      // After the key: a failed or slow native build never costs the proving key, only the speed-up.
      const before = compileShare + setupShare;
      await buildNativeInto({
        tier,
        name,
        cppDir: compiled.cppDir,
        folder: temp,
        options,
        report: (stage, fraction, eta) => report(stage, before + (1 - before) * fraction, eta),
      });
    }
    await rm(dir, { recursive: true, force: true }); // a half-written folder from an older layout
    await rename(temp, dir);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  report('done', 1, 0);
  const artifacts = await readCached(dir);
  if (!artifacts) throw new Error(`tier ${tier} artifacts vanished from ${dir}`);
  return artifacts;
}

/** The tier-folder sub-folder of the native witness generator built with today's recipe. */
function nativeWitnessFolder(): string {
  return `native-witness-${nativeWitnessRecipeKey()}`;
}

/** Beside the folder: why the native build failed, so later runs do not retry a broken build each time. */
function nativeFailureMarker(folder: string): string {
  return join(folder, `${nativeWitnessFolder()}.failed.json`);
}

/** Rough native build estimate on 2 shared cores (g++ -O1 of the generated circuit file). */
function estimateNativeSeconds(tier: number): number {
  return (240 * tier) / 1024;
}

/** Reports a step's own progress (0..1 of that step) with the seconds it has left. */
type StepReport = (stage: string, fraction: number, etaSeconds?: number) => void;

/**
 * Builds the native witness generator from `cppDir` into `folder/native-witness-<recipe>/` (through a
 * temporary folder renamed into place) and removes `cppDir`. A failure is logged, recorded in a marker
 * beside it and swallowed: the tier then proves with the wasm witness.
 */
async function buildNativeInto(args: {
  tier: number;
  name: string;
  cppDir: string;
  folder: string;
  options: EnsureTierOptions;
  report: StepReport;
}): Promise<void> {
  const { tier, name, cppDir, folder, options, report } = args;
  const estimate = estimateNativeSeconds(tier);
  const started = Date.now();
  let step = 'native witness';
  const tick = () => {
    const spent = (Date.now() - started) / 1000;
    report(`native witness: ${step}`, Math.min(0.95, spent / estimate), Math.max(0, estimate - spent));
  };
  const timer = setInterval(tick, 5000);
  timer.unref();
  const target = join(folder, nativeWitnessFolder());
  const temp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    options.log?.(
      `zksso: building the native witness generator of tier ${tier} (g++, roughly ${formatSeconds(estimate)})`,
    );
    const built = await buildNativeWitness({
      cppDir,
      name,
      outDir: temp,
      onStep: (line) => {
        step = line;
        tick();
      },
    });
    await rm(target, { recursive: true, force: true });
    await rename(temp, target);
    options.log?.(`zksso: tier ${tier} native witness generator built in ${formatSeconds(built.seconds)}`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    options.log?.(`zksso: WARNING tier ${tier}: ${message}`);
    await writeFile(
      nativeFailureMarker(folder),
      `${JSON.stringify({ message, createdAt: new Date().toISOString() }, null, 2)}\n`,
    ).catch(() => undefined);
    await rm(temp, { recursive: true, force: true });
  } finally {
    clearInterval(timer);
    await removeWitnessCppScratch(cppDir);
  }
}

/**
 * Adds the native witness generator to a tier folder built without it (before it existed, or with a
 * different recipe): circom `--c` alone, then g++, under the tier's own lock. The r1cs and keys stay as
 * they are. Skipped when an earlier attempt failed for this recipe, unless that failure was a missing tool
 * that is now installed.
 */
async function addNativeWitness(
  artifacts: TierArtifacts,
  args: { cacheDir: string; sourceDir: string; mainSource: string; options: EnsureTierOptions },
): Promise<TierArtifacts> {
  if (artifacts.witnessBinaryPath !== undefined) return artifacts;
  const { cacheDir, sourceDir, mainSource, options } = args;
  const { tier, dir } = artifacts;
  if (!(await shouldTryNative(dir))) return artifacts;
  return withFileLock(
    `${dir}.native.lock`,
    async () => {
      const again = await readCached(dir); // another process may have built it while we waited
      if (!again || again.witnessBinaryPath !== undefined || !(await shouldTryNative(dir))) {
        return again ?? artifacts;
      }
      const name = `zklogin_${tier}`;
      // Scratch folders of this tier folder left by a killed builder (we hold its lock): clear them.
      const prefix = `.build-native-${basename(dir)}-`;
      for (const entry of await readdir(cacheDir)) {
        if (entry.startsWith(prefix)) await rm(join(cacheDir, entry), { recursive: true, force: true });
      }
      const scratch = join(cacheDir, `${prefix}${process.pid}-${randomBytes(4).toString('hex')}`);
      const circomEstimate = estimateSeconds(tier).compile;
      const nativeEstimate = estimateNativeSeconds(tier);
      const circomShare = circomEstimate / (circomEstimate + nativeEstimate);
      const started = Date.now();
      const report = (stage: string, fraction: number, etaSeconds?: number) =>
        options.onProgress?.({
          stage,
          fraction,
          elapsedSeconds: (Date.now() - started) / 1000,
          ...(etaSeconds === undefined ? {} : { etaSeconds }),
        });
      const circomTick = () => {
        const spent = (Date.now() - started) / 1000;
        report(
          'native witness: circom --c',
          Math.min(0.95, spent / circomEstimate) * circomShare,
          Math.max(0, circomEstimate - spent) + nativeEstimate,
        );
      };
      const timer = setInterval(circomTick, 5000);
      timer.unref();
      try {
        options.log?.(
          `zksso: tier ${tier}: adding the native witness generator (circom --c + g++, roughly ` +
            `${formatSeconds(circomEstimate + nativeEstimate)} once; the keys stay as they are)`,
        );
        report('native witness: circom --c', 0, circomEstimate + nativeEstimate);
        const cppDir = await generateWitnessCpp({
          mainSource,
          name,
          outDir: scratch,
          includePaths: [sourceDir],
          onProgress: circomTick,
        }).finally(() => clearInterval(timer));
        await buildNativeInto({
          tier,
          name,
          cppDir,
          folder: dir,
          options,
          report: (stage, fraction, eta) => report(stage, circomShare + (1 - circomShare) * fraction, eta),
        });
        report('done', 1, 0);
      } catch (error) {
        // circom itself failed on a circuit that compiled before: record it like a failed g++ build.
        const message = error instanceof Error ? error.message : String(error);
        options.log?.(`zksso: WARNING tier ${tier}: native witness generator not built: ${message}`);
        await writeFile(
          nativeFailureMarker(dir),
          `${JSON.stringify({ message, createdAt: new Date().toISOString() }, null, 2)}\n`,
        ).catch(() => undefined);
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
      return (await readCached(dir)) ?? artifacts;
    },
    {
      ...(options.lockStaleMs === undefined ? {} : { staleMs: options.lockStaleMs }),
      onWait: (owner) =>
        options.log?.(
          `zksso: waiting for process ${owner?.pid ?? '?'} building tier ${tier}'s native witness generator`,
        ),
    },
  );
}

let toolCheck: Promise<string[]> | undefined;

/** False after a failed native build for this recipe, unless it failed for tools that are now present. */
async function shouldTryNative(dir: string): Promise<boolean> {
  let failure: { message?: string };
  try {
    failure = JSON.parse(await readFile(nativeFailureMarker(dir), 'utf8')) as { message?: string };
  } catch {
    return true;
  }
  if (!/missing /.test(failure.message ?? '')) return false;
  toolCheck ??= missingNativeWitnessTools(); // once per process: it runs g++ on two headers
  if ((await toolCheck).length > 0) return false;
  await rm(nativeFailureMarker(dir), { force: true });
  return true;
}
