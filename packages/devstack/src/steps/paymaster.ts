import {
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  parseEther,
  zeroAddress,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { loadAccountAbstractionArtifact } from '../deploy/artifacts.ts';
import type { Deployment } from '../deploy/deploy.ts';

/**
 * Tops the VerifyingPaymaster's EntryPoint deposit up to 10 ETH so sponsored operations work at once. A kept
 * chain has the deposit already (less what sponsored operations spent): top up, no more.
 *
 * @example
 * ```ts
 * await depositForPaymaster('http://127.0.0.1:8545', ANVIL_DEV_KEYS[0], addresses);
 * ```
 */
export async function depositForPaymaster(rpcUrl: string, key: Hex, addresses: Deployment): Promise<void> {
  if (addresses.verifyingPaymaster === zeroAddress) return;
  const chain = defineChain({
    id: addresses.chainId,
    name: 'zksso-dev',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const publicClient = createPublicClient({ chain, transport: http(rpcUrl), pollingInterval: 100 });
  const wallet = createWalletClient({ account: privateKeyToAccount(key), chain, transport: http(rpcUrl) });
  const entryPointAbi = loadAccountAbstractionArtifact('EntryPoint').abi;
  const deposit = (await publicClient.readContract({
    address: addresses.entryPoint,
    abi: entryPointAbi,
    functionName: 'balanceOf',
    args: [addresses.verifyingPaymaster],
  })) as bigint;
  const target = parseEther('10');
  if (deposit >= target) return;
  const hash = await wallet.writeContract({
    address: addresses.entryPoint,
    abi: entryPointAbi,
    functionName: 'depositTo',
    args: [addresses.verifyingPaymaster],
    value: target - deposit,
  });
  await publicClient.waitForTransactionReceipt({ hash });
}
