import pg from 'pg';
import type { SaltKey } from '../derive.ts';
import { type ImportResult, type SaltRecord, type SaltStore, saltFromHex, saltToHex } from './types.ts';

const SCHEMA = `CREATE TABLE IF NOT EXISTS zksso_salts (
  iss TEXT NOT NULL, aud TEXT NOT NULL, claim_name TEXT NOT NULL, claim_value TEXT NOT NULL,
  salt TEXT NOT NULL, created_at BIGINT NOT NULL,
  PRIMARY KEY (iss, aud, claim_name, claim_value)
)`;
const INSERT = `INSERT INTO zksso_salts (iss, aud, claim_name, claim_value, salt, created_at)
  VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`;
const SELECT =
  'SELECT salt FROM zksso_salts WHERE iss = $1 AND aud = $2 AND claim_name = $3 AND claim_value = $4';
const PAGE = 1000;
/** Any fixed 64-bit number: the advisory lock that serialises schema creation across instances. */
const SCHEMA_LOCK = 0x7a6b73736f5f7331n;

/**
 * Creates the table once, even when several instances start together: `CREATE TABLE IF NOT EXISTS` alone
 * races (one loser fails with a duplicate pg_type, SQLSTATE 23505 or 42710), so creation runs under a
 * transaction-scoped advisory lock.
 */
async function createSchema(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK.toString()]);
    await client.query(SCHEMA);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/**
 * A Postgres salt store (pg) for several instances sharing one database. Each insert commits on its own
 * (synchronous_commit as the server sets it: keep it `on`), then the row is read back, so instances racing
 * on a user's first request all answer the salt that won.
 *
 * @example
 * ```ts
 * const store = await openPostgresStore('postgres://salt@127.0.0.1:5432/salt');
 * ```
 */
export async function openPostgresStore(connectionString: string, poolSize = 10): Promise<SaltStore> {
  const pool = new pg.Pool({ connectionString, max: poolSize });
  // An idle client losing its connection must not crash the process: the pool replaces it.
  pool.on('error', () => {});
  try {
    await createSchema(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const lookup = async (key: SaltKey): Promise<string | undefined> =>
    (await pool.query<{ salt: string }>(SELECT, [key.iss, key.aud, key.keyClaimName, key.keyClaimValue]))
      .rows[0]?.salt;

  return {
    kind: 'postgres',
    async getOrCreate(key, candidate) {
      const existing = await lookup(key);
      if (existing !== undefined) return saltFromHex(existing);
      await pool.query(INSERT, [
        key.iss,
        key.aud,
        key.keyClaimName,
        key.keyClaimValue,
        saltToHex(candidate),
        Date.now(),
      ]);
      const stored = await lookup(key);
      if (stored === undefined) throw new Error('salt missing right after insert');
      return saltFromHex(stored);
    },
    async *exportAll() {
      let after: string[] | undefined;
      for (;;) {
        const { rows } = await pool.query<{
          iss: string;
          aud: string;
          claim_name: string;
          claim_value: string;
          salt: string;
          created_at: string;
        }>(
          after
            ? `SELECT * FROM zksso_salts WHERE (iss, aud, claim_name, claim_value) > ($1, $2, $3, $4)
               ORDER BY iss, aud, claim_name, claim_value LIMIT ${PAGE}`
            : `SELECT * FROM zksso_salts ORDER BY iss, aud, claim_name, claim_value LIMIT ${PAGE}`,
          after ?? [],
        );
        for (const row of rows) {
          yield {
            iss: row.iss,
            aud: row.aud,
            keyClaimName: row.claim_name as SaltKey['keyClaimName'],
            keyClaimValue: row.claim_value,
            salt: row.salt,
            createdAt: Number(row.created_at),
          };
        }
        const last = rows.at(-1);
        if (!last || rows.length < PAGE) return;
        after = [last.iss, last.aud, last.claim_name, last.claim_value];
      }
    },
    async importRecords(records: readonly SaltRecord[]): Promise<ImportResult> {
      const result: ImportResult = { inserted: 0, unchanged: 0, conflicts: 0 };
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        for (const r of records) {
          saltFromHex(r.salt);
          const info = await client.query(INSERT, [
            r.iss,
            r.aud,
            r.keyClaimName,
            r.keyClaimValue,
            r.salt,
            r.createdAt,
          ]);
          if (info.rowCount === 1) {
            result.inserted++;
            continue;
          }
          const existing = (
            await client.query<{ salt: string }>(SELECT, [r.iss, r.aud, r.keyClaimName, r.keyClaimValue])
          ).rows[0]?.salt;
          if (existing === r.salt) result.unchanged++;
          else result.conflicts++;
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
      return result;
    },
    async count() {
      return Number(
        (await pool.query<{ n: string }>('SELECT count(*) AS n FROM zksso_salts')).rows[0]?.n ?? 0,
      );
    },
    async close() {
      await pool.end();
    },
  };
}
