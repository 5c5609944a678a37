import { encodeAbiParameters, encodeFunctionData } from 'viem';
import type { SendCallsErrorType } from '../actions/sendCalls.ts';
import { type Call, type SendCallsAccount, type SendCallsResult, sendCalls } from '../actions/sendCalls.ts';
import { createZkSsoClients } from '../clients.ts';
import type { ZkSsoNetwork } from '../network.ts';
import { MODULE_TYPE, moduleManagementAbi } from './abi.ts';
import { isModuleInstalled } from './module-installed.ts';

/** Parameters of {@link replaceOpenIdIdentity}. */
export interface ReplaceOpenIdIdentityParameters {
  network: ZkSsoNetwork;
  /** The account, signed by another credential (typically its passkey) since the old identity is lost. */
  account: SendCallsAccount;
  /** The new identity: a login's `session.issHash` and `session.idc`. */
  issHash: bigint;
  idc: bigint;
}

/** What {@link replaceOpenIdIdentity} returns. */
export type ReplaceOpenIdIdentityReturnType = SendCallsResult;

/**
 * The typed errors {@link replaceOpenIdIdentity} throws.
 *
 * @example
 * ```ts
 * try { await replaceOpenIdIdentity(p); } catch (e) { console.log((e as ReplaceOpenIdIdentityErrorType).name); }
 * ```
 */
export type ReplaceOpenIdIdentityErrorType = SendCallsErrorType;

/**
 * Replaces (or sets) the OpenID identity of an account through another of its credentials, in one user
 * operation: uninstalls the ZkLoginValidator (which forgets the old identity and invalidates its registered
 * ephemeral keys) and installs it again with the new `(issHash, idc)`.
 *
 * @throws what {@link sendCalls} throws.
 * @example
 * ```ts
 * await replaceOpenIdIdentity({ network, account: passkeyAccount, issHash: BigInt(newSession.issHash), idc: BigInt(newSession.idc) });
 * ```
 */
export async function replaceOpenIdIdentity(
  p: ReplaceOpenIdIdentityParameters,
): Promise<ReplaceOpenIdIdentityReturnType> {
  const clients = await createZkSsoClients(p.network);
  const validator = p.network.addresses.zkLoginValidator;
  const calls: Call[] = [];
  const self = (data: `0x${string}`): Call => ({ to: p.account.address, data });
  if (await isModuleInstalled(clients, p.account.address, MODULE_TYPE.validator, validator)) {
    calls.push(
      self(
        encodeFunctionData({
          abi: moduleManagementAbi,
          functionName: 'uninstallModule',
          args: [MODULE_TYPE.validator, validator, '0x'],
        }),
      ),
    );
  }
  calls.push(
    self(
      encodeFunctionData({
        abi: moduleManagementAbi,
        functionName: 'installModule',
        args: [
          MODULE_TYPE.validator,
          validator,
          encodeAbiParameters([{ type: 'uint256' }, { type: 'uint256' }], [p.issHash, p.idc]),
        ],
      }),
    ),
  );
  return sendCalls({ network: p.network, account: p.account, calls });
}
