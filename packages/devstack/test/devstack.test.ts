// Real processes: anvil, Alto, the dev IdP, the salt service and the JWK oracle, on free ports, without the
// prover (it would build circuits for minutes on a first run).
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashIssuer } from '@zksso/core';
import { type Address, createPublicClient, type Hex, http, zeroAddress } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTRY_POINT_V08, loadArtifact } from '../src/deploy/index.ts';
import {
  ANVIL_DEV_KEYS,
  type DevStack,
  isPortFree,
  issuerRegistryKeys,
  jsonRpc,
  PortInUseError,
  StartupAbortedError,
  startDevStack,
} from '../src/index.ts';
import { commandLine, descendants, isAlive } from './helpers.ts';

const ephemeral = { anvil: 0, bundler: 0, idp: 0, salt: 0 };

const tempDirs: string[] = [];
function tempStateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zksso-devstack-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

async function isValidKey(stack: DevStack, issHash: bigint, modulusHash: bigint): Promise<boolean> {
  const client = createPublicClient({ transport: http(stack.urls.rpc) });
  return (await client.readContract({
    address: stack.addresses.jwkRegistry,
    abi: loadArtifact('JwkRegistry').abi,
    functionName: 'isValidKey',
    args: [issHash, modulusHash],
  })) as boolean;
}

describe('startDevStack', () => {
  const stateDir = tempStateDir();
  let stack: DevStack;
  let pids: number[] = [];
  let deployerNonceAtStop = 0;
  let lastBlockAtStop: { number: bigint; hash: Hex; timestamp: bigint };

  beforeAll(async () => {
    stack = await startDevStack({ ports: ephemeral, prover: false, stateDir });
    pids = stack.processes.map((p) => p.pid);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('runs anvil on chain 31337 with every contract deployed at the printed addresses', async () => {
    expect(await jsonRpc<string>(stack.urls.rpc, 'eth_chainId')).toBe('0x7a69');
    const client = createPublicClient({ transport: http(stack.urls.rpc) });
    const { verifiers, chainId, ...contracts } = stack.addresses;
    expect(chainId).toBe(31337);
    expect(verifiers).toEqual({}); // no prover: no tier verifier
    const deployed = Object.entries(contracts).filter(([, address]) => address !== zeroAddress);
    for (const name of [
      'entryPoint',
      'jwkRegistry',
      'zkLoginValidator',
      'accountImplementation',
      'accountFactory',
    ]) {
      expect(deployed.map(([n]) => n)).toContain(name);
    }
    for (const [name, address] of deployed) {
      const code = await client.getCode({ address: address as Address });
      expect(code && code.length > 2, `${name} has code`).toBe(true);
    }
    expect(stack.addresses.entryPoint).toBe(ENTRY_POINT_V08);
    const written = JSON.parse(readFileSync(join(stateDir, 'addresses.json'), 'utf8'));
    expect(written).toEqual(stack.addresses);
  });

  it('runs Alto for EntryPoint 0.8', async () => {
    const entryPoints = await jsonRpc<string[]>(stack.urls.bundler, 'eth_supportedEntryPoints');
    expect(entryPoints.map((a) => a.toLowerCase())).toContain(ENTRY_POINT_V08.toLowerCase());
  });

  it('serves the dev IdP discovery document and the salt service health', async () => {
    const discovery = (await (await fetch(`${stack.urls.idp}/.well-known/openid-configuration`)).json()) as {
      issuer: string;
      jwks_uri: string;
    };
    expect(discovery.issuer).toBe(stack.urls.idp);
    expect(discovery.jwks_uri).toBe(stack.urls.jwks);
    const health = await fetch(`${stack.urls.salt}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', mode: 'derived' });
  });

  it("registers the dev IdP's keys in the JwkRegistry through the JWK oracle", async () => {
    const keys = await issuerRegistryKeys(stack.urls.idp, stack.urls.jwks);
    expect(keys.length).toBeGreaterThan(0);
    expect(stack.jwk.via).toBe('jwk-oracle');
    for (const key of keys) {
      expect(key.issHash).toBe(hashIssuer(stack.urls.idp));
      expect(await isValidKey(stack, key.issHash, key.modulusHash)).toBe(true);
    }
    // The same modulus under another issuer is not registered: the check can fail.
    const other = keys[0] as (typeof keys)[number];
    expect(await isValidKey(stack, hashIssuer('https://not-the-dev-idp.example'), other.modulusHash)).toBe(
      false,
    );
  });

  it('keeps its state and logs in the state directory', () => {
    expect(stack.stateDir).toBe(stateDir);
    for (const name of ['anvil', 'alto', 'salt', 'jwk-oracle']) {
      expect(statSync(join(stateDir, 'logs', `${name}.log`)).size, `${name}.log`).toBeGreaterThan(0);
    }
    expect(statSync(join(stateDir, 'salt-seed.hex')).mode & 0o777).toBe(0o600);
    expect(stack.prover.running).toBe(false);
    // Child processes do not write to the terminal: their log holds what they printed.
    expect(readFileSync(join(stateDir, 'logs', 'alto.log'), 'utf8')).not.toContain(
      '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
    );
  });

  it('stops every process and frees every port', async () => {
    expect(pids.length).toBe(2);
    for (const pid of pids) expect(isAlive(pid)).toBe(true);
    const client = createPublicClient({ transport: http(stack.urls.rpc) });
    deployerNonceAtStop = await client.getTransactionCount({
      address: privateKeyToAccount(ANVIL_DEV_KEYS[0] as Hex).address,
    });
    lastBlockAtStop = await client.getBlock({ blockTag: 'latest' });
    await stack.stop();
    for (const pid of pids) expect(isAlive(pid), `pid ${pid}`).toBe(false);
    for (const port of Object.values(stack.ports)) expect(await isPortFree(port), `port ${port}`).toBe(true);
    await stack.stop(); // idempotent
  });

  it('restarts on the kept chain: same genesis, contracts not redeployed, time moving on, logs rotated', async () => {
    expect(stack.chainState).toMatchObject({ loaded: false, contractsKept: false });
    expect(stack.genesisHash).toMatch(/^0x[0-9a-f]{64}$/);
    const stateFile = stack.chainState.file;
    expect(statSync(stateFile).size).toBeGreaterThan(0); // written by anvil at stop
    const firstAltoLog = readFileSync(join(stateDir, 'logs', 'alto.log'), 'utf8');
    // Same artifacts (no rebuild in between): CREATE2 puts every contract at the same address again.
    const again = await startDevStack({
      ports: stack.ports,
      prover: false,
      stateDir,
      buildContracts: 'never',
    });
    try {
      expect(again.addresses).toEqual(stack.addresses);
      expect(again.jwk.keys).toEqual(stack.jwk.keys);
      expect(again.genesisHash).toBe(stack.genesisHash);
      expect(again.chainState).toEqual({ file: stateFile, loaded: true, contractsKept: true });
      const client = createPublicClient({ transport: http(again.urls.rpc) });
      // Nothing was sent on the restart: the deployer (also the oracle's and the deposit's sender) kept its nonce.
      const deployer = privateKeyToAccount(ANVIL_DEV_KEYS[0] as Hex).address;
      expect(await client.getTransactionCount({ address: deployer })).toBe(deployerNonceAtStop);
      // The blocks of the first run are there, and new ones follow them with the wall clock's time.
      const latest = await client.getBlock({ blockTag: 'latest' });
      expect(latest.number >= lastBlockAtStop.number).toBe(true);
      expect((await client.getBlock({ blockNumber: lastBlockAtStop.number })).hash).toBe(
        lastBlockAtStop.hash,
      );
      const startedAt = BigInt(Math.floor(Date.now() / 1000));
      let newest = latest;
      for (let i = 0; i < 100 && newest.number === latest.number; i++) {
        await new Promise((r) => setTimeout(r, 200)); // the chain clock mines an idle block within ~1 s
        newest = await client.getBlock({ blockTag: 'latest' });
      }
      expect(newest.number > latest.number).toBe(true);
      expect(newest.timestamp > lastBlockAtStop.timestamp).toBe(true);
      expect(newest.timestamp >= startedAt - 1n).toBe(true);
      expect(newest.timestamp <= BigInt(Math.floor(Date.now() / 1000)) + 1n).toBe(true);
      // Each log starts afresh, the previous run's in `.1`; Alto writes plain JSON lines, no colours.
      expect(readFileSync(join(stateDir, 'logs', 'alto.log.1'), 'utf8')).toBe(firstAltoLog);
      const altoLines = readFileSync(join(stateDir, 'logs', 'alto.log'), 'utf8')
        .trim()
        .split('\n');
      expect(altoLines.length).toBeGreaterThan(1);
      for (const line of altoLines) expect(() => JSON.parse(line), line).not.toThrow();
      expect(altoLines.join('\n')).not.toContain('\u001b[');
      expect(altoLines.join('\n')).not.toContain('"module":"public_client"');
      expect(existsSync(join(stateDir, 'logs', 'anvil.log.1'))).toBe(true);
    } finally {
      await again.stop();
    }
  });

  it('starts the chain over with fresh: a new genesis, the contracts deployed again at the same addresses', async () => {
    const fresh = await startDevStack({
      ports: stack.ports,
      prover: false,
      stateDir,
      buildContracts: 'never',
      fresh: true,
    });
    try {
      expect(fresh.genesisHash).not.toBe(stack.genesisHash);
      expect(fresh.chainState).toMatchObject({ loaded: false, contractsKept: false });
      expect(fresh.addresses).toEqual(stack.addresses);
    } finally {
      await fresh.stop();
    }
  });
});

describe('a port already in use', () => {
  let blocker: Server;
  let busyPort: number;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    busyPort = (blocker.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  it('is refused with the port and the option to change it, before anything starts', async () => {
    const before = new Set(descendants(process.pid));
    const stateDir = tempStateDir();
    const error = await startDevStack({
      ports: { ...ephemeral, bundler: busyPort },
      prover: false,
      stateDir,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortInUseError);
    expect((error as PortInUseError).code).toBe('PORT_IN_USE');
    expect((error as Error).message).toContain(String(busyPort));
    expect((error as Error).message).toContain('--bundler-port');
    const started = descendants(process.pid).filter((pid) => !before.has(pid));
    expect(started.map(commandLine).filter((c) => /anvil|alto/.test(c))).toEqual([]);
    expect(() => statSync(join(stateDir, 'logs', 'anvil.log'))).toThrow();
  });

  it('is refused when two services are given the same port', async () => {
    const error = await startDevStack({
      ports: { ...ephemeral, idp: 18_951, salt: 18_951 },
      prover: false,
      stateDir: tempStateDir(),
    }).catch((e: unknown) => e);
    expect((error as PortInUseError).code).toBe('PORT_IN_USE');
    expect((error as Error).message).toContain('18951');
  });
});

describe('aborting startup', () => {
  it('stops what had started (anvil) and rejects with STARTUP_ABORTED', async () => {
    const before = new Set(descendants(process.pid));
    const controller = new AbortController();
    const spawned: number[] = [];
    const error = await startDevStack({
      ports: ephemeral,
      prover: false,
      stateDir: tempStateDir(),
      signal: controller.signal,
      onStatus: (line) => {
        if (!line.startsWith('deploying')) return;
        // anvil is up: remember it, then interrupt.
        for (const pid of descendants(process.pid)) {
          if (!before.has(pid) && commandLine(pid).includes('anvil')) spawned.push(pid);
        }
        controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupAbortedError);
    expect(spawned.length).toBe(1);
    for (const pid of spawned) expect(isAlive(pid)).toBe(false);
    const left = descendants(process.pid).filter((pid) => !before.has(pid));
    expect(left.map(commandLine).filter((c) => /anvil|alto/.test(c))).toEqual([]);
  });
});

describe('a child that dies on its own', () => {
  it('is reported through `crashed` with its name and log file', async () => {
    const stack = await startDevStack({ ports: ephemeral, prover: false, stateDir: tempStateDir() });
    try {
      const anvil = stack.processes.find((p) => p.name === 'anvil') as { pid: number; logFile: string };
      process.kill(anvil.pid, 'SIGKILL');
      const crash = await stack.crashed;
      expect(crash).toMatchObject({ name: 'anvil', signal: 'SIGKILL', logFile: anvil.logFile });
    } finally {
      await stack.stop();
    }
    for (const p of stack.processes) expect(isAlive(p.pid)).toBe(false);
  });
});
