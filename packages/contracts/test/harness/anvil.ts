import { type Chain, defineChain, type Hex } from 'viem';
import { anvilBinary, freePort, type ManagedProcess, rpc, startProcess, waitFor } from './processes.ts';

/** anvil's well-known dev keys (mnemonic "test test ... junk"). */
export const ANVIL_KEYS: readonly Hex[] = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
];

/**
 * Starts anvil on a free 127.0.0.1 port with `extraArgs` (e.g. `['--hardfork', 'osaka']`) and waits until it
 * answers JSON-RPC. Call `anvil.stop()` when done.
 *
 * @example
 * const { rpcUrl, anvil } = await startAnvil(['--hardfork', 'osaka']);
 */
export async function startAnvil(
  extraArgs: readonly string[] = [],
): Promise<{ rpcUrl: string; anvil: ManagedProcess }> {
  const port = await freePort();
  const rpcUrl = `http://127.0.0.1:${port}`;
  const anvil = startProcess(anvilBinary(), [
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    ...extraArgs,
    '--silent',
  ]);
  try {
    await waitFor(anvil, 'anvil', async () => {
      try {
        await rpc(rpcUrl, 'eth_chainId');
        return true;
      } catch {
        return false;
      }
    });
  } catch (error) {
    await anvil.stop();
    throw error;
  }
  return { rpcUrl, anvil };
}

/**
 * A viem chain for the node at `rpcUrl`, its id read from `eth_chainId`.
 *
 * @example
 * const chain = await anvilChain(rpcUrl);
 * const publicClient = createPublicClient({ chain, transport: http(rpcUrl) });
 */
export async function anvilChain(rpcUrl: string): Promise<Chain> {
  const chainId = Number.parseInt(await rpc<string>(rpcUrl, 'eth_chainId'), 16);
  return defineChain({
    id: chainId,
    name: 'anvil',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}
