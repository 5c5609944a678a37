import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANVIL_DEV_KEYS, type DevStack, startDevStack } from '@zksso/devstack';
import { type Address, createWalletClient, http, parseEther } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { createZkSsoClients, networkChain } from '../src/clients.ts';
import { devStackNetwork, type ZkSsoNetwork } from '../src/network.ts';

// A real dev stack for the SDK's integration tests: anvil, contracts, Alto, dev IdP, salt, prover (the
// smallest tier, built into the cache on the first run) and the JWK oracle, all on free ports.

/** A running stack, the SDK network that points at it, and helpers to fund accounts and read the chain. */
export interface SdkTestStack {
  stack: DevStack;
  network: ZkSsoNetwork;
  fund(to: Address, ether?: string): Promise<void>;
  balance(address: Address): Promise<bigint>;
  /** Sum of `zksso_prover_requests_total` (every `POST /v1` the prover answered). */
  proverRequests(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts the stack in a fresh state directory. First run: minutes (circuit tier build, with progress on stderr).
 *
 * @example
 * const t = await startSdkTestStack();
 */
export async function startSdkTestStack(): Promise<SdkTestStack> {
  const stateDir = mkdtempSync(join(tmpdir(), 'zksso-sdk-stack-'));
  const stack = await startDevStack({
    ports: { anvil: 0, bundler: 0, idp: 0, salt: 0, prover: 0 },
    stateDir,
    onStatus: (line) => {
      if (/circuit|prover at|ready/.test(line)) process.stderr.write(`devstack: ${line}\n`);
    },
  });
  const network = devStackNetwork(stack);
  const { publicClient } = await createZkSsoClients(network);
  const funder = createWalletClient({
    account: privateKeyToAccount(ANVIL_DEV_KEYS[3] as `0x${string}`),
    chain: networkChain(network),
    transport: http(network.rpcUrl),
  });
  return {
    stack,
    network,
    fund: async (to, ether = '1') => {
      const hash = await funder.sendTransaction({ to, value: parseEther(ether) });
      await publicClient.waitForTransactionReceipt({ hash });
    },
    balance: (address) => publicClient.getBalance({ address }),
    proverRequests: async () => {
      const text = await (await fetch(`${network.proverUrl}/metrics`)).text();
      return text
        .split('\n')
        .filter((line) => line.startsWith('zksso_prover_requests_total'))
        .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
    },
    stop: async () => {
      await stack.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
