import type { Address, Hex, PublicClient } from 'viem';

/** Gas limits of a user operation; what is left out is filled in by the SDK. */
export interface UserOperationGas {
  callGasLimit?: bigint;
  verificationGasLimit?: bigint;
  preVerificationGas?: bigint;
}

/**
 * Verification gas by signature kind. Set explicitly because bundler estimation (with a stub signature that
 * fails without reverting) leaves out the proof check, the key write and the session bookkeeping
 * (docs/contracts.md §7 "SDK notes"); `deploy` is added when the operation also deploys the account.
 *
 * @example
 * ```ts
 * const verificationGasLimit = VERIFICATION_GAS.prove + VERIFICATION_GAS.deploy;
 * ```
 */
export const VERIFICATION_GAS = {
  prove: 1_200_000n,
  key: 250_000n,
  session: 600_000n,
  deploy: 500_000n,
} as const;

/** Enough for the calldata of a proof or a session spec with a few policies (Alto checks a minimum). @example `sendCalls({ network, account, calls, gas: { preVerificationGas: PRE_VERIFICATION_GAS * 2n } })` */
export const PRE_VERIFICATION_GAS = 150_000n;

/** Execution gas assumed for a call the node could not estimate. */
const FALLBACK_CALL_GAS = 300_000n;

/**
 * A call-gas limit for a batch: each call's own execution estimated by the node from the account's address
 * (`eth_estimateGas` minus the 21,000 intrinsic gas), plus room for the account's `execute` loop.
 *
 * @example
 * ```ts
 * const callGasLimit = await estimateCallGas(publicClient, account.address, [{ to, value: 1n }]);
 * ```
 */
export async function estimateCallGas(
  client: PublicClient,
  from: Address,
  calls: readonly { to: Address; value?: bigint; data?: Hex }[],
): Promise<bigint> {
  let total = 60_000n;
  for (const call of calls) {
    const gas = await client
      .estimateGas({
        account: from,
        to: call.to,
        ...(call.value ? { value: call.value } : {}),
        ...(call.data ? { data: call.data } : {}),
      })
      // Some nodes refuse to simulate from an address with code (EIP-3607), or the call needs the account
      // deployed first: fall back to a generous fixed allowance rather than failing the send.
      .catch(() => FALLBACK_CALL_GAS);
    total += (gas > 21_000n ? gas - 21_000n : 0n) + 40_000n;
  }
  return total;
}
