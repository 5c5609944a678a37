import { normalizeSession, type SessionSpec, sessionHash } from '@zksso/core';
import { type Deployment, deploy, loadArtifact } from '@zksso/devstack/deploy';
import { sessionSetupCalls } from '@zksso/sdk';
import {
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  type PublicClient,
  parseEther,
  type Transport,
  type WalletClient,
} from 'viem';
import {
  entryPoint08Abi,
  type SmartAccount,
  toPackedUserOperation,
  type UserOperation,
} from 'viem/account-abstraction';
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSessionRevert, toSessionKeyAccount } from '../alto/session-account.ts';
import { ANVIL_KEYS, anvilChain, startAnvil } from '../harness/anvil.ts';
import { TEST_TIER } from '../harness/chain.ts';
import { type ManagedProcess, rpc } from '../harness/processes.ts';
import { addJwk, openIdAccountPair } from '../harness/zklogin.ts';

// A session's Allowance period passed with `evm_increaseTime` (the wording), on anvil with REAL user
// operations of a real ZkSsoAccount, sent straight to EntryPoint v0.8 `handleOps` by an EOA acting as bundler.
// The Alto variant (test/alto/session.test.ts) cannot do this: Alto checks each operation's validAfter/validUntil
// against its own wall clock, and a session operation's window is the Allowance period it spends in
// (docs/contracts.md §7), so a chain clock moved an hour ahead makes Alto refuse it. That test therefore uses a
// 60-second period and waits in real time; this one moves the chain clock and keeps a realistic 1-hour period.

const ISS_HASH = 0x9e41n;
const MODULUS_HASH = 0x9e42n;
const PERIOD = 3600n;
/** SessionLimitExceeded `kind` of a transfer's value (docs/contracts.md §7). */
const KIND_TRANSFER_VALUE = 1;
const GAS = { callGasLimit: 300_000n, verificationGasLimit: 1_500_000n, preVerificationGas: 100_000n };

const validatorAbi = loadArtifact('SessionKeyValidator').abi;

type Call = { to: Address; value?: bigint; data?: Hex };

describe('session Allowance period passed with evm_increaseTime (EntryPoint.handleOps on anvil)', () => {
  let anvil: ManagedProcess | undefined;
  let rpcUrl: string;
  let deployment: Deployment;
  let publicClient: PublicClient<Transport, Chain>;
  let walletClient: WalletClient<Transport, Chain, PrivateKeyAccount>;
  let main: SmartAccount;
  let spec: SessionSpec;
  const sessionKey = privateKeyToAccount(generatePrivateKey());
  const recipient = privateKeyToAccount(generatePrivateKey()).address;

  const chainTime = async () => (await publicClient.getBlock()).timestamp;

  /** Builds, signs and submits one user operation through `EntryPoint.handleOps`; returns its success flag. */
  async function handleOp(account: SmartAccount, calls: Call[]) {
    const deployed = (await publicClient.getCode({ address: account.address })) !== undefined;
    const { baseFeePerGas } = await publicClient.getBlock();
    const userOperation: UserOperation<'0.8'> = {
      sender: account.address,
      nonce: await account.getNonce(),
      ...(deployed ? {} : await account.getFactoryArgs()),
      callData: await account.encodeCalls(calls),
      ...GAS,
      maxFeePerGas: (baseFeePerGas ?? 0n) * 2n + 1_000_000_000n,
      maxPriorityFeePerGas: 1_000_000_000n,
      signature: '0x',
    };
    userOperation.signature = await account.signUserOperation(userOperation);
    const args = [[toPackedUserOperation(userOperation)], walletClient.account.address] as const;
    // Simulate first so that a refusal surfaces as the EntryPoint's FailedOp(WithRevert) with its data.
    await publicClient.simulateContract({
      address: deployment.entryPoint,
      abi: entryPoint08Abi,
      functionName: 'handleOps',
      args,
      account: walletClient.account,
    });
    const hash = await walletClient.writeContract({
      address: deployment.entryPoint,
      abi: entryPoint08Abi,
      functionName: 'handleOps',
      args,
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    expect(receipt.status).toBe('success');
  }

  /** A session-key account of `main` claiming `validAt` (chain time: no bundler clock is involved here). */
  const session = (validAt: bigint) =>
    toSessionKeyAccount({
      client: publicClient,
      entryPoint: deployment.entryPoint,
      address: main.address,
      sessionKeyValidator: deployment.sessionKeyValidator,
      sessionKey,
      spec,
      validAt,
    });

  async function transferState() {
    const state = (await publicClient.readContract({
      address: deployment.sessionKeyValidator,
      abi: validatorAbi,
      functionName: 'sessionState',
      args: [main.address, spec],
    })) as { transferValue: readonly { used: bigint; remaining: bigint; resetsAt: number }[] };
    const limit = state.transferValue[0];
    if (!limit) throw new Error('no transfer policy 0');
    return limit;
  }

  beforeAll(async () => {
    ({ rpcUrl, anvil } = await startAnvil(['--hardfork', 'osaka']));
    const chain = await anvilChain(rpcUrl);
    deployment = await deploy({
      rpcUrl,
      deployerKey: ANVIL_KEYS[0] as Hex,
      verifiers: [{ tier: TEST_TIER, bytecode: loadArtifact('MockGroth16Verifier').bytecode }],
    });
    publicClient = createPublicClient({ chain, transport: http(rpcUrl) });
    walletClient = createWalletClient({
      chain,
      account: privateKeyToAccount(ANVIL_KEYS[0] as Hex),
      transport: http(rpcUrl),
    });
    // The harness helpers are typed for startTestChain's clients; these are the same clients without Alto.
    const clients = { deployment, publicClient, walletClient } as unknown as Parameters<typeof addJwk>[0];
    await addJwk(clients, ISS_HASH, MODULUS_HASH);
    const { withProof } = await openIdAccountPair(clients, {
      issHash: ISS_HASH,
      idc: 0x9e43n,
      ephemeral: privateKeyToAccount(generatePrivateKey()),
      expiry: (await chainTime()) + 30n * 86_400n,
      modulusHash: MODULUS_HASH,
    });
    main = withProof as unknown as SmartAccount;
    const funded = await walletClient.sendTransaction({
      to: main.address,
      value: parseEther('1'),
    });
    await publicClient.waitForTransactionReceipt({ hash: funded });

    // The first operation deploys the account (zkLogin proof), installs SessionKeyValidator and creates the
    // session: transfer policy 0 allows 1000 wei per 1-hour period, at most 600 wei per transfer.
    spec = normalizeSession(
      {
        signer: sessionKey.address,
        expiresAt: (await chainTime()) + 7n * 86_400n,
        feeLimit: { limit: parseEther('0.5') },
        transfers: [
          { target: recipient, maxValuePerUse: 600n, valueLimit: { limit: 1000n, period: '1 hour' } },
        ],
      },
      { now: await chainTime() },
    );
    expect(spec.transferPolicies[0]?.valueLimit).toEqual({ limitType: 2, limit: 1000n, period: PERIOD });
    await handleOp(
      main,
      sessionSetupCalls({ account: main.address, validator: deployment.sessionKeyValidator, spec }),
    );
    const status = await publicClient.readContract({
      address: deployment.sessionKeyValidator,
      abi: validatorAbi,
      functionName: 'sessionStatus',
      args: [main.address, sessionHash(spec)],
    });
    expect(status).toBe(1); // Active
  });

  afterAll(async () => {
    await anvil?.stop();
  });

  it('spends within the allowance, is refused over it, and spends again after evm_increaseTime past the period', async () => {
    const firstPeriodTime = await chainTime();
    await handleOp(await session(firstPeriodTime), [{ to: recipient, value: 600n }]);
    expect(await publicClient.getBalance({ address: recipient })).toBe(600n);
    const { used, remaining, resetsAt } = await transferState();
    expect({ used, remaining }).toEqual({ used: 600n, remaining: 400n });
    expect(BigInt(resetsAt)).toBe((firstPeriodTime / PERIOD + 1n) * PERIOD);

    // Over the allowance: the EntryPoint reports the validator's typed error (AA23).
    const refused = await handleOp(await session(await chainTime()), [{ to: recipient, value: 500n }]).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(/AA23 reverted/);
    expect(decodeSessionRevert((refused as Error).message)).toEqual({
      errorName: 'SessionLimitExceeded',
      args: [sessionHash(spec), KIND_TRANSFER_VALUE, 0n, 0n, 0n, 500n, 400n, BigInt(resetsAt)],
    });

    // Pass the period on the chain clock.
    await rpc(rpcUrl, 'evm_increaseTime', [Number(BigInt(resetsAt) - (await chainTime()) + 1n)]);
    await rpc(rpcUrl, 'evm_mine');
    const nextPeriodTime = await chainTime();
    expect(nextPeriodTime).toBeGreaterThanOrEqual(BigInt(resetsAt));
    expect(await transferState()).toMatchObject({ used: 0n, remaining: 1000n });

    // An operation still claiming the old period is now outside its validity window: AA22.
    const stale = await handleOp(await session(firstPeriodTime), [{ to: recipient, value: 1n }]).catch(
      (e: unknown) => e,
    );
    expect(stale).toBeInstanceOf(Error);
    expect((stale as Error).message).toMatch(/AA22 expired or not due/);

    // The same 500 wei the previous period refused is accepted in the new one.
    await handleOp(await session(nextPeriodTime), [{ to: recipient, value: 500n }]);
    expect(await publicClient.getBalance({ address: recipient })).toBe(1100n);
    expect(await transferState()).toMatchObject({ used: 500n, remaining: 500n });
  });
});
