import {
  getSessionState,
  pollingIntervalOf,
  type SessionRecord,
  sendSessionCalls,
  type ZkSsoNetwork,
} from '@zksso/sdk';
import { createSdkSessionExecutor, type GrantedPermissions, zksso } from '@zksso/sdk/connector';
import { defineChain } from 'viem';
import { createConfig, http } from 'wagmi';
import type { DemoConfig } from '../shared/config.ts';

/**
 * The network as this page reaches it: the demo server proxies the chain and the bundler on the page's own
 * origin (`/rpc`, `/bundler`), so relative URLs become absolute here.
 *
 * @example
 * ```ts
 * resolveNetwork(config, 'http://127.0.0.1:5560').rpcUrl; // 'http://127.0.0.1:5560/rpc'
 * ```
 */
export function resolveNetwork(config: DemoConfig, origin: string): ZkSsoNetwork {
  return {
    ...config.network,
    rpcUrl: new URL(config.network.rpcUrl, origin).href,
    bundlerUrl: new URL(config.network.bundlerUrl, origin).href,
  };
}

/**
 * The whole zkSSO integration of the demo: one chain, its RPC, and the zkSSO connector. The session
 * executor lets the connector send session-covered transactions itself, with the session key it made and
 * kept in this page, without opening the zkSSO window.
 *
 * @example
 * ```ts
 * const wagmiConfig = createDemoWagmiConfig({ network, authServerUrl, origin: location.origin });
 * ```
 */
export function createDemoWagmiConfig(options: {
  network: ZkSsoNetwork;
  authServerUrl: string;
  origin: string;
}) {
  const { network, authServerUrl, origin } = options;
  const chain = defineChain({
    id: network.chainId,
    name: network.local ? 'zkSSO dev chain' : `Chain ${network.chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [network.rpcUrl] } },
  });
  return createConfig({
    chains: [chain],
    transports: { [chain.id]: http(network.rpcUrl) },
    connectors: [
      zksso({
        authServerUrl,
        metadata: { name: 'zkSSO demo', icon: `${origin}/icon.svg` },
        sessionExecutor: createSdkSessionExecutor({ networks: [network], sendSessionCalls }),
      }),
    ],
    // Only zkSSO here: no other wallet extensions announced through EIP-6963.
    multiInjectedProviderDiscovery: false,
    // wagmi's receipt and calls-status waits poll as often as the SDK does on this network (100 ms on the
    // dev stack), not every 4 s (wagmi's default): a send then confirms in about a second.
    pollingInterval: pollingIntervalOf(network),
  });
}

/**
 * The on-chain state of a granted session (status, and each limit's use). `getSessionState` reads only
 * the public parts of a session (account, spec, chain), which the ERC-7715 grant carries; the session key
 * stays inside the connector.
 *
 * @example
 * ```ts
 * const state = await readSessionState(network, grant);
 * ```
 */
export function readSessionState(network: ZkSsoNetwork, grant: GrantedPermissions) {
  const permission = grant.grantedPermissions[0];
  if (!permission) throw new Error('the grant has no zkSSO session');
  const publicParts = {
    version: 1,
    chainId: Number(grant.chainId),
    account: grant.address,
    sessionHash: grant.permissionsContext,
    spec: permission.data,
    createdAt: 0,
  } as const;
  return getSessionState({
    network,
    session: publicParts as Omit<SessionRecord, 'sessionPrivateKey'> as SessionRecord,
  });
}
