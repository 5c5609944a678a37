// @zksso/circuits: the zksso/v1 zkLogin circuit, its size tiers, trusted setups (development and
// ceremony), the artifact cache, the prover engine and the Solidity verifiers.
export {
  defaultCacheDir,
  type EnsureTierOptions,
  ensureTierArtifacts,
  type TierArtifacts,
} from './artifacts/cache.ts';
export { type FileLockOptions, type LockOwner, withFileLock } from './artifacts/lock.ts';
export { ZKLOGIN_PUBLIC_INPUTS, zkLoginMainSource } from './artifacts/main-source.ts';
export { hashCircuitSources } from './artifacts/source-hash.ts';
export * from './build/index.ts';
export * from './inputs/index.ts';
export {
  decodeProof,
  decodePublicSignals,
  ENCODED_PROOF_BYTES,
  encodeProof,
  encodePublicSignals,
  ProofEncodingError,
  type SnarkjsProof,
} from './prover/encoding.ts';
export {
  type ProofWithSignals,
  type ProverEngine,
  type ProvingArtifacts,
  snarkjsEngine,
  type VerificationKey,
} from './prover/engine.ts';
export { nativeEngine, nativeProverProcess, proveNative } from './prover/native-engine.ts';
export { NativeProverError, type NativeProverErrorCode } from './prover/native-errors.ts';
export {
  type NativeProofResult,
  NativeProverProcess,
  type NativeProverTimings,
  nativeProverBinaryPath,
} from './prover/native-process.ts';
export {
  defaultProverEngine,
  PROVER_ENGINE_NAMES,
  ProverEngineConfigError,
  type ProverEngineName,
} from './prover/select-engine.ts';
export { ProofSelfCheckError, proveZkLogin, verifyZkLogin, type ZkLoginProof } from './prover/zklogin.ts';
export {
  CeremonyError,
  ceremonyBeacon,
  ceremonyContribute,
  ceremonyExport,
  ceremonyNew,
  ceremonyVerify,
} from './setup/ceremony.ts';
export { DEV_SETUP_VERSION, type DevSetupOptions, type DevSetupResult, devSetup } from './setup/dev-setup.ts';
export { formatProgress, formatSeconds, type Progress, type ProgressCallback } from './setup/progress.ts';
export { compileVerifierContract, VerifierCompileError } from './solidity/compile-verifier.ts';
export {
  exportLabelledVerificationKey,
  type KeyType,
  labelVerifier,
  renderVerifierContract,
  verifierContractName,
} from './solidity/verifier.ts';
export { writeVerifierContracts } from './solidity/write-contracts.ts';
export * from './tiers.ts';
