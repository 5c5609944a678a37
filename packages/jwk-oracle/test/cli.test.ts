import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashIssuer } from '@zksso/core';
import { type DevIdp, startDevIdp } from '@zksso/dev-idp';
import type { Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyStatus } from '../src/registry-abi.ts';
import { ANVIL_KEY_0, deployRegistry, startAnvil, type TestAnvil } from './harness.ts';
import { isValidKey, publishedModulusHashes, statusOf } from './helpers.ts';

const ANVIL_PORT = 21902;
/** Nothing listens here during the test (our own range). */
const DEAD_PORT = 21949;
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
/** The workspace packages' TypeScript sources, not their built `dist/` (which may be older than an edit). */
const SOURCE = '--conditions=@zksso/source';

function runCli(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(tsx, ['packages/jwk-oracle/src/cli.ts', ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_OPTIONS: SOURCE, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('zksso-jwk-oracle --once', () => {
  let anvil: TestAnvil;
  let idp: DevIdp;
  let registry: Address;
  let cacheDir: string;

  beforeAll(async () => {
    anvil = await startAnvil(ANVIL_PORT);
    idp = await startDevIdp();
    registry = await deployRegistry(anvil, { ownerKey: ANVIL_KEY_0 });
    cacheDir = mkdtempSync(join(tmpdir(), 'zksso-jwk-oracle-'));
  });
  afterAll(async () => {
    await idp?.stop();
    await anvil?.stop();
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  });

  /** `--once` against the shared registry, the dev IdP's issuer and anvil. */
  const onceArgs = () => ['--issuer', idp.issuer, '--rpc', anvil.url, '--registry', registry, '--once'];
  const env = () => ({ ZKSSO_ORACLE_PRIVATE_KEY: ANVIL_KEY_0, ZKSSO_CACHE_DIR: cacheDir });

  it('exits 64 with usage when options or the key are missing', async () => {
    const noKey = await runCli(onceArgs());
    expect(noKey.code).toBe(64);
    expect(noKey.stderr).toContain('missing ZKSSO_ORACLE_PRIVATE_KEY');
    const noRegistry = await runCli(['--issuer', idp.issuer, '--rpc', anvil.url, '--once'], env());
    expect(noRegistry.code).toBe(64);
    expect(noRegistry.stderr).toContain('--registry');
  });

  it('exits 0 after applying changes, then 0 when already in sync; never prints the key', async () => {
    const args = [...onceArgs(), '--revoke-immediately'];
    const first = await runCli(args, env());
    expect(first.stderr).not.toContain(ANVIL_KEY_0.slice(2));
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/applied 1 addition\(s\), 0 revocation\(s\) in 0x[0-9a-f]{64}/);
    for (const hash of await publishedModulusHashes(idp.jwksUri)) {
      expect(await isValidKey(anvil.publicClient, registry, hashIssuer(idp.issuer), hash)).toBe(true);
    }
    const second = await runCli(args, env());
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('registry already in sync');
    expect(`${second.stdout}${second.stderr}`).not.toContain(ANVIL_KEY_0.slice(2));
  });

  it('exits 2 when a provider cannot be fetched, and 1 when the chain is unreachable', async () => {
    const provider = await runCli(
      [
        '--issuer',
        idp.issuer,
        '--jwks-uri',
        `http://127.0.0.1:${DEAD_PORT}/jwks`,
        '--rpc',
        anvil.url,
        '--registry',
        registry,
        '--once',
      ],
      env(),
    );
    expect(provider.code).toBe(2);
    expect(provider.stderr).toContain(`error: ${idp.issuer}: fetching keys of ${idp.issuer}`);
    expect(provider.stderr).toContain('nothing revoked');

    const chain = await runCli(
      ['--issuer', idp.issuer, '--rpc', `http://127.0.0.1:${DEAD_PORT}`, '--registry', registry, '--once'],
      env(),
    );
    expect(chain.code).toBe(1);
    expect(chain.stderr).toContain('error: JWK_ORACLE_CHAIN_FAILED: JwkRegistry read failed');
  });

  it('reads its whole configuration from ZKSSO_ORACLE_* variables when no flag is given', async () => {
    const own = await deployRegistry(anvil, { ownerKey: ANVIL_KEY_0 });
    const envOnly = {
      ...env(),
      ZKSSO_ORACLE_ISSUERS: `${idp.issuer}=${idp.jwksUri}`,
      ZKSSO_ORACLE_RPC_URL: anvil.url,
      ZKSSO_ORACLE_REGISTRY: own,
      ZKSSO_ORACLE_MODE: 'owner',
      ZKSSO_ORACLE_GRACE_PERIOD_S: '0',
      ZKSSO_ORACLE_FETCH_TIMEOUT_S: '5',
    };
    const first = await runCli(['--once'], envOnly);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/applied 1 addition\(s\), 0 revocation\(s\)/);
    for (const hash of await publishedModulusHashes(idp.jwksUri)) {
      expect(await isValidKey(anvil.publicClient, own, hashIssuer(idp.issuer), hash)).toBe(true);
    }
    // A flag wins over its variable: a registry that does not exist makes the chain step fail (exit 1).
    const flagWins = await runCli(['--once', '--registry', `0x${'00'.repeat(19)}01`], envOnly);
    expect(flagWins.code).toBe(1);
    // A bad variable is a usage error, named.
    const badMode = await runCli(['--once'], { ...envOnly, ZKSSO_ORACLE_MODE: 'nobody' });
    expect(badMode.code).toBe(64);
    expect(badMode.stderr).toContain('--mode must be owner or oracle');
  });

  it('runs as a service until SIGTERM: /health and /metrics answer, then it stops cleanly (exit 0)', {
    timeout: 60_000,
  }, async () => {
    const own = await deployRegistry(anvil, { ownerKey: ANVIL_KEY_0 });
    const child = spawn(process.execPath, ['--import', 'tsx', 'packages/jwk-oracle/src/cli.ts'], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_OPTIONS: SOURCE,
        ...env(),
        ZKSSO_ORACLE_ISSUERS: idp.issuer,
        ZKSSO_ORACLE_RPC_URL: anvil.url,
        ZKSSO_ORACLE_REGISTRY: own,
        ZKSSO_ORACLE_POLL_INTERVAL_S: '0.2',
        ZKSSO_ORACLE_HEALTH_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      const deadline = Date.now() + 30_000;
      let healthUrl: string | undefined;
      while (!healthUrl && Date.now() < deadline) {
        const started = output.split('\n').find((l) => l.includes('"event":"oracle.started"'));
        healthUrl = started ? (JSON.parse(started) as { healthUrl?: string }).healthUrl : undefined;
        if (!healthUrl) await new Promise((r) => setTimeout(r, 100));
      }
      expect(healthUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      let status = 0;
      while (status !== 200 && Date.now() < deadline) {
        status = (await fetch(`${healthUrl}/health`)).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
      expect(await (await fetch(`${healthUrl}/metrics`)).text()).toContain(
        'zksso_jwk_oracle_keys_added_total 1',
      );
      child.kill('SIGTERM');
      expect(await exit).toEqual({ code: 0, signal: null });
      expect(output).toContain('"event":"oracle.stopped"');
      expect(output).not.toContain(ANVIL_KEY_0.slice(2));
      await expect(fetch(`${healthUrl}/health`)).rejects.toThrow(); // the health server is gone too
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('keeps the grace period across cron runs in its state file', async () => {
    const gracefulIdp = await startDevIdp();
    try {
      const own = await deployRegistry(anvil, { ownerKey: ANVIL_KEY_0 });
      const issHash = hashIssuer(gracefulIdp.issuer);
      const stateFile = join(cacheDir, 'grace-state.json');
      const args = ['--issuer', gracefulIdp.issuer, '--rpc', anvil.url, '--registry', own, '--once'];
      const cron = [...args, '--grace-period', '3600', '--state-file', stateFile];
      expect((await runCli(cron, env())).code).toBe(0);
      const [k1] = await publishedModulusHashes(gracefulIdp.jwksUri);

      await gracefulIdp.rotateKeys({ overlapMs: 0 });
      const rotated = await runCli(cron, env());
      expect(rotated.code).toBe(0);
      expect(rotated.stdout).toContain('applied 1 addition(s), 0 revocation(s)');
      const state = JSON.parse(readFileSync(stateFile, 'utf8')) as {
        absentSince: Record<string, Record<string, number>>;
      };
      const clocks = state.absentSince[`0x${issHash.toString(16)}`] ?? {};
      expect(Object.keys(clocks)).toEqual([`0x${(k1 as bigint).toString(16)}`]);

      const again = await runCli(cron, env());
      expect(again.stdout).toContain('registry already in sync');
      expect(await statusOf(anvil.publicClient, own, issHash, k1 as bigint)).toBe(KeyStatus.Active);

      // An hour later (the clock in the file moved back by an hour): the old key is revoked.
      for (const key of Object.keys(clocks)) clocks[key] = (clocks[key] as number) - 3_600_000;
      writeFileSync(stateFile, JSON.stringify(state));
      const late = await runCli(cron, env());
      expect(late.code).toBe(0);
      expect(late.stdout).toContain('applied 0 addition(s), 1 revocation(s)');
      expect(await statusOf(anvil.publicClient, own, issHash, k1 as bigint)).toBe(KeyStatus.Revoked);
    } finally {
      await gracefulIdp.stop();
    }
  });
});
