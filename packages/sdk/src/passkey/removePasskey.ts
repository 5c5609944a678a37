import { encodeFunctionData, type Hex, keccak256 } from 'viem';
import { type SendCallsAccount, type SendCallsResult, sendCalls } from '../actions/sendCalls.ts';
import type { ZkSsoNetwork } from '../network.ts';
import { webAuthnValidatorAbi } from './abi.ts';

/** Parameters of {@link removePasskey}. */
export interface RemovePasskeyParameters {
  network: ZkSsoNetwork;
  /** The account, signed by a credential it keeps (another passkey, or its OpenID identity). */
  account: SendCallsAccount;
  /** The raw credential id of the passkey to remove. */
  credentialId: Hex;
}

/** What {@link removePasskey} returns: the included operation. */
export type RemovePasskeyReturnType = SendCallsResult;

/**
 * Removes a passkey from an account (a lost or retired device). The WebAuthnValidator refuses to remove the
 * last passkey (`CannotRemoveLastPasskey`: uninstall the validator instead), refused here before sending.
 *
 * @throws CallWouldRevertError (not registered, last passkey), and what {@link sendCalls} throws.
 * @example
 * ```ts
 * await removePasskey({ network, account, credentialId: lostPasskey.credentialId });
 * ```
 */
export async function removePasskey(p: RemovePasskeyParameters): Promise<RemovePasskeyReturnType> {
  return sendCalls({
    network: p.network,
    account: p.account,
    calls: [
      {
        to: p.network.addresses.webAuthnValidator,
        data: encodeFunctionData({
          abi: webAuthnValidatorAbi,
          functionName: 'removePasskey',
          args: [keccak256(p.credentialId)],
        }),
      },
    ],
  });
}
