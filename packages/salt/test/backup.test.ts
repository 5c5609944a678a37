import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DevIdp, startDevIdp } from '@zksso/dev-idp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BACKUP_FORMAT,
  backupSalts,
  openSqliteStore,
  restoreSalts,
  type SaltRecord,
  startSaltService,
} from '../src/index.ts';
import { runCli } from './child.ts';
import { postSalt, silentLogger, testConfig, tokenFor } from './helpers.ts';

async function records(path: string): Promise<SaltRecord[]> {
  const store = openSqliteStore(path);
  const all: SaltRecord[] = [];
  for await (const record of store.exportAll()) all.push(record);
  await store.close();
  return all;
}

describe('backup and restore CLI', () => {
  let idp: DevIdp;
  let dir: string;
  beforeAll(async () => {
    idp = await startDevIdp();
    dir = mkdtempSync(join(tmpdir(), 'salt-backup-'));
  });
  afterAll(async () => {
    await idp.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('backs up every salt and restores them into a fresh database that then answers the same salts', {
    timeout: 60_000,
  }, async () => {
    const original = join(dir, 'original.sqlite');
    const service = await startSaltService({
      config: testConfig(idp, { SALT_SQLITE_PATH: original }),
      logger: silentLogger,
    });
    const answers = new Map<string, unknown>();
    for (const user of ['alice', 'bob', 'carol']) {
      answers.set(user, (await postSalt(service.url, { token: await tokenFor(idp, user) })).body.salt);
    }
    await service.close();

    const file = join(dir, 'salts.jsonl');
    const backup = await runCli(['backup', '--out', file], { SALT_SQLITE_PATH: original });
    expect(backup.code).toBe(0);
    expect(JSON.parse(backup.stdout)).toMatchObject({ command: 'backup', count: 3 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(JSON.parse(lines[0] as string).format).toBe(BACKUP_FORMAT);
    expect(lines).toHaveLength(4);

    const restored = join(dir, 'restored.sqlite');
    const restore = await runCli(['restore', '--in', file], { SALT_SQLITE_PATH: restored });
    expect(restore.code).toBe(0);
    expect(JSON.parse(restore.stdout)).toMatchObject({ inserted: 3, unchanged: 0, conflicts: 0 });
    expect(await records(restored)).toEqual(await records(original));

    const restoredStore = openSqliteStore(restored);
    expect(await restoreSalts(restoredStore, file)).toEqual({ inserted: 0, unchanged: 3, conflicts: 0 });
    await restoredStore.close();

    const second = await startSaltService({
      config: testConfig(idp, { SALT_SQLITE_PATH: restored }),
      logger: silentLogger,
    });
    try {
      for (const user of ['alice', 'bob', 'carol']) {
        expect((await postSalt(second.url, { token: await tokenFor(idp, user) })).body.salt).toBe(
          answers.get(user),
        );
      }
    } finally {
      await second.close();
    }
  });

  it('never overwrites a stored salt: a differing record fails the restore with RESTORE_CONFLICT', {
    timeout: 60_000,
  }, async () => {
    const file = join(dir, 'conflict.jsonl');
    const source = join(dir, 'source.sqlite');
    const target = join(dir, 'target.sqlite');
    const key = {
      iss: 'https://accounts.google.com',
      aud: 'app',
      keyClaimName: 'sub',
      keyClaimValue: '42',
    } as const;
    const a = openSqliteStore(source);
    await a.getOrCreate(key, 1n);
    await a.getOrCreate({ ...key, keyClaimValue: '43' }, 3n);
    await a.close();
    const b = openSqliteStore(target);
    await b.getOrCreate(key, 2n);
    await b.close();
    const sourceStore = openSqliteStore(source);
    expect(await backupSalts(sourceStore, file)).toEqual({ count: 2 });
    await sourceStore.close();
    const targetStore = openSqliteStore(target);
    await expect(restoreSalts(targetStore, file)).rejects.toMatchObject({
      code: 'RESTORE_CONFLICT',
      details: { inserted: 1, unchanged: 0, conflicts: 1 },
    });
    await targetStore.close();
    const kept = await records(target);
    expect(kept.find((r) => r.keyClaimValue === '42')?.salt).toBe(2n.toString(16).padStart(32, '0'));
    expect(kept.find((r) => r.keyClaimValue === '43')?.salt).toBe(3n.toString(16).padStart(32, '0'));
  });

  it('the CLI exits 1 with a typed error: BAD_REQUEST, CONFIG_INVALID, BACKUP_INVALID, RESTORE_CONFLICT', {
    timeout: 120_000,
  }, async () => {
    const errorOf = (stderr: string) =>
      (
        JSON.parse(stderr.trim().split('\n').at(-1) as string) as {
          error: { code: string };
        }
      ).error.code;
    const sqlite = { SALT_SQLITE_PATH: join(dir, 'cli-errors.sqlite') };
    const noFile = await runCli(['restore'], sqlite);
    expect([noFile.code, errorOf(noFile.stderr)]).toEqual([1, 'BAD_REQUEST']);
    const unknown = await runCli(['rotate-everything'], sqlite);
    expect([unknown.code, errorOf(unknown.stderr)]).toEqual([1, 'BAD_REQUEST']);
    const noSeed = await runCli(['serve'], { SALT_MODE: 'derived', SALT_MASTER_SEED: '' });
    expect([noSeed.code, errorOf(noSeed.stderr)]).toEqual([1, 'CONFIG_INVALID']);
    const bogus = join(dir, 'not-a-backup.jsonl');
    writeFileSync(bogus, '{"format":"something-else"}\n');
    const invalid = await runCli(['restore', '--in', bogus], sqlite);
    expect([invalid.code, errorOf(invalid.stderr)]).toEqual([1, 'BACKUP_INVALID']);

    // A backup whose salt differs from the stored one: exit 1, the stored salt is kept.
    const key = { iss: 'https://issuer.example', aud: 'a', keyClaimName: 'sub', keyClaimValue: 'c' } as const;
    const store = openSqliteStore(sqlite.SALT_SQLITE_PATH);
    await store.getOrCreate(key, 7n);
    await store.close();
    const conflicting = join(dir, 'conflicting.jsonl');
    writeFileSync(
      conflicting,
      `${JSON.stringify({ format: BACKUP_FORMAT })}\n${JSON.stringify({ ...key, salt: 8n.toString(16).padStart(32, '0'), createdAt: 1 })}\n`,
    );
    const conflict = await runCli(['restore', '--in', conflicting], sqlite);
    expect([conflict.code, errorOf(conflict.stderr)]).toEqual([1, 'RESTORE_CONFLICT']);
    expect((await records(sqlite.SALT_SQLITE_PATH))[0]?.salt).toBe(7n.toString(16).padStart(32, '0'));
  });

  it('refuses a file that is not a backup', async () => {
    const file = join(dir, 'salts.jsonl');
    const bogus = join(dir, 'bogus.jsonl');
    writeFileSync(bogus, '{"hello":1}\n');
    const store = openSqliteStore(join(dir, 'x.sqlite'));
    try {
      await expect(restoreSalts(store, bogus)).rejects.toMatchObject({ code: 'BACKUP_INVALID' });
      // An existing output file is never overwritten by a backup.
      await expect(backupSalts(store, file)).rejects.toMatchObject({ code: 'EEXIST' });
    } finally {
      await store.close();
    }
  });
});
