import { ZkSsoError } from '@zksso/core';
import { type Address, isAddress } from 'viem';

// The network description and its checks: browser-safe (no file or process access). Reading it from a file
// or from a running dev stack's state directory is in `@zksso/sdk/node` (node/network.ts).

/**
 * Everything the SDK needs to know about a zkSSO deployment: the chain, the bundler, the salt service and
 * the prover, the client ids (audiences) the salt service accepts, and the contracts.
 *
 * @example
 * ```ts
 * const network: ZkSsoNetwork = parseZkSsoNetwork(await (await fetch('/zksso-network.json')).json());
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
  /**
   * The block the contracts were deployed in: where the SDK starts searching their events (an account's
   * passkeys, the accounts a recovery identity may recover). Default 0, fine on a dev chain; set it on a
   * public chain, whose RPC providers refuse or slow down log searches over millions of blocks.
   */
  deploymentBlock?: number;
  addresses: {
    entryPoint: Address;
    factory: Address;
    zkLoginValidator: Address;
    sessionKeyValidator: Address;
    webAuthnValidator: Address;
    jwkRegistry: Address;
  };
}

/**
 * The fields of the dev stack's ready JSON (`<stateDir>/stack.json`) the SDK reads: what
 * {@link devStackNetwork} turns into a {@link ZkSsoNetwork}, and what `@zksso/devstack` hands its web apps.
 */
export interface DevStackReady {
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
 * A network description cannot be used: not a JSON object, or a field missing or malformed (code
 * `NETWORK_INVALID`; `details.reason` names the first bad field).
 *
 * @example
 * ```ts
 * try { parseZkSsoNetwork({ chainId: 1 }); } catch (e) { if (e instanceof InvalidNetworkError) console.log(e.details.reason); }
 * ```
 */
export class InvalidNetworkError extends ZkSsoError {
  constructor(source: string, reason: string) {
    super('NETWORK_INVALID', `network ${source} cannot be used: ${reason}`, { details: { source, reason } });
  }
}

const REQUIRED_ADDRESSES = ['entryPoint', 'factory', 'zkLoginValidator', 'sessionKeyValidator'] as const;

/**
 * Checks a parsed network description (the JSON form of {@link ZkSsoNetwork}, e.g. a `--network` file or a
 * dapp's configuration) and returns it typed: a positive integer `chainId`, URLs for the RPC node, bundler,
 * salt service and prover, a non-empty `clientIds`, optional `local`, `pollingIntervalMs` and
 * `deploymentBlock`, and the
 * entry point, factory, zkLogin and session-key validator addresses.
 *
 * @param source Named in the error (a file name, a URL). Default `'description'`.
 * @throws InvalidNetworkError (code `NETWORK_INVALID`) naming the first missing or malformed field.
 * @example
 * ```ts
 * const network = parseZkSsoNetwork(JSON.parse(text), 'net.json');
 * ```
 */
export function parseZkSsoNetwork(value: unknown, source = 'description'): ZkSsoNetwork {
  const invalid = (reason: string) => new InvalidNetworkError(source, reason);
  if (value === null || typeof value !== 'object') throw invalid('not a JSON object');
  const n = value as Record<string, unknown>;
  if (typeof n.chainId !== 'number' || !Number.isSafeInteger(n.chainId) || n.chainId <= 0) {
    throw invalid('chainId must be a positive integer');
  }
  for (const key of ['rpcUrl', 'bundlerUrl', 'saltUrl', 'proverUrl'] as const) {
    if (typeof n[key] !== 'string' || !URL.canParse(n[key] as string)) throw invalid(`${key} must be a URL`);
  }
  if (
    !Array.isArray(n.clientIds) ||
    n.clientIds.length === 0 ||
    !n.clientIds.every((c) => typeof c === 'string')
  ) {
    throw invalid('clientIds must be a non-empty list of strings');
  }
  if (n.local !== undefined && typeof n.local !== 'boolean') throw invalid('local must be true or false');
  if (
    n.pollingIntervalMs !== undefined &&
    (typeof n.pollingIntervalMs !== 'number' ||
      !Number.isFinite(n.pollingIntervalMs) ||
      n.pollingIntervalMs <= 0)
  ) {
    throw invalid('pollingIntervalMs must be a positive number of milliseconds');
  }
  if (
    n.deploymentBlock !== undefined &&
    (typeof n.deploymentBlock !== 'number' ||
      !Number.isSafeInteger(n.deploymentBlock) ||
      n.deploymentBlock < 0)
  ) {
    throw invalid('deploymentBlock must be a block number (a non-negative integer)');
  }
  const addresses = n.addresses as Record<string, unknown> | undefined;
  if (addresses === null || typeof addresses !== 'object') throw invalid('addresses is missing');
  for (const key of REQUIRED_ADDRESSES) {
    if (typeof addresses[key] !== 'string' || !isAddress(addresses[key] as string)) {
      throw invalid(`addresses.${key} must be an address`);
    }
  }
  return value as ZkSsoNetwork;
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
 * pollingIntervalOf(devStackNetwork(ready)); // 100
 * ```
 */
export function pollingIntervalOf(
  network: Pick<ZkSsoNetwork, 'chainId' | 'local' | 'pollingIntervalMs'>,
): number {
  if (network.pollingIntervalMs !== undefined && network.pollingIntervalMs > 0)
    return network.pollingIntervalMs;
  return isLocalNetwork(network) ? LOCAL_POLLING_INTERVAL_MS : PUBLIC_POLLING_INTERVAL_MS;
}

/**
 * Where the SDK starts searching the contracts' events on a network: its `deploymentBlock`, else block 0.
 *
 * @example
 * ```ts
 * await publicClient.getLogs({ address, event, fromBlock: eventsFromBlock(network) });
 * ```
 */
export function eventsFromBlock(network: Pick<ZkSsoNetwork, 'deploymentBlock'>): bigint {
  return BigInt(network.deploymentBlock ?? 0);
}
