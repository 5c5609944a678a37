import { spawn } from 'node:child_process';
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import * as snarkjs from 'snarkjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, repoTempDir, tempDir } from '../../test/helpers.ts';
import { ensureTierArtifacts } from './cache.ts';
import { zkLoginMainSource } from './main-source.ts';

const mainSource = (tier: number) =>
  `pragma circom 2.2.3;\ninclude "fake.circom";\ncomponent main {public [a, c]} = Small(${tier});\n`;

function runChild(
  cacheDir: string,
  sourceDir: string,
  tier: number,
): Promise<{ dir: string; logs: string[] }> {
  const script = resolve(FIXTURES_DIR, '..', 'ensure-child.ts');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, cacheDir, sourceDir, String(tier)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`child exited ${code}`));
      else resolvePromise(JSON.parse(out.trim().split('\n').at(-1) as string));
    });
  });
}

describe('ensureTierArtifacts (cache, lock)', () => {
  let cacheDir: string;
  let sourceDir: string;

  beforeAll(async () => {
    cacheDir = await tempDir('cache');
    sourceDir = await repoTempDir('sources');
    await copyFile(join(FIXTURES_DIR, 'small.circom'), join(sourceDir, 'fake.circom'));
  });

  afterAll(async () => {
    await rm(sourceDir, { recursive: true, force: true });
  });

  it('builds once when two processes ask for the same tier at once, then serves the cache', async () => {
    const logs: string[] = [];
    const [mine, theirs] = await Promise.all([
      ensureTierArtifacts(4, { cacheDir, sourceDir, mainSource, log: (l) => logs.push(l) }),
      runChild(cacheDir, sourceDir, 4),
    ]);
    expect(theirs.dir).toBe(mine.dir);
    const builds = [...logs, ...theirs.logs].filter((l) => l.includes('first build'));
    expect(builds).toHaveLength(1);
    // The one that did not build either waited on the lock or (if it started late) found the cache.
    const other = builds[0] && logs.includes(builds[0]) ? theirs.logs : logs;
    expect(other.some((l) => l.includes('waiting for process') || l.includes('from cache'))).toBe(true);

    // A usable development key and labelled outputs.
    expect(mine.keyType).toBe('development');
    expect(mine.zkeyPath).toMatch(/development\.zkey$/);
    expect(mine.vkey.zksso?.keyType).toBe('development');
    expect(await readFile(mine.verifierSolPath, 'utf8')).toContain('DEVELOPMENT_KEY = true');
    const { proof, publicSignals } = await snarkjs.groth16.fullProve(
      { a: 1, b: 2, c: 3 },
      mine.wasmPath,
      mine.zkeyPath,
    );
    expect(await snarkjs.groth16.verify(mine.vkey, publicSignals, proof)).toBe(true);

    const before = (await stat(join(mine.dir, 'manifest.json'))).mtimeMs;
    const again: string[] = [];
    const cached = await ensureTierArtifacts(4, {
      cacheDir,
      sourceDir,
      mainSource,
      log: (l) => again.push(l),
    });
    expect(cached.dir).toBe(mine.dir);
    expect(again.some((l) => l.includes('from cache'))).toBe(true);
    expect((await stat(join(mine.dir, 'manifest.json'))).mtimeMs).toBe(before);
  });

  it('rebuilds into a new folder when a circuit source changes, and per tier', async () => {
    const first = await ensureTierArtifacts(4, { cacheDir, sourceDir, mainSource });
    const otherTier = await ensureTierArtifacts(5, { cacheDir, sourceDir, mainSource });
    expect(otherTier.dir).not.toBe(first.dir);
    expect(otherTier.constraints).toBeGreaterThan(first.constraints);

    const source = await readFile(join(sourceDir, 'fake.circom'), 'utf8');
    await writeFile(join(sourceDir, 'fake.circom'), `${source}\n// changed\n`);
    const logs: string[] = [];
    const changed = await ensureTierArtifacts(4, {
      cacheDir,
      sourceDir,
      mainSource,
      log: (l) => logs.push(l),
    });
    expect(changed.dir).not.toBe(first.dir);
    expect(logs.some((l) => l.includes('first build'))).toBe(true);
  });

  it('takes over a lock left by a dead process', async () => {
    const fresh = await tempDir('cache-stale');
    const probe = await ensureTierArtifacts(3, { cacheDir: fresh, sourceDir, mainSource });
    // Simulate a crash: a lock owned by a process that no longer exists, on another cache dir.
    const crashed = await tempDir('cache-crashed');
    const lockDir = join(crashed, `${probe.dir.split('/').at(-1)}.lock`);
    await mkdir(lockDir, { recursive: true });
    const owner = { pid: 2 ** 22 + 12345, host: hostname(), since: new Date(0).toISOString() };
    await writeFile(join(lockDir, 'owner.json'), JSON.stringify(owner));
    const built = await ensureTierArtifacts(3, { cacheDir: crashed, sourceDir, mainSource });
    expect(built.dir.startsWith(crashed)).toBe(true);
  });

  it('generates the zkLogin main component with the public inputs of protocol §8, in order', () => {
    expect(zkLoginMainSource(1024)).toContain(
      'component main {public [issHash, idc, ephHi, ephLo, expiry, modulusHash]} = ZkLogin(1024);',
    );
    expect(zkLoginMainSource(1024)).toContain('include "zklogin.circom";');
  });
});
