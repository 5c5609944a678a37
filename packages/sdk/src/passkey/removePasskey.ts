import { encodeFunctionData, type Hex, keccak256 } from 'viem';
import {
  type Call,
  type SendCallsAccount,
  type SendCallsErrorType,
  type SendCallsResult,
  sendCalls,
} from '../actions/sendCalls.ts';
import { createZkSsoClients } from '../clients.ts';
import type { ZkSsoNetwork } from '../network.ts';
import { MODULE_TYPE, moduleManagementAbi, webAuthnValidatorAbi } from './abi.ts';
import { LastPasskeyError } from './errors.ts';
import { isModuleInstalled } from './module-installed.ts';
import { isPasskeyAccount, type PasskeySmartAccount } from './passkey-account.ts';

/** Parameters of {@link removePasskey}. */
export interface RemovePasskeyParameters {
  network: ZkSsoNetwork;
  /** The account, signed by a credential it keeps (another passkey, or its OpenID identity). */
  account: SendCallsAccount;
  /** The raw credential id of the passkey to remove. */
  credentialId: Hex;
}

/**
 * What {@link removePasskey} returns: the included operation, and whether it uninstalled the WebAuthnValidator
 * (the passkey was the account's last one: the account no longer signs with any passkey).
 */
export type RemovePasskeyReturnType = SendCallsResult & { uninstalledValidator: boolean };

/**
 * The typed errors {@link removePasskey} throws: the last passkey of an account without an OpenID identity, and
 * what {@link sendCalls} throws (`CallWouldRevertError` for a passkey the account does not hold).
 *
 * @example
 * ```ts
 * try { await removePasskey(p); } catch (e) { console.log((e as RemovePasskeyErrorType).code); }
 * ```
 */
export type RemovePasskeyErrorType = LastPasskeyError | SendCallsErrorType;

/**
 * Removes a passkey from an account: a lost, retired or stolen device, which no longer signs for the account
 * once the operation is included.
 *
 * The WebAuthnValidator refuses to remove an account's last passkey (`CannotRemoveLastPasskey`). So when the
 * passkey is the last one, the account uninstalls the validator instead (ERC-7579 `uninstallModule`, whose
 * `onUninstall` clears every passkey and allowed origin of the account) and the result says
 * `uninstalledValidator: true`: the account then signs with its OpenID identity alone, and
 * {@link loginWithPasskey} with that passkey fails with `PasskeyNotFoundError`. This is only done when the
 * account has its OpenID identity (ZkLoginValidator installed, read on chain): an account keeps at least one
 * validator (`CannotRemoveLastValidator`), and one left with, say, only a session validator could not be
 * managed any more. Otherwise {@link LastPasskeyError} is thrown before anything is sent.
 *
 * @throws LastPasskeyError, and what {@link sendCalls} throws ({@link RemovePasskeyErrorType}).
 * @example
 * ```ts
 * // After an OpenID recovery, the recovered account revokes its lost (maybe stolen) passkey.
 * const { uninstalledValidator } = await removePasskey({ network, account: recovered, credentialId: lost.credentialId });
 * ```
 */
export async function removePasskey(p: RemovePasskeyParameters): Promise<RemovePasskeyReturnType> {
  const { network, account, credentialId } = p;
  const { webAuthnValidator, zkLoginValidator } = network.addresses;
  const clients = await createZkSsoClients(network);
  const credentialIdHash = keccak256(credentialId);
  const [held, hasOpenId] = await Promise.all([
    clients.publicClient.readContract({
      address: webAuthnValidator,
      abi: webAuthnValidatorAbi,
      functionName: 'credentialsOf',
      args: [account.address],
    }),
    isModuleInstalled(clients, account.address, MODULE_TYPE.validator, zkLoginValidator),
  ]);
  const last =
    held.length === 1
      ? held[0]?.toLowerCase() === credentialIdHash.toLowerCase()
      : // Not deployed yet: a passkey account's own passkey (installed by its first operation) is its only validator.
        held.length === 0 && isPasskeyAccount(account) && (await ownUndeployedPasskey(account, credentialId));
  if (!last) {
    // Not the last one (or not held at all: the pre-send check refuses `PasskeyNotRegistered`).
    const sent = await sendCalls({
      network,
      account,
      calls: [
        {
          to: webAuthnValidator,
          data: encodeFunctionData({
            abi: webAuthnValidatorAbi,
            functionName: 'removePasskey',
            args: [credentialIdHash],
          }),
        },
      ],
    });
    return { ...sent, uninstalledValidator: false };
  }
  if (!hasOpenId) throw new LastPasskeyError(account.address, credentialId);
  const uninstall: Call = {
    to: account.address,
    data: encodeFunctionData({
      abi: moduleManagementAbi,
      functionName: 'uninstallModule',
      args: [MODULE_TYPE.validator, webAuthnValidator, '0x'],
    }),
  };
  const sent = await sendCalls({ network, account, calls: [uninstall] });
  return { ...sent, uninstalledValidator: true };
}

/** Whether `credentialId` is the passkey of `account`'s own counterfactual (not yet deployed) passkey account. */
async function ownUndeployedPasskey(account: PasskeySmartAccount, credentialId: Hex): Promise<boolean> {
  if (account.passkey.credentialId.toLowerCase() !== credentialId.toLowerCase()) return false;
  if (await account.isDeployed()) return false;
  // Only the passkey's own account has factory arguments; an account it was added to exists already.
  const { factory } = await account.getFactoryArgs();
  return factory !== undefined;
}
