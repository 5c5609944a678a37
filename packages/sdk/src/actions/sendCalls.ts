import { ZkSsoError } from '@zksso/core';
import type { Address, Hex } from 'viem';
import type { ZkLoginSignatureMode, ZkLoginSmartAccount } from '../accounts/zklogin-account.ts';
import { createZkSsoClients } from '../clients.ts';
import {
  type CallWouldRevertError,
  type ChainChangedError,
  EphemeralKeyExpiredError,
  type ProofRefusedError,
  type ServiceError,
  type WrongChainError,
} from '../errors.ts';
import { VERIFICATION_GAS } from '../gas.ts';
import { assertSameGenesis } from '../genesis.ts';
import type { ZkSsoNetwork } from '../network.ts';
import type { PasskeyAssertionRefusedError, PasskeyNotFoundError } from '../passkey/errors.ts';
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
 * How {@link sendCalls} signed the operation: a zkLogin account's `prove` (mode 0x01: the Groth16 proof checked
 * on chain and the ephemeral key registered; its first operation) or `key` (mode 0x02: the registered key
 * alone), the words of {@link ZkLoginSmartAccount.signatureMode}; or `passkey` (the WebAuthn validator).
 *
 * @example
 * ```ts
 * const mode: SendCallsSignatureMode = 'key';
 * ```
 */
export type SendCallsSignatureMode = ZkLoginSignatureMode | 'passkey';

/**
 * Parameters of {@link sendCalls}: the network, the account, its calls, and the {@link SendOptions}.
 *
 * @example
 * ```ts
 * const p: SendCallsParameters = { network, account, calls: [{ to: shop, value: 1n }] };
 * ```
 */
export type SendCallsParameters = SendOptions & {
  network: ZkSsoNetwork;
  account: SendCallsAccount;
  calls: Call[];
};

/**
 * What {@link sendCalls} returns: the included operation and the signature mode it was sent with.
 *
 * @example
 * ```ts
 * const { transactionHash, signatureMode }: SendCallsReturnType = await sendCalls(p);
 * ```
 */
export type SendCallsReturnType = SendCallsResult & { signatureMode: SendCallsSignatureMode };

/**
 * The typed errors {@link sendCalls} throws.
 *
 * @example
 * ```ts
 * try { await sendCalls(p); } catch (e) { const error = e as SendCallsErrorType; console.log(error.code); }
 * ```
 */
export type SendCallsErrorType =
  | CallWouldRevertError
  | EphemeralKeyExpiredError
  | ProofRefusedError
  | ChainChangedError
  | WrongChainError
  | ServiceError
  | PasskeyNotFoundError
  | PasskeyAssertionRefusedError;

/**
 * Sends calls from a zkLogin or passkey account as one user operation and waits for its receipt. The first operation
 * deploys the account and registers the ephemeral key with the proof (mode 0x01, `signatureMode: 'prove'`);
 * later ones are signed by the key alone (mode 0x02, `'key'`). The account pays the gas (fund its address
 * first). Before sending, the calls
 * run against the current state: a call that would revert, or more value than the account holds, is
 * refused with {@link CallWouldRevertError} and nothing is sent (`simulate: false` skips this).
 *
 * @throws CallWouldRevertError, EphemeralKeyExpiredError (checked before sending, and mapped from the
 * bundler's refusal), ProofRefusedError (`by: 'chain'`), ChainChangedError (the login was made on another
 * chain instance), WrongChainError, ServiceError; for a passkey account PasskeyNotFoundError and
 * PasskeyAssertionRefusedError ({@link SendCallsErrorType}).
 * @example
 * ```ts
 * const { transactionHash, success, signatureMode } = await sendCalls({
 *   network,
 *   account,
 *   calls: [{ to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', value: parseEther('0.01') }],
 * });
 * ```
 */
export async function sendCalls(p: SendCallsParameters): Promise<SendCallsReturnType> {
  const { network, account, calls } = p;
  // A passkey account: same submit path, its own gas and no key expiry (passkey/send.ts).
  if (isPasskeyAccount(account))
    return { ...(await sendPasskeyCalls({ ...p, account })), signatureMode: 'passkey' };
  const expiry = Number(account.session.expiry);
  const now = Math.floor(Date.now() / 1000);
  if (now + EXPIRY_MARGIN_SECONDS > expiry) throw new EphemeralKeyExpiredError(expiry, now);
  const clients = await createZkSsoClients(network);
  assertSameGenesis(account.session.genesisHash, clients.genesisHash, 'login');

  // The account signs with the proof exactly when its key is not registered yet: the mode read here is the
  // one its signature carries (callers get it back instead of fetching the operation to read it).
  const mode = await account.signatureMode();
  const deployed = await account.isDeployed();
  const verificationGasLimit = VERIFICATION_GAS[mode] + (deployed ? 0n : VERIFICATION_GAS.deploy);
  try {
    const sent = await submitUserOperation(clients, {
      account,
      calls,
      verificationGasLimit,
      ...(p.gas ? { gas: p.gas } : {}),
      ...(p.simulate !== undefined ? { simulate: p.simulate } : {}),
      ...(p.errorAbi ? { errorAbi: p.errorAbi } : {}),
      ...(p.onStep ? { onStep: p.onStep } : {}),
    });
    return { ...sent, signatureMode: mode };
  } catch (error) {
    // The SDK's own errors (a refusal before sending) are final; the bundler's are mapped.
    if (error instanceof ZkSsoError) throw error;
    throw mapZkLoginRefusal(error, { expiry, mode });
  }
}
