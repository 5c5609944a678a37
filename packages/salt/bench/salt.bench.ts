// Salt requests per second with full token verification (RS256 against the cached JWKS), on loopback:
// `npm run bench -w @zksso/salt` writes bench/results/salt.json at the repository root.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { numberedUsers, startDevIdp } from '@zksso/dev-idp';
import { devLogin } from '@zksso/sdk';
import { pino } from 'pino';
import { loadConfig, startSaltService } from '../src/index.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const USERS = 50;

const idp = await startDevIdp({ users: numberedUsers(USERS) });
const tokens: string[] = [];
for (let i = 0; i < USERS; i++)
  tokens.push(await devLogin({ issuerUrl: idp.issuer, user: `user${i}`, nonce: `bench-${i}` }));
const dir = mkdtempSync(join(tmpdir(), 'salt-bench-'));

async function run(mode: 'derived' | 'stored') {
  const config = loadConfig({
    SALT_PORT: '0',
    SALT_MODE: mode,
    SALT_MASTER_SEED: 'ab'.repeat(32),
    SALT_SQLITE_PATH: join(dir, `${mode}.sqlite`),
    SALT_ISSUERS: idp.issuer,
    SALT_AUDIENCES: 'zksso-dev',
    SALT_RATE_IP_PER_MIN: '100000000',
    SALT_RATE_IP_BURST: '1000000',
    SALT_RATE_SUBJECT_PER_MIN: '100000000',
    SALT_RATE_SUBJECT_BURST: '1000000',
    SALT_MAX_IN_FLIGHT: String(CONCURRENCY * 2),
  });
  const service = await startSaltService({ config, logger: pino({ level: 'silent' }) });
  // Warm-up: JWKS fetch, first inserts.
  for (const token of tokens) await post(service.url, token);
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        const token = tokens[next++ % tokens.length] as string;
        if ((await post(service.url, token)) !== 200) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await service.close();
  return {
    mode,
    requests: REQUESTS,
    concurrency: CONCURRENCY,
    seconds: round(seconds),
    requestsPerSecond: round(REQUESTS / seconds),
    failures,
  };
}

async function post(url: string, token: string): Promise<number> {
  const response = await fetch(`${url}/get_salt`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  await response.arrayBuffer();
  return response.status;
}

const round = (x: number) => Math.round(x * 100) / 100;

try {
  // Two alternating rounds: the machine is shared, so order and load show up in the figures.
  const results = [];
  for (const mode of ['derived', 'stored', 'derived', 'stored'] as const) results.push(await run(mode));
  const out = fileURLToPath(new URL('../../../bench/results/salt.json', import.meta.url));
  mkdirSync(join(out, '..'), { recursive: true });
  const report = {
    benchmark:
      'salt service: POST /get_salt with RS256 verification (cached JWKS), client and server in one process, loopback',
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    note: 'stored mode: SQLite WAL, synchronous=FULL; repeated users (50), so most requests read an existing salt',
    results,
  };
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report, null, 2));
} finally {
  await idp.stop();
  rmSync(dir, { recursive: true, force: true });
}
