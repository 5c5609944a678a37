import { readFile, writeFile } from 'node:fs/promises';
import { WitnessCalculatorBuilder } from 'circom_runtime';
import { WitnessError } from './errors.ts';

/** Circuit input signals by name: numbers, decimal strings, bigints, or (nested) arrays of them. */
export type CircuitInputs = Record<string, unknown>;

interface WitnessCalculator {
  calculateWitness(input: CircuitInputs, sanityCheck: boolean): Promise<bigint[]>;
  calculateWTNSBin(input: CircuitInputs, sanityCheck: boolean): Promise<Uint8Array>;
}

// One calculator per circuit, reused while it succeeds (instantiating a big circuit's WebAssembly takes
// seconds). After a failure it is dropped: circom's runtime keeps appending error text inside an instance.
const calculators = new Map<string, Promise<WitnessCalculator>>();
// Witness calculations on one instance run one at a time.
const queues = new Map<string, Promise<unknown>>();

async function newCalculator(wasmPath: string): Promise<WitnessCalculator> {
  try {
    return (await WitnessCalculatorBuilder(await readFile(wasmPath), {})) as WitnessCalculator;
  } catch (cause) {
    throw new WitnessError(
      `Cannot load the witness calculator ${wasmPath}`,
      { reason: String(cause) },
      cause,
    );
  }
}

function calculatorFor(wasmPath: string): Promise<WitnessCalculator> {
  let calculator = calculators.get(wasmPath);
  if (calculator === undefined) {
    calculator = newCalculator(wasmPath);
    calculators.set(wasmPath, calculator);
    calculator.catch(() => calculators.delete(wasmPath));
  }
  return calculator;
}

/**
 * Turns a circom runtime failure into a {@link WitnessError} naming the failing template and line
 * (circom's wasm reports `Error in template Name_12 line: 34`), so a caller can tell WHY a token was refused.
 */
function toWitnessError(cause: unknown): WitnessError {
  const text = cause instanceof Error ? cause.message : String(cause);
  const located = /template (\w+?)(?:_\d+)? line: (\d+)/.exec(text);
  const reason = text.split('\n')[0]?.trim() || 'witness calculation failed';
  if (located?.[1] !== undefined && located[2] !== undefined) {
    const template = located[1];
    const line = Number(located[2]);
    return new WitnessError(
      `Witness failed: ${reason} in template ${template} line ${line}`,
      {
        template,
        line,
        reason,
      },
      cause,
    );
  }
  return new WitnessError(`Witness failed: ${reason}`, { reason }, cause);
}

function withCalculator<T>(wasmPath: string, run: (calculator: WitnessCalculator) => Promise<T>): Promise<T> {
  const previous = queues.get(wasmPath) ?? Promise.resolve();
  const next = previous.then(
    () => runOnce(wasmPath, run),
    () => runOnce(wasmPath, run),
  );
  queues.set(
    wasmPath,
    next.catch(() => undefined),
  );
  return next;
}

async function runOnce<T>(wasmPath: string, run: (calculator: WitnessCalculator) => Promise<T>): Promise<T> {
  const calculator = await calculatorFor(wasmPath);
  const consoleError = console.error;
  const consoleLog = console.log;
  try {
    // circom's runtime prints "ERROR: ..." itself before throwing; the thrown error carries the same text.
    console.error = () => {};
    console.log = () => {};
    return await run(calculator);
  } catch (cause) {
    calculators.delete(wasmPath);
    throw toWitnessError(cause);
  } finally {
    console.error = consoleError;
    console.log = consoleLog;
  }
}

/**
 * Computes the full witness of a circuit (every signal, `witness[0] = 1`, then the public signals in
 * order) with the circuit's WebAssembly witness calculator, checking every constraint's assertion.
 *
 * @throws {WitnessError} code `WITNESS_FAILED` when an input is missing or an assertion of the circuit fails;
 *   `details.template` / `details.line` locate the failing assertion.
 *
 * @example
 * ```ts
 * const witness = await calculateWitness('/cache/zklogin_576_js/zklogin_576.wasm', inputs);
 * const publicSignals = witness.slice(1, 7);
 * ```
 */
export function calculateWitness(wasmPath: string, input: CircuitInputs): Promise<bigint[]> {
  return withCalculator(wasmPath, (calculator) => calculator.calculateWitness(input, true));
}

/**
 * Computes the witness and writes it in snarkjs's `.wtns` format, ready for `snarkjs.groth16.prove`.
 *
 * @throws {WitnessError} code `WITNESS_FAILED`, as {@link calculateWitness}.
 *
 * @example
 * ```ts
 * await writeWitness('/cache/zklogin_576_js/zklogin_576.wasm', inputs, '/tmp/proof.wtns');
 * const { proof, publicSignals } = await snarkjs.groth16.prove(zkeyPath, '/tmp/proof.wtns');
 * ```
 */
export async function writeWitness(wasmPath: string, input: CircuitInputs, wtnsPath: string): Promise<void> {
  const bytes = await withCalculator(wasmPath, (calculator) => calculator.calculateWTNSBin(input, true));
  await writeFile(wtnsPath, bytes);
}
