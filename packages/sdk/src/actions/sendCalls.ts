import { ZkSsoError } from '@zksso/core';
import type { Address, Hex } from 'viem';
import type { ZkLoginSmartAccount } from '../accounts/zklogin-account.ts';
import { createZkSsoClients } from '../clients.ts';
import { EphemeralKeyExpiredError } from '../errors.ts';
import { VERIFICATION_GAS } from '../gas.ts';
import { assertSameGenesis } from '../genesis.ts';
import type { ZkSsoNetwork } from '../network.ts';
import { isPasskeyAccount, type PasskeySmartAccount } from '../passkey/passkey-account.ts';
import { sendPasskeyCalls } from '../passkey/send.ts';
import { mapZkLoginRefusal } from '../refusals.ts';
import { type SendOptions, submitUserOperation } from '../submit.ts';

/** One call of a user operation. */
export interface Call {
  to: Address;
  value?: bigint;
  data?: Hex;
}

/** The outcome of an included user operation. */
export interface SendCallsResult {
  userOpHash: Hex;
  transactionHash: Hex;
  /** False when the operation was included but its execution reverted (gas was still paid). */
  success: boolean;
}

/**
 * Alto refuses operations whose `validUntil` is less than a few seconds ahead of its clock: a key this close
 * to its expiry cannot get an operation included any more.
 *
 * @example
 * ```ts
 * const usable = Date.now() / 1000 + EXPIRY_MARGIN_SECONDS <= Number(session.expiry);
 * ```
 */
export const EXPIRY_MARGIN_SECONDS = 10;

/** The accounts {@link sendCalls} sends from: an OpenID (zkLogin) account or a passkey account. */
export type SendCallsAccount = ZkLoginSmartAccount | PasskeySmartAccount;

/**
 * Sends calls from a zkLogin or passkey account as one user operation and waits for its receipt. The first operation
 * deploys the account and registers the ephemeral key with the proof (mode 0x01); later ones are signed by
 * the key alone (mode 0x02). The account pays the gas (fund its address first). Before sending, the calls
 * run against the current state: a call that would revert, or more value than the account holds, is
 * refused with {@link CallWouldRevertError} and nothing is sent (`simulate: false` skips this).
 *
 * @throws CallWouldRevertError, EphemeralKeyExpiredError (checked before sending, and mapped from the
 * bundler's refusal), ProofRefusedError (`by: 'chain'`), ChainChangedError (the login was made on another
 * chain instance), WrongChainError, ServiceError.
 * @example
 * ```ts
 * const { transactionHash, success } = await sendCalls({
 *   network,
 *   account,
 *   calls: [{ to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', value: parseEther('0.01') }],
 * });
 * ```
 */
export async function sendCalls(
  p: SendOptions & {
    network: ZkSsoNetwork;
    account: SendCallsAccount;
    calls: Call[];
  },
): Promise<SendCallsResult> {
  const { network, account, calls } = p;
  // A passkey account: same submit path, its own gas and no key expiry (passkey/send.ts).
  if (isPasskeyAccount(account)) return sendPasskeyCalls({ ...p, account });
  const expiry = Number(account.session.expiry);
  const now = Math.floor(Date.now() / 1000);
  if (now + EXPIRY_MARGIN_SECONDS > expiry) throw new EphemeralKeyExpiredError(expiry, now);
  const clients = await createZkSsoClients(network);
  assertSameGenesis(account.session.genesisHash, clients.genesisHash, 'login');

  const mode = await account.signatureMode();
  const deployed = await account.isDeployed();
  const verificationGasLimit = VERIFICATION_GAS[mode] + (deployed ? 0n : VERIFICATION_GAS.deploy);
  try {
    return await submitUserOperation(clients, {
      account,
      calls,
      verificationGasLimit,
      ...(p.gas ? { gas: p.gas } : {}),
      ...(p.simulate !== undefined ? { simulate: p.simulate } : {}),
      ...(p.errorAbi ? { errorAbi: p.errorAbi } : {}),
      ...(p.onStep ? { onStep: p.onStep } : {}),
    });
  } catch (error) {
    // The SDK's own errors (a refusal before sending) are final; the bundler's are mapped.
    if (error instanceof ZkSsoError) throw error;
    throw mapZkLoginRefusal(error, { expiry, mode });
  }
}
