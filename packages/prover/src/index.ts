// @zksso/prover: the zkLogin prover service (protocol §7-§9). POST an ID token, the ephemeral key, expiry,
// nonce randomness and salt; get a Groth16 proof and its public inputs.

export { checkAudience, checkExpiry, checkLifetime, firstVerifyingKey } from './checks.ts';
export {
  type AllowedAudience,
  type AllowedIssuer,
  ConfigError,
  DEFAULT_CONFIG,
  loadConfig,
  type ProverConfig,
  parseAudiences,
  parseIssuers,
} from './config.ts';
export { type ErrorAnswer, ProverError, type ProverErrorCode, toErrorAnswer } from './errors.ts';
export { JwksCache, type JwksCacheOptions } from './jwks.ts';
export {
  KEYS_DIR_FILES,
  KeysDirError,
  type KeysDirErrorCode,
  type KeysDirTier,
  keysDirPaths,
  loadTierFromKeysDir,
} from './keys-dir.ts';
export { createMetrics, type ProverMetrics } from './metrics.ts';
export { type PoolResult, ProvingPool, type ProvingPoolOptions, type SubmitOptions } from './pool.ts';
export { type PreparedProof, prepareProof } from './prepare.ts';
export { ProofLimits } from './proof-limits.ts';
export { type ProveJob, prove as proveJob } from './prove-job.ts';
export { ProofRateLimiter, type ProofRateLimiterOptions } from './rate-limit.ts';
export { type ProveRequest, type ProveRequestBody, parseProveRequest } from './request.ts';
export {
  createProverService,
  PROTOCOL_VERSION,
  type ProveResponse,
  type ProverService,
  type ProverServiceOptions,
} from './server.ts';
export { type Closable, handleShutdownSignals, type ShutdownOptions } from './shutdown.ts';
export type { ServiceState } from './state.ts';
export {
  extendedEphemeralKeyBytes,
  type IntegerEncoding,
  integerEncoding,
  parseExtendedEphemeralKey,
  parseSuiInteger,
} from './sui-encoding.ts';
export { defaultTierLoader, preloadTiers, type TierKeys, type TierLoader } from './tier-keys.ts';
export { type PrepareContext, type ValidatedToken, validateToken } from './validate.ts';
