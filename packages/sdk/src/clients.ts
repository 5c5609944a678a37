import {
  type Chain,
  createPublicClient,
  defineChain,
  type Hex,
  hexToNumber,
  http,
  type PublicClient,
} from 'viem';
import { type BundlerClient, createBundlerClient } from 'viem/account-abstraction';
import { ServiceError, WrongChainError } from './errors.ts';
import { pollingIntervalOf, type ZkSsoNetwork } from './network.ts';

/** The viem clients of a network. */
export interface ZkSsoClients {
  chain: Chain;
  publicClient: PublicClient;
  bundlerClient: BundlerClient;
  /** Hash of the chain's block 0: tells this chain from another with the same id (a dev chain restarted). */
  genesisHash: Hex;
  /** Receipt polling interval, ms ({@link pollingIntervalOf}). */
  pollingInterval: number;
}

/**
 * The viem chain of a network (id, name `zksso-<id>`, its RPC URL).
 *
 * @example
 * ```ts
 * const chain = networkChain(network); // chain.id === network.chainId
 * ```
 */
export function networkChain(network: ZkSsoNetwork): Chain {
  return defineChain({
    id: network.chainId,
    name: `zksso-${network.chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [network.rpcUrl] } },
  });
}

/**
 * Gas prices for a user operation: the bundler's (`pimlico_getUserOperationGasPrice`, Alto's "fast"), else
 * the node's estimate.
 *
 * @example
 * ```ts
 * const { maxFeePerGas } = await userOperationFees(bundlerClient, publicClient);
 * ```
 */
export async function userOperationFees(
  bundler: { request: (a: { method: string; params: [] }) => Promise<unknown> },
  client: PublicClient,
): Promise<{ maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }> {
  try {
    const answer = (await bundler.request({ method: 'pimlico_getUserOperationGasPrice', params: [] })) as {
      fast: { maxFeePerGas: Hex; maxPriorityFeePerGas: Hex };
    };
    return {
      maxFeePerGas: BigInt(answer.fast.maxFeePerGas),
      maxPriorityFeePerGas: BigInt(answer.fast.maxPriorityFeePerGas),
    };
  } catch {
    const fees = await client.estimateFeesPerGas();
    return { maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas };
  }
}

const cache = new WeakMap<ZkSsoNetwork, Promise<ZkSsoClients>>();

/**
 * A viem public client (RPC node) and bundler client for a network, after checking that both the node and
 * the bundler are on `network.chainId`. Gas prices come from the bundler when it offers them (Alto).
 * Cached per network object.
 *
 * @throws WrongChainError (`where: 'rpc' | 'bundler'`), ServiceError when one does not answer.
 * @example
 * ```ts
 * const { publicClient, bundlerClient } = await createZkSsoClients(network);
 * ```
 */
export function createZkSsoClients(network: ZkSsoNetwork): Promise<ZkSsoClients> {
  let clients = cache.get(network);
  if (!clients) {
    clients = connect(network);
    cache.set(network, clients);
    clients.catch(() => cache.delete(network));
  }
  return clients;
}

async function connect(network: ZkSsoNetwork): Promise<ZkSsoClients> {
  const chain = networkChain(network);
  // viem's default (4 s without a known block time) made every operation wait about 4 s for its receipt on
  // the dev chain, which mines at once: poll per network instead.
  const pollingInterval = pollingIntervalOf(network);
  const publicClient = createPublicClient({
    chain,
    transport: http(network.rpcUrl),
    pollingInterval,
  }) as PublicClient;
  const bundlerTransport = http(network.bundlerUrl);
  const bundlerClient: BundlerClient = createBundlerClient({
    chain,
    client: publicClient,
    transport: bundlerTransport,
    pollingInterval,
    userOperation: {
      estimateFeesPerGas: async ({ bundlerClient: b }) => userOperationFees(b as never, publicClient),
    },
  });
  const [rpcChain, bundlerChain, genesis] = await Promise.all([
    publicClient.getChainId().catch((cause: unknown) => {
      throw new ServiceError('rpc', 0, undefined, `the RPC node ${network.rpcUrl} does not answer`, {
        cause,
      });
    }),
    bundlerClient.request({ method: 'eth_chainId' }).then(
      (id) => hexToNumber(id as Hex),
      (cause: unknown) => {
        throw new ServiceError('bundler', 0, undefined, `the bundler ${network.bundlerUrl} does not answer`, {
          cause,
        });
      },
    ),
    publicClient.getBlock({ blockNumber: 0n }).catch((cause: unknown) => {
      throw new ServiceError('rpc', 0, undefined, `the RPC node ${network.rpcUrl} has no block 0`, { cause });
    }),
  ]);
  if (rpcChain !== network.chainId) throw new WrongChainError(network.chainId, rpcChain, 'rpc');
  if (bundlerChain !== network.chainId) throw new WrongChainError(network.chainId, bundlerChain, 'bundler');
  return { chain, publicClient, bundlerClient, genesisHash: genesis.hash, pollingInterval };
}
