// circom's native (C++) witness generator: built from `circom --c` output with g++, nasm and libgmp, run as
// a child process. Faster than the WebAssembly calculator on big circuits; the wasm one stays the fallback.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ZkSsoError } from '@zksso/core';
import { WitnessError } from './errors.ts';
import { type CircuitInputs, writeWitness } from './witness.ts';

/** The BN254 scalar field: circom's default prime, the field every zkSSO circuit is compiled over. */
const BN254_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/**
 * How the native witness generator is built. Part of the artifact cache key of the built binary
 * ({@link nativeWitnessRecipeKey}): changing a flag here rebuilds the binary, not the r1cs or keys.
 *
 * `-O1` on the generated circuit file: its source is tens of MB for a real tier (one function per template
 * instance) and g++ at -O2/-O3 costs minutes more and GBs more memory for a few percent of witness time
 * (measured in packages/circuits/README.md). NEVER `-DNDEBUG`: circom's generated code checks the
 * circuit's `assert`s and `===` constraints with `assert()`; without it a forged input would yield a witness.
 */
export const NATIVE_WITNESS_RECIPE = {
  version: 1,
  cxx: 'g++',
  runtimeFlags: ['-std=c++11', '-O2'],
  circuitFlags: ['-std=c++11', '-O1'],
  nasm: ['-felf64'],
  linkFlags: ['-Wl,-z,noexecstack', '-lgmp'],
} as const;

/**
 * A short hash of {@link NATIVE_WITNESS_RECIPE} and the platform: names the cache sub-folder of a built
 * native witness generator, so a changed recipe builds a new one beside the (untouched) r1cs and keys.
 *
 * @example
 * ```ts
 * nativeWitnessRecipeKey(); // 'a1b2c3d4e5f6a7b8'
 * ```
 */
export function nativeWitnessRecipeKey(): string {
  return createHash('sha256')
    .update(JSON.stringify({ recipe: NATIVE_WITNESS_RECIPE, platform: process.platform, arch: process.arch }))
    .digest('hex')
    .slice(0, 16);
}

/**
 * Whether native witness generation is switched on: `ZKSSO_NATIVE_WITNESS=0` turns it off (no build, wasm
 * only), e.g. to compare the two or on a machine without a C++ toolchain.
 *
 * @example
 * ```ts
 * if (nativeWitnessEnabled()) await ensureNativeWitness(...);
 * ```
 */
export function nativeWitnessEnabled(): boolean {
  const value = process.env.ZKSSO_NATIVE_WITNESS;
  return value === undefined || !/^(0|false|no|off)$/i.test(value.trim());
}

/**
 * The native witness generator could not be built (a missing tool or library, an unsupported platform, a
 * compiler error). Proving still works, with the WebAssembly witness calculator.
 * `details.missing` lists the Debian packages to install (`sudo scripts/install-system-deps.sh`).
 *
 * @example
 * ```ts
 * try {
 *   await buildNativeWitness({ cppDir, name, outDir });
 * } catch (error) {
 *   if (error instanceof NativeWitnessBuildError) console.warn(error.message);
 * }
 * ```
 */
export class NativeWitnessBuildError extends ZkSsoError {
  constructor(message: string, details: { missing?: string[]; output?: string }) {
    super('NATIVE_WITNESS_BUILD_FAILED', message, { details });
  }
}

/**
 * The native witness generator could not run (binary or `.dat` missing, crashed, killed): a fault of the
 * build, not of the input. {@link writeWitnessFastest} falls back to WebAssembly on it.
 *
 * @example
 * ```ts
 * try {
 *   await writeWitnessNative(binaryPath, input, wtnsPath);
 * } catch (error) {
 *   if (error instanceof NativeWitnessRunError) await writeWitness(wasmPath, input, wtnsPath);
 * }
 * ```
 */
export class NativeWitnessRunError extends ZkSsoError {
  constructor(
    message: string,
    details: { binaryPath: string; exitCode?: number | null; signal?: string | null },
  ) {
    super('NATIVE_WITNESS_UNAVAILABLE', message, { details });
  }
}

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command, collecting (the tail of) its output; rejects only when it cannot start. */
function run(command: string, args: readonly string[], cwd: string, lowPriority = false): Promise<RunResult> {
  const useNice = lowPriority && process.platform !== 'win32';
  return new Promise((resolveRun, reject) => {
    const child = spawn(useNice ? 'nice' : command, useNice ? ['-n', '10', command, ...args] : [...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (text: string, chunk: Buffer) => (text + chunk.toString('utf8')).slice(-20_000);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout = keep(stdout, chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = keep(stderr, chunk);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolveRun({ code, signal, stdout, stderr }));
  });
}

const PROBE_HEADERS: ReadonlyArray<{ header: string; pkg: string }> = [
  { header: 'gmp.h', pkg: 'libgmp-dev' },
  { header: 'nlohmann/json.hpp', pkg: 'nlohmann-json3-dev' },
];

/**
 * The Debian packages missing to build circom's native witness generator here (`g++`, `nasm`,
 * `libgmp-dev`, `nlohmann-json3-dev`), or `['(unsupported platform …)']` off Linux x86-64 (circom's field
 * code is x86-64 assembly). Empty when the build can run.
 *
 * @example
 * ```ts
 * await missingNativeWitnessTools(); // [] or ['nasm', 'nlohmann-json3-dev']
 * ```
 */
export async function missingNativeWitnessTools(): Promise<string[]> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return [`(unsupported platform ${process.platform}-${process.arch}: needs linux-x64)`];
  }
  const missing: string[] = [];
  const works = async (command: string, args: string[]) => {
    try {
      return (await run(command, args, tmpdir())).code === 0;
    } catch {
      return false;
    }
  };
  const hasCxx = await works(NATIVE_WITNESS_RECIPE.cxx, ['--version']);
  if (!hasCxx) missing.push('g++');
  if (!(await works('nasm', ['-v']))) missing.push('nasm');
  if (hasCxx) {
    const dir = await mkdtemp(join(tmpdir(), 'zksso-probe-'));
    try {
      for (const { header, pkg } of PROBE_HEADERS) {
        const file = join(dir, `${pkg}.cpp`);
        await writeFile(file, `#include <${header}>\n`);
        if (!(await works(NATIVE_WITNESS_RECIPE.cxx, ['-std=c++11', '-E', '-o', '/dev/null', file]))) {
          missing.push(pkg);
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  } else {
    missing.push(...PROBE_HEADERS.map((p) => p.pkg));
  }
  return missing;
}

/** Options of {@link buildNativeWitness}. */
export interface BuildNativeWitnessOptions {
  /** circom's `--c` output folder (`${name}_cpp`: main.cpp, calcwit.cpp, fr.cpp, fr.asm, `${name}.cpp`, `.dat`). */
  readonly cppDir: string;
  /** The circuit's file stem (`zklogin_1024`). */
  readonly name: string;
  /** Where the binary `${name}` and its `${name}.dat` go (created when missing). */
  readonly outDir: string;
  /** One line per build step as it starts (`g++ -O1 zklogin_1024.cpp`). */
  readonly onStep?: (line: string) => void;
  /** Compile at lower CPU priority (`nice -n 10`). Default true. */
  readonly lowPriority?: boolean;
}

/** What {@link buildNativeWitness} produced. */
export interface NativeWitnessBuild {
  /** The witness generator: `binary <input.json> <output.wtns>`; reads `${binaryPath}.dat`. */
  readonly binaryPath: string;
  readonly datPath: string;
  readonly seconds: number;
}

/**
 * Builds circom's C++ witness generator with {@link NATIVE_WITNESS_RECIPE} (g++, nasm, libgmp): the small
 * runtime files first, then the circuit's big generated file (minutes for a real tier), then links.
 * Object files stay in `cppDir`; the binary and its `.dat` land in `outDir`.
 *
 * @throws {NativeWitnessBuildError} code `NATIVE_WITNESS_BUILD_FAILED`: missing tools (`details.missing`)
 *   or a compiler error (`details.output`, its last lines).
 *
 * @example
 * ```ts
 * const { binaryPath } = await buildNativeWitness({
 *   cppDir: '/tmp/b/zklogin_1024_cpp', name: 'zklogin_1024', outDir: '/tmp/b/native',
 *   onStep: (line) => console.log(line),
 * });
 * await writeWitnessNative(binaryPath, inputs, '/tmp/w.wtns');
 * ```
 */
export async function buildNativeWitness(options: BuildNativeWitnessOptions): Promise<NativeWitnessBuild> {
  const { name, onStep, lowPriority = true } = options;
  const started = Date.now();
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw new NativeWitnessBuildError(`Invalid circuit name "${name}"`, {});
  }
  const missing = await missingNativeWitnessTools();
  if (missing.length > 0) {
    throw new NativeWitnessBuildError(
      `Cannot build the native witness generator: missing ${missing.join(', ')} ` +
        '(install them with: sudo scripts/install-system-deps.sh); using the WebAssembly witness instead',
      { missing },
    );
  }
  const cppDir = resolve(options.cppDir);
  const outDir = resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  const { cxx, runtimeFlags, circuitFlags, nasm, linkFlags } = NATIVE_WITNESS_RECIPE;
  const steps: Array<{ label: string; command: string; args: string[] }> = [
    ...['main', 'calcwit', 'fr'].map((file) => ({
      label: `${cxx} ${file}.cpp`,
      command: cxx,
      args: [...runtimeFlags, '-I.', '-c', `${file}.cpp`, '-o', `${file}.o`],
    })),
    { label: 'nasm fr.asm', command: 'nasm', args: [...nasm, 'fr.asm', '-o', 'fr_asm.o'] },
    {
      label: `${cxx} ${circuitFlags.join(' ')} ${name}.cpp (the circuit: the long step)`,
      command: cxx,
      args: [...circuitFlags, '-I.', '-c', `${name}.cpp`, '-o', `${name}.o`],
    },
    {
      label: `link ${name}`,
      command: cxx,
      args: ['-o', join(outDir, name), 'main.o', 'calcwit.o', 'fr.o', 'fr_asm.o', `${name}.o`, ...linkFlags],
    },
  ];
  for (const step of steps) {
    onStep?.(step.label);
    let result: RunResult;
    try {
      result = await run(step.command, step.args, cppDir, lowPriority);
    } catch (cause) {
      throw new NativeWitnessBuildError(`Cannot run ${step.command}: ${String(cause)}`, {});
    }
    if (result.code !== 0) {
      const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-40).join('\n');
      throw new NativeWitnessBuildError(
        `Building the native witness generator failed at "${step.label}" ` +
          `(${result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`}); ` +
          'using the WebAssembly witness instead',
        { output },
      );
    }
  }
  const datPath = join(outDir, `${name}.dat`);
  await copyFile(join(cppDir, `${name}.dat`), datPath);
  return { binaryPath: join(outDir, name), datPath, seconds: (Date.now() - started) / 1000 };
}

/** Object files and sources of a `--c` folder are scratch once the binary exists. */
export async function removeWitnessCppScratch(cppDir: string): Promise<void> {
  await rm(cppDir, { recursive: true, force: true });
}

/**
 * Inputs in the form the native generator parses exactly like circom's wasm runtime does: every value a
 * non-negative decimal string reduced mod the field (the C++ reads JSON numbers as doubles, rejects
 * negatives and `0x…` garbage), arrays flattened.
 */
function normaliseInputs(input: CircuitInputs): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(input)) {
    const flat: unknown[] = [];
    const fill = (v: unknown) => {
      if (Array.isArray(v)) for (const item of v) fill(item);
      else flat.push(v);
    };
    fill(value);
    const normalised = flat.map((v) => {
      let n: bigint;
      try {
        n = BigInt(v as string | number | bigint | boolean);
      } catch {
        // Never echo the value: inputs hold the token, the salt and the ephemeral key.
        throw new WitnessError(`Witness failed: input signal "${key}" holds a value that is not an integer`, {
          reason: `input signal "${key}" is not an integer`,
        });
      }
      const reduced = n % BN254_R;
      return (reduced < 0n ? reduced + BN254_R : reduced).toString();
    });
    out[key] = Array.isArray(value) ? normalised : (normalised[0] ?? '0');
  }
  return out;
}

/**
 * Reads a circuit failure out of the native generator's output: an `assert`/`===` that does not hold
 * (`Failed assert in template/function Name line 38. Followed trace of components: main.lt.n2b`) or a
 * badly shaped input. Undefined when the output shows no such failure (then the binary itself is at fault).
 */
function circuitFailure(stdout: string, stderr: string): WitnessError | undefined {
  const text = `${stdout}\n${stderr}`;
  const assertion =
    /Failed assert in template\/function (\w+?)(?:_\d+)? line (\d+)\.(?: Followed trace of components: (\S+))?/.exec(
      text,
    );
  if (assertion?.[1] !== undefined && assertion[2] !== undefined) {
    const template = assertion[1];
    const line = Number(assertion[2]);
    const trace = assertion[3] ? ` (component ${assertion[3]})` : '';
    const reason = `Assert Failed${trace}`;
    return new WitnessError(`Witness failed: ${reason} in template ${template} line ${line}`, {
      template,
      line,
      reason,
    });
  }
  const shaped: Array<[RegExp, (m: RegExpExecArray) => string]> = [
    [/Not all inputs have been set\. Only (\d+) out of (\d+)/, (m) => m[0]],
    [
      /Error loading signal ([\w.[\]]+): (Not enough values|Too many values)/,
      (m) => `${m[2]} for input signal ${m[1]}`,
    ],
    [/Signal not found/, () => 'an input signal is not in the circuit'],
    [/Invalid number in JSON input/, () => 'an input value is not a field element'],
  ];
  for (const [pattern, describe] of shaped) {
    const match = pattern.exec(text);
    if (match) {
      const reason = describe(match);
      return new WitnessError(`Witness failed: ${reason}`, { reason });
    }
  }
  return undefined;
}

/**
 * Computes a witness with circom's native generator (built by {@link buildNativeWitness}) and writes it in
 * snarkjs's `.wtns` format, byte for byte what {@link writeWitness} writes from the wasm calculator. The
 * inputs go through a private temporary file (mode 0600 in a fresh 0700 folder), removed right after.
 *
 * @throws {WitnessError} code `WITNESS_FAILED` when an assertion of the circuit fails (`details.template`,
 *   `details.line`) or an input is missing, extra or badly shaped: the same cases as the wasm path.
 * @throws {NativeWitnessRunError} code `NATIVE_WITNESS_UNAVAILABLE` when the binary cannot run or dies
 *   without a circuit failure (missing `.dat`, crash).
 *
 * @example
 * ```ts
 * await writeWitnessNative(tier.witnessBinaryPath, inputs, '/tmp/proof.wtns');
 * ```
 */
export async function writeWitnessNative(
  binaryPath: string,
  input: CircuitInputs,
  wtnsPath: string,
): Promise<void> {
  const json = JSON.stringify(normaliseInputs(input));
  const dir = await mkdtemp(join(tmpdir(), 'zksso-witness-'));
  try {
    const inputPath = join(dir, 'input.json');
    await writeFile(inputPath, json, { mode: 0o600 });
    const target = resolve(wtnsPath);
    await rm(target, { force: true }); // a stale file must not pass for this run's output
    let result: RunResult;
    try {
      result = await run(resolve(binaryPath), [inputPath, target], dir);
    } catch (cause) {
      throw new NativeWitnessRunError(
        `Cannot run the native witness generator ${binaryPath}: ${String(cause)}`,
        {
          binaryPath,
        },
      );
    }
    if (result.code !== 0) {
      const failure = circuitFailure(result.stdout, result.stderr);
      if (failure) throw failure;
      const datMissing = /\.dat file not found/.test(result.stdout + result.stderr);
      throw new NativeWitnessRunError(
        `The native witness generator ${binaryPath} failed ` +
          `(${result.signal ? `signal ${result.signal}` : `exit code ${result.code}`})` +
          (datMissing ? `: ${binaryPath}.dat is missing` : ''),
        { binaryPath, exitCode: result.code, signal: result.signal },
      );
    }
    const written = await stat(target).catch(() => undefined);
    if (!written || written.size === 0) {
      throw new NativeWitnessRunError(`The native witness generator ${binaryPath} wrote no witness`, {
        binaryPath,
        exitCode: result.code,
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The witness generators of a circuit: the wasm one always, the native one when it was built. */
export interface WitnessArtifacts {
  readonly wasmPath: string;
  readonly witnessBinaryPath?: string | undefined;
}

const warned = new Set<string>();

/**
 * Writes the witness with the fastest generator available: circom's native one when `witnessBinaryPath`
 * is set (and `ZKSSO_NATIVE_WITNESS` is not `0`), else the WebAssembly one. If the native binary cannot run
 * (missing, crashed) it warns once per binary and falls back to WebAssembly: a broken build never breaks
 * proving. A failing circuit assertion or a bad input is a {@link WitnessError} from either path.
 *
 * @throws {WitnessError} code `WITNESS_FAILED`, as {@link writeWitness}.
 *
 * @example
 * ```ts
 * const tier = await ensureTierArtifacts(1024);
 * await writeWitnessFastest(tier, inputs, '/tmp/proof.wtns');
 * ```
 */
export async function writeWitnessFastest(
  artifacts: WitnessArtifacts,
  input: CircuitInputs,
  wtnsPath: string,
  options: { readonly warn?: (line: string) => void } = {},
): Promise<'native' | 'wasm'> {
  const binaryPath = artifacts.witnessBinaryPath;
  if (binaryPath !== undefined && nativeWitnessEnabled()) {
    try {
      await writeWitnessNative(binaryPath, input, wtnsPath);
      return 'native';
    } catch (error) {
      if (!(error instanceof NativeWitnessRunError)) throw error;
      if (!warned.has(binaryPath)) {
        warned.add(binaryPath);
        (options.warn ?? console.warn)(`zksso: ${error.message}; using the WebAssembly witness calculator`);
      }
    }
  }
  await writeWitness(artifacts.wasmPath, input, wtnsPath);
  return 'wasm';
}

/** Files of a built native witness generator folder, for a quick completeness check. */
export async function hasNativeWitness(dir: string, name: string): Promise<boolean> {
  try {
    const files = new Set(await readdir(dir));
    return files.has(name) && files.has(`${name}.dat`);
  } catch {
    return false;
  }
}
