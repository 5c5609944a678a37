import { createZkSsoClients, type SendCallsAccount, userOperationFees } from '@zksso/sdk';
import type { Address, Hex } from 'viem';
import type { PageNetwork } from './wallet.ts';

// Verification gas the SDK sets per signature kind (SDK README, "Notes"): the proof mode on a first operation
// (plus deployment), a registered key after; a passkey 200-500 k. The most it can cost, as the user pays it.
const VERIFICATION_GAS = 1_700_000n;
const PRE_VERIFICATION_GAS = 100_000n;

/**
 * The most the fees of these calls can cost: every gas limit at the bundler's max fee per gas (the same
 * bound the SDK checks the balance against). The real fee is usually far lower.
 *
 * @example
 * ```ts
 * const max = await estimateFee(network, account, [{ to, value }]);
 * ```
 */
export async function estimateFee(
  network: PageNetwork,
  account: SendCallsAccount,
  calls: { to: Address; value?: bigint; data?: Hex }[],
): Promise<bigint> {
  const { publicClient, bundlerClient } = await createZkSsoClients(network);
  const { maxFeePerGas } = await userOperationFees(bundlerClient as never, publicClient as never);
  let callGas = 0n;
  for (const call of calls) {
    const gas = await publicClient
      .estimateGas({
        account: account.address,
        to: call.to,
        value: call.value ?? 0n,
        ...(call.data ? { data: call.data } : {}),
      })
      .catch(() => 100_000n);
    callGas += gas;
  }
  return (VERIFICATION_GAS + PRE_VERIFICATION_GAS + callGas) * maxFeePerGas;
}
