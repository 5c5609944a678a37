import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ArtifactNotFoundError,
  type ContractArtifact,
  contractsRoot,
  loadArtifact,
} from '@zksso/devstack/deploy';
import {
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  type PublicClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
// The dev stack's anvil launcher and JSON-RPC helper (by path: only these modules, not the whole stack).
import { startAnvil as startDevAnvil } from '../../devstack/src/chain.ts';
import { type ManagedProcess, jsonRpc as rpc } from '../../devstack/src/processes.ts';

const require = createRequire(import.meta.url);

/** anvil's well-known dev keys (accounts 0 and 1, funded on every fresh anvil). */
export const ANVIL_KEY_0: Hex = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
export const ANVIL_KEY_1: Hex = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';

/** An anvil on a fixed loopback port that can be stopped and restarted with its state. */
export interface TestAnvil {
  url: string;
  port: number;
  publicClient: PublicClient;
  stop(): Promise<void>;
  /** Stops anvil after saving its state; `restart()` brings it back on the same port. */
  crash(): Promise<void>;
  restart(): Promise<void>;
}

/** Starts anvil (`--hardfork osaka`) on `port` (the caller picks one of its own in 21900-21949). */
export async function startAnvil(port: number): Promise<TestAnvil> {
  const url = `http://127.0.0.1:${port}`;
  let proc: ManagedProcess | undefined;
  let savedState: Hex | undefined;
  const logDir = mkdtempSync(join(tmpdir(), 'zksso-oracle-anvil-'));

  async function launch() {
    await startDevAnvil({ port, logFile: join(logDir, 'anvil.log') }, (p) => {
      proc = p;
    });
  }

  async function kill() {
    const running = proc;
    proc = undefined;
    await running?.stop();
  }

  await launch();
  return {
    url,
    port,
    publicClient: createPublicClient({ transport: http(url) }) as PublicClient,
    stop: async () => {
      await kill();
      rmSync(logDir, { recursive: true, force: true });
    },
    crash: async () => {
      savedState = await rpc<Hex>(url, 'anvil_dumpState');
      await kill();
    },
    restart: async () => {
      await launch();
      if (savedState) await rpc(url, 'anvil_loadState', [savedState]);
    },
  };
}

/** The JwkRegistry artifact: the contracts package's forge output, else compiled here with solc-js. */
export async function jwkRegistryArtifact(): Promise<ContractArtifact> {
  try {
    return loadArtifact('JwkRegistry');
  } catch (error) {
    if (!(error instanceof ArtifactNotFoundError)) throw error;
    return compileJwkRegistry();
  }
}

export async function compileJwkRegistry(): Promise<ContractArtifact> {
  const { readFileSync } = await import('node:fs');
  const solc = require('solc') as { compile(input: string, callbacks: object): string };
  const source = join(contractsRoot, 'src/registry/JwkRegistry.sol');
  const input = {
    language: 'Solidity',
    sources: { 'JwkRegistry.sol': { content: readFileSync(source, 'utf8') } },
    settings: {
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const findImports = (path: string) => {
    try {
      return { contents: readFileSync(require.resolve(path), 'utf8') };
    } catch {
      return { error: `not found: ${path}` };
    }
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports })) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts: Record<
      string,
      Record<string, { abi: ContractArtifact['abi']; evm: { bytecode: { object: string } } }>
    >;
  };
  const fatal = output.errors?.filter((e) => e.severity === 'error') ?? [];
  if (fatal.length > 0) throw new Error(fatal.map((e) => e.formattedMessage).join('\n'));
  const contract = output.contracts['JwkRegistry.sol']?.JwkRegistry;
  if (!contract) throw new Error('solc produced no JwkRegistry');
  return { contractName: 'JwkRegistry', abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` };
}

/**
 * A wallet client for `privateKey`'s account on `anvil` (chain id read from the node).
 *
 * @example
 * const owner = await walletFor(anvil, ANVIL_KEY_0);
 */
export async function walletFor(anvil: TestAnvil, privateKey: Hex) {
  const chain = defineChain({
    id: await anvil.publicClient.getChainId(),
    name: 'anvil',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [anvil.url] } },
  });
  return createWalletClient({ account: privateKeyToAccount(privateKey), chain, transport: http(anvil.url) });
}

/** Deploys a JwkRegistry owned by `ownerKey`'s account with the given oracle set. */
export async function deployRegistry(
  anvil: TestAnvil,
  options: { ownerKey: Hex; oracles?: Address[]; threshold?: number },
): Promise<Address> {
  const artifact = await jwkRegistryArtifact();
  const wallet = await walletFor(anvil, options.ownerKey);
  const oracles = [...(options.oracles ?? [])].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  const hash = await wallet.deployContract({
    abi: artifact.abi,
    bytecode: artifact.bytecode,
    args: [wallet.account.address, oracles, BigInt(options.threshold ?? 0)],
  });
  const receipt = await anvil.publicClient.waitForTransactionReceipt({ hash });
  if (!receipt.contractAddress) throw new Error('JwkRegistry deployment failed');
  return receipt.contractAddress;
}

/** How {@link startFlakyProxy} answers the next requests. */
export type FailureMode = 'http-500' | 'bad-json' | 'hang';

/**
 * An HTTP front for a JWKS (or a JSON-RPC node) that forwards to `target` unless told to fail: `failNext(n,
 * mode)` makes the next n requests fail; `down()` closes the port and `up()` reopens it (connection refused
 * in between). Every request is counted.
 */
export async function startFlakyProxy(target: string) {
  let failures: { remaining: number; mode: FailureMode; match?: (body: string) => boolean } | undefined;
  let requests = 0;
  let server: Server | undefined;
  let port = 0;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    requests++;
    let body = '';
    for await (const chunk of req) body += chunk;
    if (failures && failures.remaining > 0 && (failures.match?.(body) ?? true)) {
      failures.remaining--;
      if (failures.mode === 'http-500') return res.writeHead(500).end('internal error');
      if (failures.mode === 'bad-json')
        return res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys": [');
      return; // hang: never answer (the client's timeout fires)
    }
    const upstream = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
      ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body }),
    });
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
    });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  }

  async function up() {
    const s = createServer((req, res) => {
      handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(502).end(String(error));
      });
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    port = (s.address() as AddressInfo).port;
    server = s;
  }

  async function down() {
    const s = server;
    server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  await up();
  return {
    url: `http://127.0.0.1:${port}`,
    failNext(count: number, mode: FailureMode, match?: (body: string) => boolean) {
      failures = { remaining: count, mode, ...(match ? { match } : {}) };
    },
    pendingFailures: () => failures?.remaining ?? 0,
    requests: () => requests,
    up,
    down,
  };
}
