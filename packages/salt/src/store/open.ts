import type { SaltConfig } from '../config.ts';
import { openPostgresStore } from './postgres.ts';
import { openSqliteStore } from './sqlite.ts';
import type { SaltStore } from './types.ts';

/**
 * Opens the store the configuration names (`SALT_STORE`): SQLite at `SALT_SQLITE_PATH` or Postgres at
 * `SALT_DATABASE_URL`.
 *
 * @example
 * ```ts
 * const store = await openStore(loadConfig());
 * ```
 */
export async function openStore(
  config: Pick<SaltConfig, 'store' | 'sqlitePath' | 'databaseUrl'>,
): Promise<SaltStore> {
  if (config.store === 'postgres') return openPostgresStore(config.databaseUrl as string);
  return openSqliteStore(config.sqlitePath);
}
