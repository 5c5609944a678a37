import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { SaltKey } from '../derive.ts';
import { type ImportResult, type SaltRecord, type SaltStore, saltFromHex, saltToHex } from './types.ts';

type Row = {
  iss: string;
  aud: string;
  claim_name: string;
  claim_value: string;
  salt: string;
  created_at: number;
};

/**
 * A SQLite salt store (better-sqlite3) for one instance. WAL with `synchronous = FULL`: a salt is answered
 * only after its insert is fsynced, so a crash never loses an answered salt.
 *
 * @example
 * ```ts
 * const store = openSqliteStore('/var/lib/zksso/salt.sqlite');
 * const salt = await store.getOrCreate(key, randomSalt());
 * ```
 */
export function openSqliteStore(path: string): SaltStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS salts (
    iss TEXT NOT NULL, aud TEXT NOT NULL, claim_name TEXT NOT NULL, claim_value TEXT NOT NULL,
    salt TEXT NOT NULL, created_at INTEGER NOT NULL,
    PRIMARY KEY (iss, aud, claim_name, claim_value)
  ) WITHOUT ROWID`);
  const insert = db.prepare(
    `INSERT INTO salts (iss, aud, claim_name, claim_value, salt, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT DO NOTHING`,
  );
  const select = db.prepare<[string, string, string, string], { salt: string }>(
    'SELECT salt FROM salts WHERE iss = ? AND aud = ? AND claim_name = ? AND claim_value = ?',
  );
  const all = db.prepare<[], Row>('SELECT * FROM salts ORDER BY iss, aud, claim_name, claim_value');
  const countRows = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM salts');

  const lookup = (key: SaltKey) => select.get(key.iss, key.aud, key.keyClaimName, key.keyClaimValue)?.salt;

  return {
    kind: 'sqlite',
    async getOrCreate(key, candidate) {
      // Read first: most requests are for users who already have a salt, and a read takes no write lock.
      const existing = lookup(key);
      if (existing !== undefined) return saltFromHex(existing);
      insert.run(key.iss, key.aud, key.keyClaimName, key.keyClaimValue, saltToHex(candidate), Date.now());
      const stored = lookup(key);
      if (stored === undefined) throw new Error('salt missing right after insert');
      return saltFromHex(stored);
    },
    async *exportAll() {
      for (const row of all.iterate()) {
        yield {
          iss: row.iss,
          aud: row.aud,
          keyClaimName: row.claim_name as SaltKey['keyClaimName'],
          keyClaimValue: row.claim_value,
          salt: row.salt,
          createdAt: row.created_at,
        };
      }
    },
    async importRecords(records: readonly SaltRecord[]): Promise<ImportResult> {
      const result: ImportResult = { inserted: 0, unchanged: 0, conflicts: 0 };
      db.transaction(() => {
        for (const r of records) {
          saltFromHex(r.salt);
          const info = insert.run(r.iss, r.aud, r.keyClaimName, r.keyClaimValue, r.salt, r.createdAt);
          if (info.changes === 1) result.inserted++;
          else if (lookup(r) === r.salt) result.unchanged++;
          else result.conflicts++;
        }
      })();
      return result;
    },
    async count() {
      return countRows.get()?.n ?? 0;
    },
    async close() {
      db.close();
    },
  };
}
