import { statSync } from 'node:fs';
import { type Address, type Hex, parseEther } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { ANVIL_DEV_KEYS, fundAccounts, startAnvil } from '../chain.ts';
import { keepChainTimeCurrent } from '../chain-clock.ts';
import { type Deployment, deploy, type VerifierDeployment } from '../deploy/deploy.ts';
import { jsonRpc } from '../processes.ts';
import type { StatePaths } from '../state.ts';
import type { Lifecycle } from './lifecycle.ts';
import { depositForPaymaster } from './paymaster.ts';

/** The running chain with the contracts on it. */
export interface StartedChain {
  rpcUrl: string;
  genesisHash: Hex;
  addresses: Deployment;
  /** Whether the deployment sent nothing (every contract was on the kept chain already). */
  contractsKept: boolean;
  /** Funded accounts: anvil's dev accounts 3-5 plus `fund`. */
  testAccounts: Address[];
  /** The key that deployed the contracts and owns them (anvil's dev key 0). */
  deployerKey: Hex;
}

/**
 * Starts anvil on the kept chain (or a new one), keeps its clock current, deploys the contracts (a kept
 * chain: only the missing ones), tops up the paymaster's deposit and funds `fund`.
 *
 * @example
 * ```ts
 * const chain = await startChain(life, state, { port: 8545, chainWasKept: false, verifiers: [] });
 * ```
 */
export async function startChain(
  life: Lifecycle,
  state: StatePaths,
  options: {
    port: number;
    chainWasKept: boolean;
    verifiers: VerifierDeployment[];
    hardfork?: 'osaka' | 'prague';
    fund?: readonly Address[];
    verbose: boolean;
  },
): Promise<StartedChain> {
  const { status } = life;
  const rpcUrl = `http://127.0.0.1:${options.port}`;
  status(`starting anvil on ${rpcUrl}`);
  await startAnvil(
    {
      port: options.port,
      logFile: state.log('anvil'),
      verbose: options.verbose,
      signal: life.signal,
      stateFile: state.chainState,
      ...(options.hardfork ? { hardfork: options.hardfork } : {}),
    },
    (proc) => life.track(proc),
  );
  const genesis = await jsonRpc<{ hash: Hex }>(rpcUrl, 'eth_getBlockByNumber', ['0x0', false]);
  const latestBlock = Number(await jsonRpc<string>(rpcUrl, 'eth_blockNumber'));
  if (options.chainWasKept) {
    const size = (statSync(state.chainState).size / 1e6).toFixed(1);
    status(`chain loaded from ${state.chainState} (${latestBlock} blocks, ${size} MB; --fresh starts over)`);
  }
  // Blocks while idle, as a real chain makes them: see keepChainTimeCurrent.
  const chainClock = keepChainTimeCurrent(rpcUrl);
  life.onStop('chain clock', () => chainClock.stop());
  life.checkpoint();

  const deployerKey = ANVIL_DEV_KEYS[0] as Hex;
  // deploy() skips every contract whose deterministic address has code already: on a kept chain it sends
  // nothing and answers the same addresses.
  const deployerNonce = () =>
    jsonRpc<string>(rpcUrl, 'eth_getTransactionCount', [privateKeyToAccount(deployerKey).address, 'latest']);
  const nonceBefore = await deployerNonce();
  status(options.chainWasKept ? 'checking the contracts on the kept chain' : 'deploying the contracts');
  const addresses = await life.abortable(
    deploy({ rpcUrl, deployerKey, verifiers: options.verifiers, outFile: state.addresses }),
  );
  const contractsKept = (await deployerNonce()) === nonceBefore;
  if (options.chainWasKept)
    status(contractsKept ? 'contracts already deployed: kept' : 'deployed missing contracts');
  await depositForPaymaster(rpcUrl, deployerKey, addresses);
  const testAccounts = [
    ...ANVIL_DEV_KEYS.slice(3).map((k) => privateKeyToAccount(k).address),
    ...(options.fund ?? []),
  ];
  if (options.fund?.length) await fundAccounts(rpcUrl, options.fund, parseEther('100'));
  return { rpcUrl, genesisHash: genesis.hash, addresses, contractsKept, testAccounts, deployerKey };
}
