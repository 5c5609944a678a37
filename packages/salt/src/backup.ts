import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { SaltError } from './errors.ts';
import type { ImportResult, SaltRecord, SaltStore } from './store/types.ts';

/** First line of a backup file. */
export const BACKUP_FORMAT = 'zksso-salt-backup/1';

/**
 * Writes every stored salt to `file` as JSON Lines (a header line, then one record per line), mode 0600:
 * the file holds secrets. The format is the same for SQLite and Postgres, so it also migrates between them.
 *
 * @example
 * ```ts
 * const { count } = await backupSalts(store, '/secure/salts.jsonl');
 * ```
 */
export async function backupSalts(store: SaltStore, file: string): Promise<{ count: number }> {
  const out = createWriteStream(file, { mode: 0o600, flags: 'wx' });
  const write = async (line: string) => {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  let count = 0;
  await write(
    JSON.stringify({ format: BACKUP_FORMAT, createdAt: new Date().toISOString(), store: store.kind }),
  );
  for await (const record of store.exportAll()) {
    await write(JSON.stringify(record));
    count++;
  }
  out.end();
  await once(out, 'finish');
  return { count };
}

function parseRecord(line: string, lineNumber: number): SaltRecord {
  const r = JSON.parse(line) as Partial<SaltRecord>;
  const ok =
    typeof r.iss === 'string' &&
    typeof r.aud === 'string' &&
    (r.keyClaimName === 'sub' || r.keyClaimName === 'email') &&
    typeof r.keyClaimValue === 'string' &&
    typeof r.salt === 'string' &&
    /^[0-9a-f]{32}$/.test(r.salt) &&
    typeof r.createdAt === 'number';
  if (!ok)
    throw new SaltError('BACKUP_INVALID', 'a backup record is malformed', { details: { line: lineNumber } });
  return r as SaltRecord;
}

/**
 * Restores a backup written by {@link backupSalts}. Existing salts are never overwritten: a record whose key
 * exists with another salt counts as a conflict (and the restore fails after importing the rest).
 *
 * @example
 * ```ts
 * const result = await restoreSalts(store, '/secure/salts.jsonl');
 * ```
 */
export async function restoreSalts(store: SaltStore, file: string, batchSize = 500): Promise<ImportResult> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  const total: ImportResult = { inserted: 0, unchanged: 0, conflicts: 0 };
  let batch: SaltRecord[] = [];
  let lineNumber = 0;
  const flush = async () => {
    const result = await store.importRecords(batch);
    total.inserted += result.inserted;
    total.unchanged += result.unchanged;
    total.conflicts += result.conflicts;
    batch = [];
  };
  for await (const line of lines) {
    lineNumber++;
    if (lineNumber === 1) {
      const header = JSON.parse(line) as { format?: string };
      if (header.format !== BACKUP_FORMAT)
        throw new SaltError('BACKUP_INVALID', `not a ${BACKUP_FORMAT} file`);
      continue;
    }
    if (line.trim() === '') continue;
    batch.push(parseRecord(line, lineNumber));
    if (batch.length >= batchSize) await flush();
  }
  if (lineNumber === 0) throw new SaltError('BACKUP_INVALID', 'the backup file is empty');
  await flush();
  if (total.conflicts > 0) {
    throw new SaltError(
      'RESTORE_CONFLICT',
      'some salts in the backup differ from stored ones (kept the stored ones)',
      {
        details: { ...total },
      },
    );
  }
  return total;
}
