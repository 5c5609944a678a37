import type { SmartAccount } from 'viem/account-abstraction';
import type { Call, SendCallsResult } from './actions/sendCalls.ts';
import type { ZkSsoClients } from './clients.ts';
import { estimateCallGas, PRE_VERIFICATION_GAS, type UserOperationGas } from './gas.ts';

/** How long to wait for an operation's inclusion before giving up. */
const RECEIPT_TIMEOUT_MS = 120_000;

/**
 * Sends `calls` as one user operation of `account` with all three gas limits set (the caller's overrides,
 * else the call gas estimated per call, `verificationGasLimit` as given, and {@link PRE_VERIFICATION_GAS}),
 * and waits for its receipt. With every limit given viem skips the bundler's estimation, so the bundler's own
 * validation answers and a refusal carries the validator's revert for the caller to decode.
 *
 * @example
 * ```ts
 * const result = await submitUserOperation(clients, { account, calls, verificationGasLimit: VERIFICATION_GAS.key });
 * ```
 */
export async function submitUserOperation(
  clients: ZkSsoClients,
  p: { account: SmartAccount; calls: Call[]; verificationGasLimit: bigint; gas?: UserOperationGas },
): Promise<SendCallsResult> {
  const { account, calls } = p;
  const gas = {
    callGasLimit:
      p.gas?.callGasLimit ?? (await estimateCallGas(clients.publicClient, await account.getAddress(), calls)),
    verificationGasLimit: p.gas?.verificationGasLimit ?? p.verificationGasLimit,
    preVerificationGas: p.gas?.preVerificationGas ?? PRE_VERIFICATION_GAS,
  };
  const userOpHash = await clients.bundlerClient.sendUserOperation({ account, calls, ...gas });
  const receipt = await clients.bundlerClient.waitForUserOperationReceipt({
    hash: userOpHash,
    timeout: RECEIPT_TIMEOUT_MS,
  });
  return { userOpHash, transactionHash: receipt.receipt.transactionHash, success: receipt.success };
}
