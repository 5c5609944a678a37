import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Chain, defineChain, type Hex } from 'viem';
import { startAnvil as startDevAnvil } from '../../../devstack/src/chain.ts';
import { type ManagedProcess as DevStackProcess, logTail } from '../../../devstack/src/processes.ts';
import { freePort, type ManagedProcess, rpc } from './processes.ts';

/** anvil's well-known dev keys (mnemonic "test test ... junk"). */
export const ANVIL_KEYS: readonly Hex[] = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
];

/**
 * Starts anvil on a free 127.0.0.1 port with the dev stack's launcher (chain 31337, the hardfork from
 * `extraArgs`' `--hardfork`, default osaka) and waits until it answers JSON-RPC. Call `anvil.stop()` when done.
 *
 * @example
 * const { rpcUrl, anvil } = await startAnvil(['--hardfork', 'osaka']);
 */
export async function startAnvil(
  extraArgs: readonly string[] = [],
): Promise<{ rpcUrl: string; anvil: ManagedProcess }> {
  const flag = extraArgs.indexOf('--hardfork');
  const hardfork = flag >= 0 ? extraArgs[flag + 1] : undefined;
  const port = await freePort();
  const logDir = mkdtempSync(join(tmpdir(), 'zksso-contracts-anvil-'));
  let started: DevStackProcess | undefined;
  const stop = async () => {
    await started?.stop();
    rmSync(logDir, { recursive: true, force: true });
  };
  try {
    const proc = await startDevAnvil(
      { port, logFile: join(logDir, 'anvil.log'), ...(hardfork ? { hardfork } : {}) },
      (p) => {
        started = p;
      },
    );
    return {
      rpcUrl: `http://127.0.0.1:${port}`,
      anvil: { child: proc.child, output: () => logTail(proc.logFile), stop },
    };
  } catch (error) {
    await stop();
    throw error;
  }
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
