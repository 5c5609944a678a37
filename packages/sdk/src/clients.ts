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
import type { ZkSsoNetwork } from './network.ts';

/** The viem clients of a network. */
export interface ZkSsoClients {
  chain: Chain;
  publicClient: PublicClient;
  bundlerClient: BundlerClient;
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

/** Gas prices from the bundler (`pimlico_getUserOperationGasPrice`, Alto), else the node's estimate. */
async function feesPerGas(
  bundler: { request: (a: { method: string; params: [] }) => Promise<unknown> },
  client: PublicClient,
) {
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
  const publicClient = createPublicClient({ chain, transport: http(network.rpcUrl) }) as PublicClient;
  const bundlerTransport = http(network.bundlerUrl);
  const bundlerClient: BundlerClient = createBundlerClient({
    chain,
    client: publicClient,
    transport: bundlerTransport,
    userOperation: {
      estimateFeesPerGas: async ({ bundlerClient: b }) => feesPerGas(b as never, publicClient),
    },
  });
  const [rpcChain, bundlerChain] = await Promise.all([
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
  ]);
  if (rpcChain !== network.chainId) throw new WrongChainError(network.chainId, rpcChain, 'rpc');
  if (bundlerChain !== network.chainId) throw new WrongChainError(network.chainId, bundlerChain, 'bundler');
  return { chain, publicClient, bundlerClient };
}
