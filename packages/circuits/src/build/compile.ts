import { spawn } from 'node:child_process';
import { mkdir, open, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CircuitCompileError } from './errors.ts';

/** Options of {@link compileCircuit}. */
export interface CompileCircuitOptions {
  /** The main circom file's text (pragma, includes of `zklogin.circom`, `component main ... = ...;`). */
  mainSource: string;
  /** File stem: writes `${outDir}/${name}.circom`, `${name}.r1cs` and `${name}_js/${name}.wasm`. */
  name: string;
  /** Output directory (created when missing). */
  outDir: string;
  /** Extra `-l` include directories, searched after node_modules and this package's `circuits/`. */
  includePaths?: string[];
  /** Receives every line the compiler prints (stdout and stderr), as it prints it. */
  onProgress?: (line: string) => void;
  /** Run the compiler at lower CPU priority (`nice -n 10`) so a shared machine stays usable. Default true. */
  lowPriority?: boolean;
  /** circom's constraint simplification level (`--O0`/`--O1`/`--O2`). Default {@link CIRCOM_OPTIMIZATION}. */
  optimization?: CircomOptimization;
  /**
   * Also emit circom's C++ witness generator (`--c`) into `${outDir}/${name}_cpp` in the same run (the
   * constraint generation is shared, so this costs far less than a second run). Build it with
   * `buildNativeWitness`. Default false.
   */
  witnessCpp?: boolean;
}

/** circom's simplification levels: 0 none, 1 removes `a = b` / `a = constant`, 2 all linear constraints. */
export type CircomOptimization = 0 | 1 | 2;

/**
 * The simplification level of every zkSSO build: `--O2` substitutes away every linear constraint (about 4 %
 * of the zkLogin circuit at --O1) for about the same compile time and memory as `--O1` here. Part of the
 * artifact cache key: changing it rebuilds.
 *
 * @example
 * ```ts
 * await compileCircuit({ mainSource, name, outDir, optimization: CIRCOM_OPTIMIZATION });
 * ```
 */
export const CIRCOM_OPTIMIZATION: CircomOptimization = 2;

/** What {@link compileCircuit} produced. */
export interface CompiledCircuit {
  /** The R1CS constraint system (input of the Groth16 setup). */
  r1csPath: string;
  /** The WebAssembly witness calculator (input of {@link calculateWitness}). */
  wasmPath: string;
  /** Number of constraints in the R1CS (read from its header). */
  constraints: number;
  /** The C++ witness generator's sources and `.dat` (only with `witnessCpp: true`). */
  cppDir?: string;
}

const require = createRequire(import.meta.url);

/**
 * The directory holding `circomlib`, `@zk-email/...`: the `node_modules` circom resolves includes from.
 *
 * @example
 * ```ts
 * nodeModulesDir(); // '/work/main/node_modules'
 * ```
 */
export function nodeModulesDir(): string {
  return dirname(dirname(require.resolve('circomlib/package.json')));
}

/**
 * This package's circom sources (`packages/circuits/circuits`), an include directory of every compile.
 *
 * @example
 * ```ts
 * await hashCircuitSources(mainSource, [CIRCUITS_DIR, nodeModulesDir()]);
 * ```
 */
export const CIRCUITS_DIR: string = resolve(dirname(fileURLToPath(import.meta.url)), '../../circuits');

/** The deepest directory that contains every one of `paths` (absolute). */
function commonAncestor(paths: readonly string[]): string {
  let ancestor = paths[0] ?? '/';
  for (const path of paths) {
    while (path !== ancestor && !path.startsWith(ancestor.endsWith(sep) ? ancestor : ancestor + sep)) {
      ancestor = dirname(ancestor);
    }
  }
  return ancestor;
}

/**
 * Reads the constraint count from an R1CS file's header section (iden3 r1cs format: sections of
 * `type u32, size u64`; the header holds the prime, then wire and signal counts, then nConstraints).
 *
 * @example
 * ```ts
 * await readR1csConstraintCount('/home/me/.cache/zksso/zklogin_1024/zklogin_1024.r1cs'); // 718216
 * ```
 */
export async function readR1csConstraintCount(r1csPath: string): Promise<number> {
  const file = await open(r1csPath, 'r');
  try {
    const head = Buffer.alloc(12);
    await file.read(head, 0, 12, 0);
    if (head.toString('latin1', 0, 4) !== 'r1cs') throw new Error(`${r1csPath} is not an r1cs file`);
    const sections = head.readUInt32LE(8);
    let position = 12;
    const sectionHead = Buffer.alloc(12);
    for (let i = 0; i < sections; i++) {
      await file.read(sectionHead, 0, 12, position);
      const type = sectionHead.readUInt32LE(0);
      const size = Number(sectionHead.readBigUInt64LE(4));
      if (type === 1) {
        const fieldSize = Buffer.alloc(4);
        await file.read(fieldSize, 0, 4, position + 12);
        const counts = Buffer.alloc(28);
        await file.read(counts, 0, 28, position + 16 + fieldSize.readUInt32LE(0));
        // nWires, nPubOut, nPubIn, nPrvIn (u32 each), nLabels (u64), nConstraints (u32)
        return counts.readUInt32LE(24);
      }
      position += 12 + size;
    }
    throw new Error(`${r1csPath} has no header section`);
  } finally {
    await file.close();
  }
}

/**
 * Compiles a circom 2 circuit with the WebAssembly build of circom (npm `circom2`) into an R1CS and a
 * witness calculator, simplified at {@link CIRCOM_OPTIMIZATION} unless `optimization` says otherwise. Includes resolve from the repository's `node_modules` (circomlib, zk-email) and
 * this package's `circuits/` folder. No `--sym` (it costs hundreds of MB on big circuits).
 *
 * @throws {CircuitCompileError} code `CIRCUIT_COMPILE_FAILED`, with the compiler's output in `details.output`.
 *
 * @example
 * ```ts
 * const { r1csPath, wasmPath, constraints } = await compileCircuit({
 *   name: 'zklogin_576',
 *   outDir: '/home/me/.cache/zksso/zklogin_576',
 *   mainSource: 'pragma circom 2.1.9;\ninclude "zklogin.circom";\n' +
 *     'component main {public [issHash, idc, ephHi, ephLo, expiry, modulusHash]} = ZkLogin(576);\n',
 *   onProgress: (line) => console.log(line),
 * });
 * ```
 */
export async function compileCircuit(options: CompileCircuitOptions): Promise<CompiledCircuit> {
  const { name, witnessCpp = false } = options;
  const { outDir, text, exitCode } = await runCircom(options, [
    '--r1cs',
    '--wasm',
    ...(witnessCpp ? ['--c'] : []),
  ]);
  const r1csPath = join(outDir, `${name}.r1cs`);
  const wasmPath = join(outDir, `${name}_js`, `${name}.wasm`);
  let constraints: number;
  try {
    constraints = await readR1csConstraintCount(r1csPath);
  } catch (cause) {
    throw new CircuitCompileError(`circom produced no readable r1cs for ${name}: ${String(cause)}`, {
      name,
      exitCode,
      output: text,
    });
  }
  return { r1csPath, wasmPath, constraints, ...(witnessCpp ? { cppDir: join(outDir, `${name}_cpp`) } : {}) };
}

/**
 * Emits only circom's C++ witness generator (`--c`: `${outDir}/${name}_cpp/`, sources, Makefile and the
 * `${name}.dat` constants), for a circuit whose r1cs and wasm already exist (the artifact cache adds the
 * native witness generator to a tier folder built before it existed). Same includes and simplification
 * as {@link compileCircuit}, so the witness layout matches the r1cs.
 *
 * @throws {CircuitCompileError} code `CIRCUIT_COMPILE_FAILED`, with the compiler's output in `details.output`.
 *
 * @example
 * ```ts
 * const cppDir = await generateWitnessCpp({ mainSource, name: 'zklogin_1024', outDir: '/tmp/build' });
 * await buildNativeWitness({ cppDir, name: 'zklogin_1024', outDir: '/tmp/build/native' });
 * ```
 */
export async function generateWitnessCpp(
  options: Omit<CompileCircuitOptions, 'witnessCpp'>,
): Promise<string> {
  const { outDir } = await runCircom(options, ['--c']);
  return join(outDir, `${options.name}_cpp`);
}

/** Runs circom2 with the given output flags; throws {@link CircuitCompileError} on any reported error. */
async function runCircom(
  options: CompileCircuitOptions,
  outputFlags: readonly string[],
): Promise<{ outDir: string; text: string; exitCode: number | null }> {
  const {
    mainSource,
    name,
    includePaths = [],
    onProgress,
    lowPriority = true,
    optimization = CIRCOM_OPTIMIZATION,
  } = options;
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw new CircuitCompileError(`Invalid circuit name "${name}"`, { name, exitCode: null, output: '' });
  }
  const outDir = resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  const mainPath = join(outDir, `${name}.circom`);
  await writeFile(mainPath, mainSource);

  const cli = require.resolve('circom2/cli.js');
  const args = [
    cli,
    mainPath,
    ...outputFlags,
    `--O${optimization}`,
    '-l',
    nodeModulesDir(),
    '-l',
    CIRCUITS_DIR,
    ...includePaths.flatMap((path) => ['-l', resolve(path)]),
    '-o',
    outDir,
  ];
  const useNice = lowPriority && process.platform !== 'win32';
  const command = useNice ? 'nice' : process.execPath;
  const commandArgs = useNice ? ['-n', '10', process.execPath, ...args] : args;

  const output: string[] = [];
  const exitCode = await new Promise<number | null>((resolveExit, reject) => {
    // circom2's CLI (WASI) rewrites paths relative to its working directory; includes resolve only below
    // it, so run it from the deepest directory holding node_modules and every include directory (outputs
    // may lie anywhere). Usually the repository root; a git worktree whose node_modules links to another
    // checkout needs their common parent.
    const cwd = commonAncestor([
      dirname(nodeModulesDir()),
      CIRCUITS_DIR,
      ...includePaths.map((path) => resolve(path)),
    ]);
    const child = spawn(command, commandArgs, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const emit = (line: string) => {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the compiler's ANSI colours
      const clean = line.replace(/\u001b\[[0-9;]*m/g, '').trimEnd();
      if (clean.trim() === '') return;
      output.push(clean);
      if (output.length > 200) output.shift();
      onProgress?.(clean);
    };
    const lineSplitter = () => {
      let pending = '';
      return {
        data: (chunk: Buffer) => {
          const lines = (pending + chunk.toString('utf8')).split('\n');
          pending = lines.pop() ?? '';
          lines.forEach(emit);
        },
        end: () => emit(pending),
      };
    };
    const out = lineSplitter();
    const err = lineSplitter();
    child.stdout.on('data', out.data);
    child.stderr.on('data', err.data);
    child.stdout.on('end', out.end);
    child.stderr.on('end', err.end);
    child.on('error', reject);
    child.on('close', resolveExit);
  }).catch((cause: unknown) => {
    throw new CircuitCompileError(`Cannot start the circom compiler: ${String(cause)}`, {
      name,
      exitCode: null,
      output: output.join('\n'),
    });
  });

  const text = output.join('\n');
  // circom2 (WASI) sometimes exits 0 after reporting errors: trust its "error[...]" lines too.
  if (exitCode !== 0 || /^error\[|previous errors were found/m.test(text)) {
    const firstError = output.find((line) => /error/i.test(line)) ?? `exit code ${exitCode}`;
    throw new CircuitCompileError(`circom failed to compile ${name}: ${firstError}`, {
      name,
      exitCode,
      output: text,
    });
  }
  return { outDir, text, exitCode };
}
