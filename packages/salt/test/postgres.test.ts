import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DevIdp, startDevIdp } from '@zksso/dev-idp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  backupSalts,
  openPostgresStore,
  openSqliteStore,
  restoreSalts,
  type SaltRecord,
  type SaltStore,
  startSaltService,
} from '../src/index.ts';
import { postSalt, silentLogger, testConfig, tokenFor } from './helpers.ts';
import { type PostgresCluster, startPostgresCluster } from './postgres-cluster.ts';

describe('Postgres store (a real server started by the test)', () => {
  let cluster: PostgresCluster;
  let idp: DevIdp;
  beforeAll(async () => {
    cluster = await startPostgresCluster();
    idp = await startDevIdp();
  }, 120_000);
  afterAll(async () => {
    await idp.stop();
    cluster?.stop();
  });

  it('lets many instances start together on an empty database (schema creation does not race)', async () => {
    // Each round uses a fresh database, so every round races on creating the table.
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    try {
      for (let round = 0; round < 5; round++) {
        const name = `race_${round}_${randomBytes(4).toString('hex')}`;
        await client.query(`CREATE DATABASE ${name}`);
        const url = cluster.url.replace(/\/postgres$/, `/${name}`);
        const results = await Promise.allSettled(Array.from({ length: 8 }, () => openPostgresStore(url, 1)));
        const refused = results.filter((r) => r.status === 'rejected');
        expect(refused.map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
        await Promise.all(results.map((r) => (r as PromiseFulfilledResult<SaltStore>).value.close()));
      }
    } finally {
      await client.end();
    }
  });

  it('makes concurrent first requests from several instances agree on one salt', async () => {
    const stores: SaltStore[] = await Promise.all([1, 2, 3].map(() => openPostgresStore(cluster.url, 4)));
    try {
      const key = {
        iss: 'https://accounts.google.com',
        aud: 'app',
        keyClaimName: 'sub',
        keyClaimValue: 'race',
      } as const;
      const salts = await Promise.all(
        Array.from({ length: 30 }, (_, i) => (stores[i % 3] as SaltStore).getOrCreate(key, BigInt(i + 1))),
      );
      expect(new Set(salts).size).toBe(1);
      expect(await (stores[0] as SaltStore).getOrCreate(key, 999n)).toBe(salts[0]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('serves the same salt from two service instances sharing the database', async () => {
    const env = { SALT_STORE: 'postgres', SALT_DATABASE_URL: cluster.url };
    const a = await startSaltService({ config: testConfig(idp, env), logger: silentLogger });
    const b = await startSaltService({ config: testConfig(idp, env), logger: silentLogger });
    try {
      const [fromA, fromB] = await Promise.all([
        postSalt(a.url, { token: await tokenFor(idp, 'bob') }),
        postSalt(b.url, { token: await tokenFor(idp, 'bob') }),
      ]);
      expect(fromA.status).toBe(200);
      expect(fromB.body.salt).toBe(fromA.body.salt);
      expect(await (await fetch(`${a.url}/health`)).json()).toMatchObject({ store: 'postgres' });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('migrates salts from SQLite to Postgres through a backup, pages included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'salt-pg-backup-'));
    const sqlite = openSqliteStore(join(dir, 'salt.sqlite'));
    const postgres = await openPostgresStore(cluster.url);
    try {
      const generated: SaltRecord[] = Array.from({ length: 1_205 }, (_, i) => ({
        iss: 'https://issuer.example',
        aud: 'm',
        keyClaimName: 'sub',
        keyClaimValue: `u${i}`,
        salt: randomBytes(16).toString('hex'),
        createdAt: i,
      }));
      await sqlite.importRecords(generated);
      await backupSalts(sqlite, join(dir, 'b.jsonl'));
      expect(await restoreSalts(postgres, join(dir, 'b.jsonl'))).toMatchObject({
        inserted: 1_205,
        conflicts: 0,
      });
      const exported: SaltRecord[] = [];
      for await (const r of postgres.exportAll()) if (r.iss === 'https://issuer.example') exported.push(r);
      const original: SaltRecord[] = [];
      for await (const r of sqlite.exportAll()) original.push(r);
      expect(exported).toEqual(original);
    } finally {
      await sqlite.close();
      await postgres.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
