export { BACKUP_FORMAT, backupSalts, restoreSalts } from './backup.ts';
export { loadConfig, type SaltConfig } from './config.ts';
export { deriveHkdfSalt, deriveInfo, deriveSalt, formatSalt, type SaltKey } from './derive.ts';
export { SaltError, type SaltErrorCode } from './errors.ts';
export { createMetrics, type SaltMetrics } from './metrics.ts';
export { TokenBucketLimiter } from './rate-limit.ts';
export {
  createGetSaltRoute,
  type GetSaltRouteContext,
  parseGetSaltRequest,
  type RequestLogContext,
} from './routes/get-salt.ts';
export { createSaltSource, type SaltSource } from './salt-source.ts';
export { type SaltService, type SaltServiceOptions, startSaltService } from './server.ts';
export { openStore } from './store/open.ts';
export { openPostgresStore } from './store/postgres.ts';
export { openSqliteStore } from './store/sqlite.ts';
export type { ImportResult, SaltRecord, SaltStore } from './store/types.ts';
export {
  createTokenVerifier,
  type TokenVerifier,
  type VerifiedToken,
  type VerifierConfig,
} from './verify.ts';
