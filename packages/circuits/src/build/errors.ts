import { ZkSsoError } from '@zksso/core';

/**
 * The circom compiler refused a circuit (syntax, type or constraint error) or could not run.
 * `details.output` holds the compiler's last lines, which name the file, line and reason.
 *
 * @example
 * ```ts
 * try {
 *   await compileCircuit({ mainSource, name: 'zklogin_576', outDir });
 * } catch (error) {
 *   if (error instanceof CircuitCompileError) console.error(error.details.output);
 * }
 * ```
 */
export class CircuitCompileError extends ZkSsoError {
  constructor(message: string, details: { name: string; exitCode: number | null; output: string }) {
    super('CIRCUIT_COMPILE_FAILED', message, { details });
  }
}

/**
 * The circuit's witness could not be computed: an input is missing or malformed, or a constraint of the
 * circuit does not hold for these inputs (a forged or unsupported token). `details.template` and
 * `details.line` name the circom template and source line of the failing assertion when circom reports
 * them.
 *
 * @example
 * ```ts
 * try {
 *   await calculateWitness(wasmPath, inputs);
 * } catch (error) {
 *   if (error instanceof WitnessError) console.error(error.details.template);
 * }
 * ```
 */
export class WitnessError extends ZkSsoError {
  constructor(
    message: string,
    details: { template?: string; line?: number; reason: string },
    cause?: unknown,
  ) {
    super('WITNESS_FAILED', message, { details, cause });
  }
}
