import { encodeFunctionData } from 'viem';
import type { SendCallsErrorType } from '../actions/sendCalls.ts';
import { type Call, type SendCallsAccount, type SendCallsResult, sendCalls } from '../actions/sendCalls.ts';
import { createZkSsoClients } from '../clients.ts';
import { encodeWebAuthnInstallData, rpIdHash } from '../contracts/index.ts';
import type { ZkSsoNetwork } from '../network.ts';
import { MODULE_TYPE, moduleManagementAbi, webAuthnValidatorAbi } from './abi.ts';
import { isModuleInstalled } from './module-installed.ts';
import type { PasskeyCredential } from './passkey-account.ts';

/** Parameters of {@link addPasskey}. */
export interface AddPasskeyParameters {
  network: ZkSsoNetwork;
  /** The account that adds the passkey, signed by a credential it already has (passkey or OpenID). */
  account: SendCallsAccount;
  /** The passkey to add, e.g. `(await authenticator.create(...))` with its rpId, or another device's. */
  passkey: PasskeyCredential;
}

/** What {@link addPasskey} returns: the included operation. */
export type AddPasskeyReturnType = SendCallsResult;

/**
 * The calls that make `passkey` sign for `account`: `addPasskey` on the WebAuthnValidator, or, on an account
 * without it (an OpenID account), `installModule(validator, WebAuthnValidator, installData)`.
 *
 * @example
 * ```ts
 * const calls = await addPasskeyCalls(network, account.address, passkey);
 * ```
 */
export async function addPasskeyCalls(
  network: ZkSsoNetwork,
  account: SendCallsAccount,
  passkey: PasskeyCredential,
): Promise<Call[]> {
  const clients = await createZkSsoClients(network);
  const validator = network.addresses.webAuthnValidator;
  if (await isModuleInstalled(clients, account.address, MODULE_TYPE.validator, validator)) {
    return [
      {
        to: validator,
        data: encodeFunctionData({
          abi: webAuthnValidatorAbi,
          functionName: 'addPasskey',
          args: [
            passkey.credentialId,
            passkey.publicKey.x,
            passkey.publicKey.y,
            passkey.origin,
            rpIdHash(passkey.rpId),
          ],
        }),
      },
    ];
  }
  return [
    {
      to: account.address,
      data: encodeFunctionData({
        abi: moduleManagementAbi,
        functionName: 'installModule',
        args: [MODULE_TYPE.validator, validator, encodeWebAuthnInstallData(passkey)],
      }),
    },
  ];
}

/**
 * The typed errors {@link addPasskey} throws.
 *
 * @example
 * ```ts
 * try { await addPasskey(p); } catch (e) { console.log((e as AddPasskeyErrorType).name); }
 * ```
 */
export type AddPasskeyErrorType = SendCallsErrorType;

/**
 * Adds a passkey to an account (a second device, or a passkey on an OpenID account) in one user operation
 * signed by the account's current credential. Afterwards {@link loginWithPasskey} finds the account from the
 * new passkey too.
 *
 * @throws what {@link sendCalls} throws (e.g. CallWouldRevertError for a passkey already registered).
 * @example
 * ```ts
 * const phone = createSoftwareAuthenticator({ origin });
 * const created = await phone.create({ rpId, name: 'alice', challenge, userId, userVerification: 'preferred' });
 * await addPasskey({ network, account, passkey: { ...created, rpId } });
 * ```
 */
export async function addPasskey(p: AddPasskeyParameters): Promise<AddPasskeyReturnType> {
  const calls = await addPasskeyCalls(p.network, p.account, p.passkey);
  const installs = calls[0]?.to.toLowerCase() === p.account.address.toLowerCase();
  return sendCalls({
    network: p.network,
    account: p.account,
    calls,
    // The node estimates a call to an account not deployed yet as a plain transfer, so the validator's install
    // (a passkey, two sets and an event: about 250 k) would run out of gas: give it a measured allowance.
    ...(installs ? { gas: { callGasLimit: INSTALL_CALL_GAS } } : {}),
  });
}

/** Call gas of installing the WebAuthnValidator with its first passkey from the account, with margin. */
const INSTALL_CALL_GAS = 600_000n;
