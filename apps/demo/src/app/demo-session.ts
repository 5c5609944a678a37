import type { SessionOptions } from '@zksso/sdk/connector';
import { type Address, parseEther } from 'viem';

/** Where the transfer and the batch send to (anvil's dev account 1: a friend). */
export const FRIEND: Address = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
/** The shop the session pays (anvil's dev account 2). */
export const SHOP: Address = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
/** What one session payment sends. */
export const SESSION_PAYMENT = parseEther('0.001');
/** The session's lifetime budget for the shop: three payments, the fourth is over the limit. */
export const SESSION_BUDGET = parseEther('0.003');
/** Most the session's operations may spend on fees, in all. */
export const SESSION_FEE_LIMIT = parseEther('0.05');
/** How long the session lasts. */
export const SESSION_DURATION_MS = 60 * 60 * 1000;

/**
 * The session the demo asks for (ERC-7715 `wallet_grantPermissions`): pay {@link SHOP} at most
 * {@link SESSION_PAYMENT} at a time and {@link SESSION_BUDGET} in all, fees up to {@link SESSION_FEE_LIMIT},
 * for an hour. Anything else (another recipient, a larger payment, the budget used up) is not covered and
 * goes to the zkSSO window for an explicit approval.
 *
 * @example
 * ```ts
 * const { expiry, permission } = sessionPermission(demoSessionOptions());
 * ```
 */
export function demoSessionOptions(now = Date.now()): SessionOptions {
  return {
    expiresAt: new Date(now + SESSION_DURATION_MS),
    feeLimit: SESSION_FEE_LIMIT,
    transfers: [{ target: SHOP, maxValuePerUse: SESSION_PAYMENT, valueLimit: SESSION_BUDGET }],
  };
}
