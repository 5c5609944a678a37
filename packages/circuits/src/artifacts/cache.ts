import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CIRCOM_OPTIMIZATION, CIRCUITS_DIR, compileCircuit, nodeModulesDir } from '../build/compile.ts';
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
  const work = (async () => {
    const cached = await readCached(dir);
    if (cached) {
      options.log?.(`zksso: tier ${tier} artifacts from cache ${dir} (DEVELOPMENT KEY)`);
      return cached;
    }
    await mkdir(cacheDir, { recursive: true });
    return withFileLock(
      `${dir}.lock`,
      async () => {
        const built = await readCached(dir); // another process may have finished while we waited
        if (built) return built;
        return build({ tier, key, dir, cacheDir, sourceDir, mainSource, options });
      },
      {
        ...(options.lockStaleMs === undefined ? {} : { staleMs: options.lockStaleMs }),
        onWait: (owner) =>
          options.log?.(
            `zksso: waiting for process ${owner?.pid ?? '?'} building tier ${tier} in ${cacheDir}`,
          ),
      },
    );
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
  return {
    tier: manifest.tier,
    dir,
    r1csPath: join(dir, `${manifest.name}.r1cs`),
    wasmPath: join(dir, `${manifest.name}_js`, `${manifest.name}.wasm`),
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
}): Promise<TierArtifacts> {
  const { tier, key, dir, cacheDir, sourceDir, mainSource, options } = args;
  const name = `zklogin_${tier}`;
  const temp = join(cacheDir, `.build-tier-${tier}-${key}-${process.pid}-${randomBytes(4).toString('hex')}`);
  const estimate = estimateSeconds(tier);
  const compileShare = estimate.compile / (estimate.compile + estimate.setup);
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
    `zksso: first build of tier ${tier} in ${dir}: compile + DEVELOPMENT KEY setup, ` +
      `roughly ${formatSeconds(estimate.compile + estimate.setup)} for a real tier`,
  );
  try {
    await mkdir(temp, { recursive: true });
    report('compile', 0, estimate.compile + estimate.setup);
    const compileStarted = Date.now();
    // circom prints little while it works: report on a timer, against the estimate.
    const compileTick = () => {
      const spent = (Date.now() - compileStarted) / 1000;
      report(
        'compile',
        Math.min(0.95, spent / estimate.compile) * compileShare,
        Math.max(0, estimate.compile - spent) + estimate.setup,
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
        report(`setup: ${p.stage}`, compileShare + (1 - compileShare) * p.fraction, p.etaSeconds),
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
