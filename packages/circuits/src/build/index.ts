export {
  CIRCOM_OPTIMIZATION,
  CIRCUITS_DIR,
  type CircomOptimization,
  type CompileCircuitOptions,
  type CompiledCircuit,
  compileCircuit,
  nodeModulesDir,
  readR1csConstraintCount,
} from './compile.ts';
export { CircuitCompileError, WitnessError } from './errors.ts';
export { type CircuitInputs, calculateWitness, writeWitness } from './witness.ts';
