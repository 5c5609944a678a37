import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Address } from 'viem';
import { DevStackNotRunningError } from './errors.ts';

/**
 * Everything the SDK needs to know about a zkSSO deployment: the chain, the bundler, the salt service and
 * the prover, the client ids (audiences) the salt service accepts, and the contracts.
 *
 * @example
 * ```ts
 * const network: ZkSsoNetwork = loadDevStackNetwork();
 * network.addresses.factory; // '0x…'
 * ```
 */
export interface ZkSsoNetwork {
  chainId: number;
  rpcUrl: string;
  bundlerUrl: string;
  saltUrl: string;
  proverUrl: string;
  /** The OpenID issuer of the dev IdP when this is a dev stack (for `--issuer dev`). */
  devIssuer?: string;
  /** Client ids (audiences) the salt service accepts; the first is the default. */
  clientIds: string[];
  /**
   * A chain on this machine (anvil, the dev stack): blocks come at once, so the SDK polls for receipts every
   * 100 ms. Default: true for chain ids 31337 and 1337 (anvil, Hardhat, geth --dev), else false.
   */
  local?: boolean;
  /** How often to poll the bundler for a receipt, ms. Default 100 on a local chain, else 1000. */
  pollingIntervalMs?: number;
  addresses: {
    entryPoint: Address;
    factory: Address;
    zkLoginValidator: Address;
    sessionKeyValidator: Address;
    webAuthnValidator: Address;
    jwkRegistry: Address;
  };
}

/** The fields of the dev stack's ready JSON (`<stateDir>/stack.json`) the SDK reads. */
interface DevStackReady {
  chainId: number;
  urls: { rpc: string; bundler: string; idp: string; salt: string; prover?: string };
  idp: { issuer: string; clientIds: string[] };
  addresses: {
    entryPoint: Address;
    accountFactory: Address;
    zkLoginValidator: Address;
    sessionKeyValidator: Address;
    webAuthnValidator: Address;
    jwkRegistry: Address;
  };
}

/**
 * The dev stack's default state directory, the same rule as `npm run dev`: `$ZKSSO_DEV_STATE_DIR`, else
 * `$XDG_STATE_HOME/zksso/dev`, else `~/.local/state/zksso/dev`.
 *
 * @example
 * ```ts
 * devStackStateDir(); // '/home/me/.local/state/zksso/dev'
 * ```
 */
export function devStackStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ZKSSO_DEV_STATE_DIR) return env.ZKSSO_DEV_STATE_DIR;
  return join(env.XDG_STATE_HOME ?? join(env.HOME ?? homedir(), '.local', 'state'), 'zksso', 'dev');
}

/**
 * Turns the dev stack's ready JSON (what `npm run dev -- --json` prints and `<stateDir>/stack.json` holds)
 * into a {@link ZkSsoNetwork}. The prover URL is empty when the stack runs without the prover.
 *
 * @example
 * ```ts
 * const network = devStackNetwork(JSON.parse(readyLine));
 * ```
 */
export function devStackNetwork(ready: unknown): ZkSsoNetwork {
  const r = ready as DevStackReady;
  if (!r || typeof r !== 'object' || typeof r.chainId !== 'number' || !r.urls || !r.addresses || !r.idp) {
    throw new TypeError('not a dev stack ready document (chainId, urls, addresses, idp)');
  }
  return {
    chainId: r.chainId,
    rpcUrl: r.urls.rpc,
    bundlerUrl: r.urls.bundler,
    saltUrl: r.urls.salt,
    proverUrl: r.urls.prover ?? '',
    devIssuer: r.idp.issuer,
    clientIds: [...r.idp.clientIds],
    local: true,
    addresses: {
      entryPoint: r.addresses.entryPoint,
      factory: r.addresses.accountFactory,
      zkLoginValidator: r.addresses.zkLoginValidator,
      sessionKeyValidator: r.addresses.sessionKeyValidator,
      webAuthnValidator: r.addresses.webAuthnValidator,
      jwkRegistry: r.addresses.jwkRegistry,
    },
  };
}

/**
 * Reads a running dev stack's `<stateDir>/stack.json` (written by `npm run dev` when ready, removed at stop).
 *
 * @throws DevStackNotRunningError when the file is missing, is not a ready document, or was left by a stack
 *   that no longer runs (its `pid` is gone).
 * @example
 * ```ts
 * const network = loadDevStackNetwork(); // the default state directory
 * const other = loadDevStackNetwork('/tmp/my-stack');
 * ```
 */
export function loadDevStackNetwork(stateDir: string = devStackStateDir()): ZkSsoNetwork {
  const path = join(stateDir, 'stack.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new DevStackNotRunningError(path, 'does not exist');
  }
  let document: unknown;
  let network: ZkSsoNetwork;
  try {
    document = JSON.parse(text);
    network = devStackNetwork(document);
  } catch {
    throw new DevStackNotRunningError(path, 'is not a dev stack ready document');
  }
  // A stack killed with SIGKILL cannot remove its file: the pid it wrote tells a live stack from a stale file.
  const pid = (document as { pid?: unknown }).pid;
  if (typeof pid === 'number' && !processExists(pid)) {
    throw new DevStackNotRunningError(path, `was left by a dev stack that is no longer running (pid ${pid})`);
  }
  return network;
}

/** True if a process with this id exists (signal 0 checks without signalling; EPERM means it exists). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Chain ids of local development chains (anvil and Hardhat 31337, geth --dev and Ganache 1337). */
const LOCAL_CHAIN_IDS = new Set([31337, 1337]);

/** Receipt polling on a local chain, ms: it mines at once, so the wait is the bundler's own (~100 ms). */
export const LOCAL_POLLING_INTERVAL_MS = 100;
/** Receipt polling elsewhere, ms: blocks take seconds; one bundler request a second is cheap. */
export const PUBLIC_POLLING_INTERVAL_MS = 1000;

/**
 * Whether a network is a chain on this machine: `network.local` when set, else a local chain id.
 *
 * @example
 * ```ts
 * isLocalNetwork({ ...network, chainId: 31337 }); // true
 * ```
 */
export function isLocalNetwork(network: Pick<ZkSsoNetwork, 'chainId' | 'local'>): boolean {
  return network.local ?? LOCAL_CHAIN_IDS.has(network.chainId);
}

/**
 * How often the SDK polls for a user operation's receipt on a network: `pollingIntervalMs` when set, else
 * {@link LOCAL_POLLING_INTERVAL_MS} on a local chain and {@link PUBLIC_POLLING_INTERVAL_MS} elsewhere.
 *
 * @example
 * ```ts
 * pollingIntervalOf(loadDevStackNetwork()); // 100
 * ```
 */
export function pollingIntervalOf(
  network: Pick<ZkSsoNetwork, 'chainId' | 'local' | 'pollingIntervalMs'>,
): number {
  if (network.pollingIntervalMs !== undefined && network.pollingIntervalMs > 0)
    return network.pollingIntervalMs;
  return isLocalNetwork(network) ? LOCAL_POLLING_INTERVAL_MS : PUBLIC_POLLING_INTERVAL_MS;
}
