import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Deployment, type DeployOptions, deploy, loadArtifact } from '@zksso/devstack/deploy';
import { createPimlicoClient } from 'permissionless/clients/pimlico';
import { createPublicClient, createWalletClient, type Hex, http, parseEther } from 'viem';
import { createBundlerClient } from 'viem/account-abstraction';
import { privateKeyToAccount } from 'viem/accounts';
import { ANVIL_KEYS, anvilChain, startAnvil } from './anvil.ts';
import { altoCli, freePort, type ManagedProcess, rpc, startProcess, waitFor } from './processes.ts';

/** The tier the mock verifier is registered for in tests. */
export const TEST_TIER = 1600;

/** A running anvil + Alto pair with zkSSO deployed. */
export type TestChain = Awaited<ReturnType<typeof startTestChain>>;

/** Alto's clock preload (see bundler-clock.mjs). */
const BUNDLER_CLOCK = fileURLToPath(new URL('./bundler-clock.mjs', import.meta.url));

/**
 * Starts anvil (osaka), deploys zkSSO (the mock verifier for {@link TEST_TIER}), starts Alto and returns clients.
 * Call `stop()` in `afterAll`.
 *
 * `bundlerFollowsChainTime`: Alto's clock moves with {@link increaseTime} (bundler-clock.mjs), so a test can
 * pass an allowance period or a validity window in no time and still send windowed operations through Alto.
 * Off by default: tests that expire a key on chain expect the EntryPoint's refusal (AA22), which Alto would
 * otherwise answer first ("expires too soon").
 */
export async function startTestChain(
  options: Partial<DeployOptions> & { hardfork?: string; bundlerFollowsChainTime?: boolean } = {},
) {
  // `hardfork`: 'osaka' (default) has the P-256 precompile at 0x100; 'prague' has none (gas bench fallback).
  const { hardfork = 'osaka', bundlerFollowsChainTime = false, ...deployOptions } = options;
  const processes: ManagedProcess[] = [];
  const clockDir = bundlerFollowsChainTime ? mkdtempSync(join(tmpdir(), 'zksso-clock-')) : undefined;
  const clockFile = clockDir ? join(clockDir, 'offset') : undefined;
  /** Seconds anvil's clock was moved ahead of the wall clock by {@link increaseTime}. */
  let offset = 0;
  const stop = async () => {
    await Promise.all(processes.reverse().map((p) => p.stop()));
    if (clockDir) rmSync(clockDir, { recursive: true, force: true });
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
    const alto = startProcess(
      process.execPath,
      [
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
      ],
      clockFile
        ? {
            ...process.env,
            NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${BUNDLER_CLOCK}`.trim(),
            ZKSSO_TEST_CLOCK_FILE: clockFile,
          }
        : process.env,
    );
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

    // anvil mines at once: poll every 100 ms, not viem's 4 s default (each operation waited ~4 s for its receipt).
    const publicClient = createPublicClient({ chain, transport: http(rpcUrl), pollingInterval: 100 });
    const walletClient = createWalletClient({
      chain,
      pollingInterval: 100,
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
      pollingInterval: 100,
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
      /** Moves the chain clock forward (and Alto's, with `bundlerFollowsChainTime`) and mines a block. */
      increaseTime: async (seconds: number) => {
        offset += seconds;
        // Alto first: from the new block on, operations may carry windows that start in the moved time.
        if (clockFile) writeFileSync(clockFile, String(offset));
        await rpc(rpcUrl, 'evm_increaseTime', [seconds]);
        await rpc(rpcUrl, 'evm_mine');
      },
      /** The time on this chain's clock, unix seconds: the wall clock plus what {@link increaseTime} added. */
      clock: () => BigInt(Math.floor(Date.now() / 1000) + offset),
      altoOutput: () => alto.output(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
