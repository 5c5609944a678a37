export {
  CIRCOM_OPTIMIZATION,
  CIRCUITS_DIR,
  type CircomOptimization,
  type CompileCircuitOptions,
  type CompiledCircuit,
  compileCircuit,
  generateWitnessCpp,
  nodeModulesDir,
  readR1csConstraintCount,
} from './compile.ts';
export { CircuitCompileError, WitnessError } from './errors.ts';
export {
  type BuildNativeWitnessOptions,
  buildNativeWitness,
  missingNativeWitnessTools,
  NATIVE_WITNESS_RECIPE,
  type NativeWitnessBuild,
  NativeWitnessBuildError,
  NativeWitnessRunError,
  nativeWitnessEnabled,
  nativeWitnessRecipeKey,
  type WitnessArtifacts,
  writeWitnessFastest,
  writeWitnessNative,
} from './native-witness.ts';
export { type CircuitInputs, calculateWitness, writeWitness } from './witness.ts';
