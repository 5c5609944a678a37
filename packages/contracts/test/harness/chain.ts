import { createPimlicoClient } from 'permissionless/clients/pimlico';
import { createPublicClient, createWalletClient, type Hex, http, parseEther } from 'viem';
import { createBundlerClient } from 'viem/account-abstraction';
import { privateKeyToAccount } from 'viem/accounts';
import { loadArtifact } from '../../src/artifacts.ts';
import { type Deployment, type DeployOptions, deploy } from '../../src/deploy.ts';
import { ANVIL_KEYS, anvilChain, startAnvil } from './anvil.ts';
import { altoCli, freePort, type ManagedProcess, rpc, startProcess, waitFor } from './processes.ts';

/** The tier the mock verifier is registered for in tests. */
export const TEST_TIER = 1600;

/** A running anvil + Alto pair with zkSSO deployed. */
export type TestChain = Awaited<ReturnType<typeof startTestChain>>;

/**
 * Starts anvil (osaka), deploys zkSSO (the mock verifier for {@link TEST_TIER}), starts Alto and returns clients.
 * Call `stop()` in `afterAll`.
 */
export async function startTestChain(options: Partial<DeployOptions> & { hardfork?: string } = {}) {
  // `hardfork`: 'osaka' (default) has the P-256 precompile at 0x100; 'prague' has none (gas bench fallback).
  const { hardfork = 'osaka', ...deployOptions } = options;
  const processes: ManagedProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.reverse().map((p) => p.stop()));
  };
  try {
    const { rpcUrl, anvil } = await startAnvil(['--hardfork', hardfork]);
    processes.push(anvil);
    const chain = await anvilChain(rpcUrl);

    const deployment: Deployment = await deploy({
      rpcUrl,
      deployerKey: ANVIL_KEYS[0] as Hex,
      verifiers: [{ tier: TEST_TIER, bytecode: loadArtifact('MockGroth16Verifier').bytecode }],
      ...deployOptions,
    });

    const altoPort = await freePort();
    const bundlerUrl = `http://127.0.0.1:${altoPort}`;
    const alto = startProcess(process.execPath, [
      altoCli(),
      '--entrypoints',
      deployment.entryPoint,
      '--rpc-url',
      rpcUrl,
      '--executor-private-keys',
      ANVIL_KEYS[1] as Hex,
      '--utility-private-key',
      ANVIL_KEYS[2] as Hex,
      '--safe-mode',
      'false',
      '--port',
      String(altoPort),
      '--log-level',
      'warn',
    ]);
    processes.push(alto);
    await waitFor(
      alto,
      'alto',
      async () => {
        try {
          const entryPoints = await rpc<string[]>(bundlerUrl, 'eth_supportedEntryPoints');
          return entryPoints.length > 0;
        } catch {
          return false;
        }
      },
      120_000,
    );

    const publicClient = createPublicClient({ chain, transport: http(rpcUrl) });
    const walletClient = createWalletClient({
      chain,
      account: privateKeyToAccount(ANVIL_KEYS[0] as Hex),
      transport: http(rpcUrl),
    });
    const pimlico = createPimlicoClient({
      chain,
      transport: http(bundlerUrl),
      entryPoint: { address: deployment.entryPoint, version: '0.8' },
    });
    const bundlerClient = createBundlerClient({
      chain,
      client: publicClient,
      transport: http(bundlerUrl),
      userOperation: {
        estimateFeesPerGas: async () => (await pimlico.getUserOperationGasPrice()).fast,
      },
    });

    return {
      rpcUrl,
      bundlerUrl,
      chain,
      deployment,
      publicClient,
      walletClient,
      bundlerClient,
      /** Sends ETH from the deployer. */
      fund: async (to: `0x${string}`, ether = '1') => {
        const hash = await walletClient.sendTransaction({ to, value: parseEther(ether) });
        await publicClient.waitForTransactionReceipt({ hash });
      },
      /** Moves the chain clock forward and mines a block. */
      increaseTime: async (seconds: number) => {
        await rpc(rpcUrl, 'evm_increaseTime', [seconds]);
        await rpc(rpcUrl, 'evm_mine');
      },
      altoOutput: () => alto.output(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
