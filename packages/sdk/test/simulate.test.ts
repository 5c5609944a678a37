// The pre-send check (assertCallsWouldSucceed) against a REAL chain: anvil with the zkSSO contracts deployed,
// accounts made by the real factory, real reverts. No proofs and no bundler: the check runs before either
// would be asked anything.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwkRegistryAbi, zkSsoAccountFactoryAbi } from '@zksso/contracts';
import {
  ANVIL_DEV_KEYS,
  ensureContractsBuilt,
  freePort,
  type ManagedProcess,
  startAnvil,
} from '@zksso/devstack';
import { type Deployment, deploy } from '@zksso/devstack/deploy';
import {
  type Address,
  concat,
  createPublicClient,
  createWalletClient,
  encodeAbiParameters,
  encodeFunctionData,
  type Hex,
  http,
  type PublicClient,
  parseEther,
  size,
  toFunctionSelector,
} from 'viem';
import { createBundlerClient, type SmartAccount } from 'viem/account-abstraction';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call } from '../src/actions/sendCalls.ts';
import { networkChain, type ZkSsoClients } from '../src/clients.ts';
import { toZkSsoSmartAccount } from '../src/contracts/index.ts';
import { CallWouldRevertError } from '../src/errors.ts';
import { assertCallsWouldSucceed } from '../src/simulate.ts';

const GAS = { callGasLimit: 100_000n, verificationGasLimit: 250_000n, preVerificationGas: 150_000n };
const MAX_FEE_PER_GAS = 2_000_000_000n; // 2 gwei: the fees can cost up to 0.001 ETH with GAS

/**
 * Creation code of a contract whose every call reverts with `revertData`: the runtime stores the data in
 * memory word by word and reverts with it.
 */
function revertingContract(revertData: Hex): Hex {
  const bytes = size(revertData);
  const words = Math.ceil(bytes / 32);
  const padded = `${revertData.slice(2)}${'00'.repeat(words * 32 - bytes)}`;
  let runtime = '';
  for (let i = 0; i < words; i++) {
    // PUSH32 word, PUSH1 offset, MSTORE
    runtime += `7f${padded.slice(i * 64, i * 64 + 64)}60${(i * 32).toString(16).padStart(2, '0')}52`;
  }
  // PUSH1 size, PUSH1 0, REVERT
  runtime += `60${bytes.toString(16).padStart(2, '0')}6000fd`;
  const length = runtime.length / 2;
  // CODECOPY(0, 12, length); RETURN(0, length): 12 bytes of init code before the runtime.
  const init = `61${length.toString(16).padStart(4, '0')}80600c6000396000f3`;
  return `0x${init}${runtime}`;
}

describe('assertCallsWouldSucceed on a real chain', () => {
  let anvil: ManagedProcess;
  let dir: string;
  let deployment: Deployment;
  let publicClient: PublicClient;
  let clients: ZkSsoClients;
  let deployed: SmartAccount;
  let undeployed: SmartAccount;
  let outOfStock: Address;
  const recipient = privateKeyToAccount(ANVIL_DEV_KEYS[5] as Hex).address;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zksso-sdk-simulate-'));
    await ensureContractsBuilt('auto', join(dir, 'forge.log'), () => {});
    const port = await freePort();
    const rpcUrl = `http://127.0.0.1:${port}`;
    anvil = await startAnvil({ port, logFile: join(dir, 'anvil.log') }, () => {});
    deployment = await deploy({ rpcUrl, deployerKey: ANVIL_DEV_KEYS[0] as Hex });
    const network = {
      chainId: deployment.chainId,
      rpcUrl,
      bundlerUrl: 'http://127.0.0.1:1', // never asked: the check runs before anything is sent
      saltUrl: '',
      proverUrl: '',
      clientIds: [],
      addresses: {
        entryPoint: deployment.entryPoint,
        factory: deployment.accountFactory,
        zkLoginValidator: deployment.zkLoginValidator,
        sessionKeyValidator: deployment.sessionKeyValidator,
        webAuthnValidator: deployment.webAuthnValidator,
        jwkRegistry: deployment.jwkRegistry,
      },
    };
    const chain = networkChain(network);
    publicClient = createPublicClient({ chain, transport: http(rpcUrl) }) as PublicClient;
    clients = {
      chain,
      publicClient,
      bundlerClient: createBundlerClient({ chain, transport: http(network.bundlerUrl) }),
      genesisHash: (await publicClient.getBlock({ blockNumber: 0n })).hash,
      pollingInterval: 100,
    };
    const funder = createWalletClient({
      account: privateKeyToAccount(ANVIL_DEV_KEYS[3] as Hex),
      chain,
      transport: http(rpcUrl),
    });
    const accountOf = async (issHash: bigint, idc: bigint, deploy: boolean) => {
      const address = await publicClient.readContract({
        address: deployment.accountFactory,
        abi: zkSsoAccountFactoryAbi,
        functionName: 'getOpenIdAccountAddress',
        args: [issHash, idc],
      });
      const factoryData = encodeFunctionData({
        abi: zkSsoAccountFactoryAbi,
        functionName: 'createOpenIdAccount',
        args: [issHash, idc],
      });
      if (deploy) {
        const hash = await funder.sendTransaction({ to: deployment.accountFactory, data: factoryData });
        await publicClient.waitForTransactionReceipt({ hash });
      }
      const funded = await funder.sendTransaction({ to: address, value: parseEther('1') });
      await publicClient.waitForTransactionReceipt({ hash: funded });
      return toZkSsoSmartAccount({
        client: publicClient,
        entryPoint: deployment.entryPoint,
        address,
        ...(deploy ? {} : { factoryArgs: { factory: deployment.accountFactory, factoryData } }),
        sign: async () => '0x',
      });
    };
    deployed = await accountOf(11n, 12n, true);
    undeployed = await accountOf(21n, 22n, false);
    const revertString = concat([
      toFunctionSelector('Error(string)'),
      encodeAbiParameters([{ type: 'string' }], ['out of stock']),
    ]);
    const created = await funder.deployContract({ abi: [], bytecode: revertingContract(revertString) });
    const receipt = await publicClient.waitForTransactionReceipt({ hash: created });
    outOfStock = receipt.contractAddress as Address;
  }, 600_000);

  afterAll(async () => {
    await anvil?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const check = (account: SmartAccount, calls: Call[]) =>
    assertCallsWouldSucceed(clients, {
      account,
      entryPoint: deployment.entryPoint,
      calls,
      gas: GAS,
      maxFeePerGas: MAX_FEE_PER_GAS,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );

  it('passes calls that would succeed, deployed or not', async () => {
    expect(await deployed.isDeployed()).toBe(true);
    expect(await undeployed.isDeployed()).toBe(false);
    expect(await check(deployed, [{ to: recipient, value: parseEther('0.1') }])).toBeUndefined();
    expect(await check(undeployed, [{ to: recipient, value: parseEther('0.1') }])).toBeUndefined();
  });

  it('refuses more value than the balance, in ETH, with the balance and the fees', async () => {
    const error = await check(deployed, [{ to: recipient, value: parseEther('5') }]);
    expect(error).toBeInstanceOf(CallWouldRevertError);
    const { details, message } = error as CallWouldRevertError;
    expect(details).toMatchObject({
      kind: 'insufficient-balance',
      callIndex: 0,
      balance: parseEther('1'),
      value: parseEther('5'),
      maxFee: parseEther('0.001'),
    });
    expect(message).toContain('the account holds 1 ETH, the calls send 5 ETH');
    expect(message).toContain('nothing was sent');
    // The fees count too: 1 ETH exactly leaves nothing for them.
    const exact = await check(deployed, [{ to: recipient, value: parseEther('1') }]);
    expect((exact as CallWouldRevertError).details.kind).toBe('insufficient-balance');
  });

  it('decodes a revert string, for a deployed account and for one its first operation deploys', async () => {
    for (const account of [deployed, undeployed]) {
      const error = await check(account, [{ to: outOfStock, data: '0x12345678' }]);
      expect(error).toBeInstanceOf(CallWouldRevertError);
      expect((error as CallWouldRevertError).details).toMatchObject({
        kind: 'revert-string',
        reason: '"out of stock"',
        callIndex: 0,
        to: outOfStock,
      });
    }
  });

  it('names the call of a batch that reverts and decodes a custom error with the known ABIs', async () => {
    const addKey = encodeFunctionData({ abi: jwkRegistryAbi, functionName: 'addKey', args: [1n, 2n] });
    const error = await check(deployed, [
      { to: recipient, value: 1n },
      { to: deployment.jwkRegistry, data: addKey },
    ]);
    expect(error).toBeInstanceOf(CallWouldRevertError);
    const details = (error as CallWouldRevertError).details;
    expect(details).toMatchObject({
      kind: 'custom-error',
      callIndex: 1,
      to: deployment.jwkRegistry,
      errorName: 'OwnableUnauthorizedAccount',
      args: [deployed.address],
    });
    expect(details.reason).toBe(`OwnableUnauthorizedAccount(account=${deployed.address})`);
  });

  it('says a value sent to a contract that refuses it reverts without a reason', async () => {
    // The account's own execution: a transfer to the factory (no receive function) reverts with no data.
    const error = await check(deployed, [{ to: deployment.accountFactory, value: 1n }]);
    expect((error as CallWouldRevertError).details).toMatchObject({ kind: 'no-reason', callIndex: 0 });
  });
});
