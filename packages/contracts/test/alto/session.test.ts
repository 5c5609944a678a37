import { normalizeSession, type SessionSpec, sessionHash } from '@zksso/core';
import { loadArtifact } from '@zksso/devstack/deploy';
import { sessionSetupCalls, type toZkSsoOpenIdAccount } from '@zksso/sdk';
import { type Address, encodeFunctionData, type Hex, parseEther } from 'viem';
import { entryPoint08Abi } from 'viem/account-abstraction';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zkSsoAccountAbi } from '../../src/index.ts';
import { startTestChain, type TestChain } from '../harness/chain.ts';
import { addJwk, openIdAccountPair } from '../harness/zklogin.ts';
import { decodeSessionRevert, toSessionKeyAccount } from './session-account.ts';

// Session keys end to end: REAL user operations through Alto on anvil (mock zkLogin verifier). The account's
// main (ephemeral) key installs SessionKeyValidator and creates a session with two transfer policies; the
// session key then spends within, over and after its periodic allowance, sends a batch checked call by call,
// and is refused once the main key revokes the session.
//
// Periods roll over by time travel (`evm_increaseTime`), not by waiting. Alto compares the validationData
// window with ITS OWN clock (`validAfter > Date.now()` is refused as "not valid yet", `validUntil < now + 5` as
// "expires too soon"; UnsafeValidator, even with --safe-mode false), and a session op's window is the
// Allowance period it spends in (docs/contracts.md §7): so this chain's Alto runs with its clock moved along
// with anvil's (`bundlerFollowsChainTime`, harness/bundler-clock.mjs), and the session key signs for the
// chain's time, as the SDK signs for the current time on a real network.

const ISS_HASH = 0x5e55n;
const MODULUS_HASH = 0x5e56n;
/** Allowance period of transfer policy 0. */
const PERIOD = 60n;
const MODULE_TYPE_VALIDATOR = 1n;
/** SessionLimitExceeded `kind` of a transfer's value (docs/contracts.md §7). */
const KIND_TRANSFER_VALUE = 1;
/**
 * Explicit limits: with them viem skips estimation, so Alto's own validation (simulateValidation) answers and
 * a refused operation reports the validator's revert instead of the estimator's misleading message.
 */
const GAS = { callGasLimit: 200_000n, verificationGasLimit: 600_000n, preVerificationGas: 100_000n };

const validatorAbi = loadArtifact('SessionKeyValidator').abi;

type MainAccount = Awaited<ReturnType<typeof toZkSsoOpenIdAccount>>;
type Call = { to: Address; value?: bigint; data?: Hex };
interface LimitState {
  used: bigint;
  remaining: bigint;
  /** uint48: a number in viem. */
  resetsAt: number;
}

describe('session keys through Alto', () => {
  let chain: TestChain;
  let main: MainAccount;
  let spec: SessionSpec;
  const sessionKey = privateKeyToAccount(generatePrivateKey());
  // Transfer policy 0: 1000 wei per 60 s period, at most 600 per transfer. Policy 1: 300 wei for life.
  const periodic = privateKeyToAccount(generatePrivateKey()).address;
  const lifetime = privateKeyToAccount(generatePrivateKey()).address;

  const now = async () => (await chain.publicClient.getBlock()).timestamp;
  /** The chain's time (wall clock plus the time travelled), which Alto's clock follows too. */
  const clock = () => chain.clock();

  /**
   * Moves the chain (and Alto) to one second into the next period, so that the operations of one test all
   * fall in it: an op is accepted only while at least 5 s of its period are left (Alto's margin). The move
   * mines a block: Alto simulates on the latest block, whose timestamp must lie in the new period too.
   */
  async function freshPeriod() {
    const nextStart = (clock() / PERIOD + 1n) * PERIOD;
    await chain.increaseTime(Number(nextStart - clock()) + 1);
    expect((await now()) / PERIOD).toBe(nextStart / PERIOD);
  }
  const balance = (address: Address) => chain.publicClient.getBalance({ address });
  /** The account's balance plus its EntryPoint deposit (the prefund's unused part is refunded there). */
  const funds = async () =>
    (await balance(main.address)) +
    (await chain.publicClient.readContract({
      address: chain.deployment.entryPoint,
      abi: entryPoint08Abi,
      functionName: 'balanceOf',
      args: [main.address],
    }));

  async function sendMain(calls: Call[]) {
    const hash = await chain.bundlerClient.sendUserOperation({ account: main, calls, ...GAS });
    return chain.bundlerClient.waitForUserOperationReceipt({ hash });
  }

  async function sendSession(calls: Call[]) {
    const account = await toSessionKeyAccount({
      client: chain.publicClient,
      entryPoint: chain.deployment.entryPoint,
      address: main.address,
      sessionKeyValidator: chain.deployment.sessionKeyValidator,
      sessionKey,
      spec,
      // The SDK's choice, the current time: here the chain's (see the file comment).
      validAt: clock(),
    });
    const hash = await chain.bundlerClient.sendUserOperation({ account, calls, ...GAS });
    return chain.bundlerClient.waitForUserOperationReceipt({ hash });
  }

  /** Sends a session operation that must be refused and returns the validator error it decodes to. */
  async function refusedSession(calls: Call[]) {
    const error = await sendSession(calls).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/AA23 reverted/);
    const decoded = decodeSessionRevert(message);
    expect(decoded, message).toBeDefined();
    return decoded as NonNullable<typeof decoded>;
  }

  async function transferState(index: number): Promise<LimitState> {
    const state = (await chain.publicClient.readContract({
      address: chain.deployment.sessionKeyValidator,
      abi: validatorAbi,
      // At the current time: the latest block may be older than the current period.
      functionName: 'sessionStateAt',
      args: [main.address, spec, clock()],
    })) as { transferValue: readonly LimitState[] };
    const limit = state.transferValue[index];
    if (!limit) throw new Error(`no transfer policy ${index}`);
    return limit;
  }

  beforeAll(async () => {
    chain = await startTestChain({ bundlerFollowsChainTime: true });
    await addJwk(chain, ISS_HASH, MODULUS_HASH);
    const ephemeral = privateKeyToAccount(generatePrivateKey());
    const { withProof } = await openIdAccountPair(chain, {
      issHash: ISS_HASH,
      idc: 0x5e57n,
      ephemeral,
      expiry: (await now()) + 30n * 86_400n,
      modulusHash: MODULUS_HASH,
    });
    main = withProof;
    await chain.fund(main.address, '2');
    // The first operation deploys the account and registers the main key (the factory installs only the
    // zkLogin validator: the session validator is added below).
    expect((await sendMain([{ to: lifetime, value: 0n }])).success).toBe(true);
  });

  afterAll(async () => {
    await chain?.stop();
  });

  it('installs SessionKeyValidator and creates the session with a main-key operation', async () => {
    const installed = () =>
      chain.publicClient.readContract({
        address: main.address,
        abi: zkSsoAccountAbi,
        functionName: 'isModuleInstalled',
        args: [MODULE_TYPE_VALIDATOR, chain.deployment.sessionKeyValidator, '0x'],
      });
    expect(await installed()).toBe(false);

    spec = normalizeSession(
      {
        signer: sessionKey.address,
        expiresAt: (await now()) + 7n * 86_400n,
        feeLimit: { limit: parseEther('0.5') },
        transfers: [
          { target: periodic, maxValuePerUse: 600n, valueLimit: { limit: 1000n, period: '1 minute' } },
          { target: lifetime, maxValuePerUse: 1000n, valueLimit: 300n },
        ],
      },
      { now: await now() },
    );
    expect(spec.transferPolicies[0]?.valueLimit).toEqual({ limitType: 2, limit: 1000n, period: PERIOD });

    const receipt = await sendMain(
      sessionSetupCalls({ account: main.address, validator: chain.deployment.sessionKeyValidator, spec }),
    );
    expect(receipt.success).toBe(true);
    expect(await installed()).toBe(true);
    const status = await chain.publicClient.readContract({
      address: chain.deployment.sessionKeyValidator,
      abi: validatorAbi,
      functionName: 'sessionStatus',
      args: [main.address, sessionHash(spec)],
    });
    expect(status).toBe(1); // Active
  });

  it('spends within the periodic allowance', async () => {
    await freshPeriod();
    const before = await funds();
    const receipt = await sendSession([{ to: periodic, value: 600n }]);
    expect(receipt.success).toBe(true);
    expect(await balance(periodic)).toBe(600n);
    // The account paid the 600 wei and the operation's gas.
    expect(before - (await funds())).toBe(600n + receipt.actualGasCost);
    const state = await transferState(0);
    expect(state.used).toBe(600n);
    expect(state.remaining).toBe(400n);
  });

  it('refuses a spend over the remaining allowance, naming the limit and what is left', async () => {
    const { resetsAt } = await transferState(0);
    const decoded = await refusedSession([{ to: periodic, value: 500n }]);
    // SessionLimitExceeded(sessionHash, kind, callIndex, policyIndex, constraintIndex, requested, remaining, resetsAt)
    expect(decoded).toEqual({
      errorName: 'SessionLimitExceeded',
      args: [sessionHash(spec), KIND_TRANSFER_VALUE, 0n, 0n, 0n, 500n, 400n, BigInt(resetsAt)],
    });
    expect(BigInt(resetsAt) % PERIOD).toBe(0n);
    expect(await balance(periodic)).toBe(600n);
  });

  it('refuses more than the per-use maximum', async () => {
    const decoded = await refusedSession([{ to: periodic, value: 601n }]);
    expect(decoded).toEqual({ errorName: 'MaxValuePerUseExceeded', args: [0n, 601n, 600n] });
  });

  it('spends again once the period is over', async () => {
    const { resetsAt } = await transferState(0);
    await freshPeriod();
    expect(clock()).toBeGreaterThanOrEqual(BigInt(resetsAt));
    expect(await now()).toBeGreaterThanOrEqual(BigInt(resetsAt));
    expect(await transferState(0)).toMatchObject({ used: 0n, remaining: 1000n });
    // The same 500 wei the previous period refused.
    const receipt = await sendSession([{ to: periodic, value: 500n }]);
    expect(receipt.success).toBe(true);
    expect(await balance(periodic)).toBe(1100n);
    expect(await transferState(0)).toMatchObject({ used: 500n, remaining: 500n });
  });

  it('checks a batch call by call', async () => {
    await freshPeriod();
    // Call 1 would exceed the lifetime policy's 300 wei: the whole batch is refused and names call 1.
    const decoded = await refusedSession([
      { to: periodic, value: 100n },
      { to: lifetime, value: 301n },
    ]);
    expect(decoded.errorName).toBe('SessionLimitExceeded');
    expect(decoded.args.slice(1, 7)).toEqual([KIND_TRANSFER_VALUE, 1n, 1n, 0n, 301n, 300n]);
    expect(decoded.args[7]).toBe(0n); // Lifetime: never resets

    const receipt = await sendSession([
      { to: periodic, value: 300n },
      { to: lifetime, value: 200n },
    ]);
    expect(receipt.success).toBe(true);
    expect(await balance(periodic)).toBe(1400n);
    expect(await balance(lifetime)).toBe(200n);
    expect(await transferState(0)).toMatchObject({ used: 300n, remaining: 700n });
    expect(await transferState(1)).toMatchObject({ used: 200n, remaining: 100n });
  });

  it('refuses the session key once the main key revokes the session', async () => {
    const receipt = await sendMain([
      {
        to: chain.deployment.sessionKeyValidator,
        data: encodeFunctionData({ abi: validatorAbi, functionName: 'revokeKey', args: [sessionHash(spec)] }),
      },
    ]);
    expect(receipt.success).toBe(true);
    const decoded = await refusedSession([{ to: periodic, value: 1n }]);
    expect(decoded).toEqual({ errorName: 'SessionNotActive', args: [sessionHash(spec), 2] });
    expect(await balance(periodic)).toBe(1400n);
  });
});
