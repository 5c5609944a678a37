import type { Abi } from 'viem';
import type { SmartAccount } from 'viem/account-abstraction';
import type { Call, SendCallsResult } from './actions/sendCalls.ts';
import { userOperationFees, type ZkSsoClients } from './clients.ts';
import { estimateCallGas, PRE_VERIFICATION_GAS, type UserOperationGas } from './gas.ts';
import { assertCallsWouldSucceed } from './simulate.ts';

/** How long to wait for an operation's inclusion before giving up. */
const RECEIPT_TIMEOUT_MS = 120_000;

/**
 * The steps of sending an operation: `prepare` (gas limits and price), `check` (the calls run against the
 * current state), `submit` (signed and accepted by the bundler), `receipt` (until included).
 */
export type SendStep = 'prepare' | 'check' | 'submit' | 'receipt';

/** What every sending action takes besides its calls: gas overrides and the pre-send check. */
export interface SendOptions {
  /** Overrides the SDK's gas limits. */
  gas?: UserOperationGas;
  /**
   * Run the calls against the current state first and refuse (CallWouldRevertError) when they would revert
   * or the account cannot pay. Default true; false sends regardless (the account pays for a revert).
   */
  simulate?: boolean;
  /** Error ABIs of the called contracts, to decode their custom errors in a refusal. */
  errorAbi?: Abi;
  /** Called as each step ends, with its wall time in ms (for benchmarks and progress displays). */
  onStep?: (step: SendStep, ms: number) => void;
}

/**
 * Sends `calls` as one user operation of `account` with all three gas limits set (the caller's overrides,
 * else the call gas estimated per call, `verificationGasLimit` as given, and {@link PRE_VERIFICATION_GAS})
 * and the bundler's gas price, after checking that the calls would succeed and the account can pay
 * ({@link assertCallsWouldSucceed}), then waits for the receipt, polling at the network's interval. With every
 * limit given viem skips the bundler's estimation, so the bundler's own validation answers and a refusal
 * carries the validator's revert for the caller to decode.
 *
 * @example
 * ```ts
 * const result = await submitUserOperation(clients, { account, calls, verificationGasLimit: VERIFICATION_GAS.key });
 * ```
 */
export async function submitUserOperation(
  clients: ZkSsoClients,
  p: SendOptions & { account: SmartAccount; calls: Call[]; verificationGasLimit: bigint },
): Promise<SendCallsResult> {
  const { account, calls } = p;
  let last = performance.now();
  const stepDone = (step: SendStep) => {
    const now = performance.now();
    p.onStep?.(step, now - last);
    last = now;
  };
  const [callGasLimit, fees] = await Promise.all([
    p.gas?.callGasLimit ?? estimateCallGas(clients.publicClient, await account.getAddress(), calls),
    userOperationFees(clients.bundlerClient as never, clients.publicClient),
  ]);
  const gas = {
    callGasLimit,
    verificationGasLimit: p.gas?.verificationGasLimit ?? p.verificationGasLimit,
    preVerificationGas: p.gas?.preVerificationGas ?? PRE_VERIFICATION_GAS,
  };
  stepDone('prepare');
  if (p.simulate !== false) {
    await assertCallsWouldSucceed(clients, {
      account,
      entryPoint: account.entryPoint.address,
      calls,
      gas,
      maxFeePerGas: fees.maxFeePerGas,
      ...(p.errorAbi ? { errorAbi: p.errorAbi } : {}),
    });
  }
  stepDone('check');
  const userOpHash = await clients.bundlerClient.sendUserOperation({ account, calls, ...gas, ...fees });
  stepDone('submit');
  const receipt = await clients.bundlerClient.waitForUserOperationReceipt({
    hash: userOpHash,
    timeout: RECEIPT_TIMEOUT_MS,
    pollingInterval: clients.pollingInterval,
  });
  stepDone('receipt');
  return { userOpHash, transactionHash: receipt.receipt.transactionHash, success: receipt.success };
}
