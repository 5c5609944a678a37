// `npm run dev` end to end: scripts/dev.mjs as a child process (which runs the TypeScript CLI through tsx),
// on free ports, without the prover; ready line, then SIGINT, then nothing left running.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCAL_POLLING_INTERVAL_MS, pollingIntervalOf, type ZkSsoNetwork } from '@zksso/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { isPortFree, jsonRpc } from '../src/index.ts';
import { commandLine, descendants, eventually, isAlive } from './helpers.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const devScript = join(repoRoot, 'scripts', 'dev.mjs');
const freePortFlags = [
  ...['--anvil-port', '0', '--bundler-port', '0', '--idp-port', '0', '--salt-port', '0'],
  ...['--auth-port', '0', '--demo-port', '0'],
];

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function runDev(args: readonly string[], via: 'node' | 'npm' = 'node'): Run {
  // `npm run dev -- …` as a user types it (npm → sh -c → node scripts/dev.mjs → the CLI), or the script alone.
  const [command, commandArgs] =
    via === 'npm'
      ? ['npm', ['run', '--silent', 'dev', '--', ...args]]
      : [process.execPath, [devScript, ...args]];
  const child = spawn(command, commandArgs, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

async function readyLine(run: Run, timeoutMs: number): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const line = run
      .stdout()
      .split('\n')
      .find((l) => l.startsWith('{') && l.includes('"event":"ready"'));
    if (line) return JSON.parse(line) as Record<string, unknown>;
    if (run.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no ready line (exit ${run.child.exitCode}):\n${run.stdout()}\n${run.stderr()}`);
}

const runs: Run[] = [];
const tempDirs: string[] = [];
function tempStateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zksso-devstack-cli-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(async () => {
  // Only if a test failed midway: do not leave a stack behind.
  for (const run of runs) {
    if (run.child.exitCode === null) {
      run.child.kill('SIGINT');
      await Promise.race([run.exit, new Promise((r) => setTimeout(r, 15_000))]);
    }
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('scripts/dev.mjs', () => {
  it('starts the stack, prints a ready line and stops everything on SIGINT with exit code 0', async () => {
    const stateDir = tempStateDir();
    const readyFile = join(stateDir, 'ready.json');
    const run = runDev([
      ...freePortFlags,
      '--no-prover',
      '--json',
      '--state-dir',
      stateDir,
      '--ready-file',
      readyFile,
    ]);
    runs.push(run);
    const ready = await readyLine(run, 300_000);
    const urls = ready.urls as { rpc: string; bundler: string; salt: string };
    expect(ready.stateDir).toBe(stateDir);
    expect(JSON.parse(readFileSync(readyFile, 'utf8'))).toEqual(ready);
    expect(await jsonRpc<string>(urls.rpc, 'eth_chainId')).toBe('0x7a69');
    expect(run.stderr()).toContain('zkSSO dev stack'); // the summary table (stderr under --json)
    // The apps run by default: the demo page, whose config names the auth server (another origin) and
    // polls for receipts quickly on the dev chain.
    const apps = ready.urls as { demo: string; authServer: string };
    expect(new URL(apps.authServer).hostname).toBe('localhost');
    expect(await (await fetch(apps.demo)).text()).toContain('<div id="root">');
    const config = (await (await fetch(new URL('/demo-config.json', apps.demo))).json()) as {
      authServerUrl: string;
      network: ZkSsoNetwork;
    };
    expect(config.authServerUrl).toBe(apps.authServer);
    expect(config.network.local).toBe(true);
    expect(pollingIntervalOf(config.network)).toBe(LOCAL_POLLING_INTERVAL_MS);
    expect((await fetch(apps.authServer)).status).toBe(200);
    expect(run.stderr()).toContain(`Open the demo dapp: ${apps.demo}`);

    const tree = descendants(run.child.pid as number);
    const stackPids = (ready.processes as { pid: number }[]).map((p) => p.pid);
    expect(stackPids.length).toBe(2);
    for (const pid of stackPids) expect(tree).toContain(pid);

    run.child.kill('SIGINT');
    const { code } = await run.exit;
    expect(code).toBe(0);
    expect(await eventually(() => tree.every((pid) => !isAlive(pid)), 10_000)).toBe(true);
    expect(existsSync(readyFile)).toBe(false);
    expect(await isPortFree(Number(new URL(urls.rpc).port))).toBe(true);
    expect(await isPortFree(Number(new URL(urls.bundler).port))).toBe(true);
    expect(await isPortFree(Number(new URL(apps.demo).port))).toBe(true);
    expect(await isPortFree(Number(new URL(apps.authServer).port))).toBe(true);
    expect(run.stderr()).toContain('stopped');
  });

  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    it(`stops every process of \`npm run dev\` on ${signal} to npm itself, freeing the ports`, async () => {
      const stateDir = tempStateDir();
      const run = runDev(
        [...freePortFlags, '--no-prover', '--no-apps', '--json', '--state-dir', stateDir],
        'npm',
      );
      runs.push(run);
      const ready = await readyLine(run, 300_000);
      const urls = ready.urls as Record<string, string>;
      const tree = descendants(run.child.pid as number);
      const stackPids = (ready.processes as { pid: number }[]).map((p) => p.pid);
      expect(stackPids.length).toBe(2); // anvil and Alto, in process groups of their own
      for (const pid of stackPids) expect(tree).toContain(pid);
      expect(tree.length).toBeGreaterThanOrEqual(4); // sh, node dev.mjs, the CLI, anvil, Alto
      expect(existsSync(join(stateDir, 'stack.json'))).toBe(true);

      run.child.kill(signal);
      await run.exit;
      expect(
        await eventually(() => tree.every((pid) => !isAlive(pid)), 60_000),
        `left running: ${tree.filter(isAlive).map(commandLine).join(' | ')}`,
      ).toBe(true);
      for (const url of Object.values(urls)) {
        const port = Number(new URL(url).port);
        expect(await isPortFree(port), url).toBe(true);
      }
      expect(existsSync(join(stateDir, 'stack.json'))).toBe(false);
      // A clean stop: anvil wrote the chain for the next start.
      expect(existsSync(join(stateDir, 'chain', 'anvil-state.json'))).toBe(true);
    });
  }

  it('stops everything and exits 1 naming the child when a vital child dies', async () => {
    const stateDir = tempStateDir();
    const run = runDev([...freePortFlags, '--no-prover', '--no-apps', '--json', '--state-dir', stateDir]);
    runs.push(run);
    const ready = await readyLine(run, 300_000);
    const urls = ready.urls as Record<string, string>;
    const tree = descendants(run.child.pid as number);
    const processes = ready.processes as { name: string; pid: number; logFile: string }[];
    const alto = processes.find((p) => p.name === 'alto') as { pid: number; logFile: string };
    process.kill(alto.pid, 'SIGKILL');
    const { code } = await run.exit;
    expect(code).toBe(1);
    expect(run.stderr()).toContain('alto exited unexpectedly');
    expect(run.stderr()).toContain(alto.logFile);
    expect(await eventually(() => tree.every((pid) => !isAlive(pid)), 30_000)).toBe(true);
    for (const url of Object.values(urls))
      expect(await isPortFree(Number(new URL(url).port)), url).toBe(true);
    expect(existsSync(join(stateDir, 'stack.json'))).toBe(false);
  });

  it('exits 1 naming the busy port and its option, leaving nothing running', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busy = (blocker.address() as { port: number }).port;
    try {
      const stateDir = tempStateDir();
      const run = runDev([
        ...freePortFlags,
        '--anvil-port',
        String(busy),
        '--no-prover',
        '--state-dir',
        stateDir,
      ]);
      runs.push(run);
      const { code } = await run.exit;
      expect(code).toBe(1);
      expect(run.stderr()).toContain(`Port ${busy}`);
      expect(run.stderr()).toContain('--anvil-port');
      expect(existsSync(join(stateDir, 'logs', 'anvil.log'))).toBe(false);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('rejects a bad option with exit code 2', async () => {
    const run = runDev(['--anvil-port', 'eighty']);
    runs.push(run);
    const { code } = await run.exit;
    expect(code).toBe(2);
    expect(run.stderr()).toContain('--anvil-port');
  });
});
