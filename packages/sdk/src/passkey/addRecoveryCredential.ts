import { encodeAbiParameters, encodeFunctionData, type Hex } from 'viem';
import type { SendCallsErrorType } from '../actions/sendCalls.ts';
import { type Call, type SendCallsAccount, type SendCallsResult, sendCalls } from '../actions/sendCalls.ts';
import { createZkSsoClients } from '../clients.ts';
import { MODULE_TYPE, moduleManagementAbi, recoveryModuleAbi } from './abi.ts';
import { isModuleInstalled } from './module-installed.ts';
import { type RecoveryCredential, type RecoveryTarget, recoveryCredentialData } from './recovery.ts';

/** Parameters of {@link addRecoveryCredential}. */
export interface AddRecoveryCredentialParameters extends RecoveryTarget {
  /** The account to protect, signed by its current credential. */
  account: SendCallsAccount;
  /** An OpenID identity for a passkey account, a passkey for an OpenID account (or any mix). */
  credential: RecoveryCredential;
  /** Delay between initiating and executing a recovery, seconds (RecoveryModule bounds: 1 to 30 days). Used only when the module gets installed now; default the module's (2 days). */
  delaySeconds?: number;
}

/** What {@link addRecoveryCredential} returns. */
export type AddRecoveryCredentialReturnType = SendCallsResult & { recoveryId: Hex };

/**
 * The typed errors {@link addRecoveryCredential} throws.
 *
 * @example
 * ```ts
 * try { await addRecoveryCredential(p); } catch (e) { console.log((e as AddRecoveryCredentialErrorType).name); }
 * ```
 */
export type AddRecoveryCredentialErrorType = SendCallsErrorType;

/**
 * Registers a dormant recovery credential on an account in one user operation: installs the RecoveryModule
 * (executor) if needed, then `addRecoveryCredential(validator, installData)`. Nothing about the account's
 * signing changes until a recovery is initiated and its delay has elapsed; the owner can cancel meanwhile.
 *
 * @throws what {@link sendCalls} throws (e.g. CallWouldRevertError `RecoveryAlreadyRegistered`).
 * @example
 * ```ts
 * const { session } = await createZkLoginAccount({ network, source: { kind: 'dev', user: 'alice' } });
 * await addRecoveryCredential({
 *   network, recoveryModule, account: passkeyAccount,
 *   credential: { kind: 'openid', issHash: BigInt(session.issHash), idc: BigInt(session.idc) },
 * });
 * ```
 */
export async function addRecoveryCredential(
  p: AddRecoveryCredentialParameters,
): Promise<AddRecoveryCredentialReturnType> {
  const clients = await createZkSsoClients(p.network);
  const { validator, installData, recoveryId } = recoveryCredentialData(p.network, p.credential);
  const calls: Call[] = [];
  if (!(await isModuleInstalled(clients, p.account.address, MODULE_TYPE.executor, p.recoveryModule))) {
    calls.push({
      to: p.account.address,
      data: encodeFunctionData({
        abi: moduleManagementAbi,
        functionName: 'installModule',
        args: [
          MODULE_TYPE.executor,
          p.recoveryModule,
          p.delaySeconds === undefined ? '0x' : encodeAbiParameters([{ type: 'uint48' }], [p.delaySeconds]),
        ],
      }),
    });
  }
  calls.push({
    to: p.recoveryModule,
    data: encodeFunctionData({
      abi: recoveryModuleAbi,
      functionName: 'addRecoveryCredential',
      args: [validator, installData],
    }),
  });
  const sent = await sendCalls({
    network: p.network,
    account: p.account,
    calls,
    errorAbi: recoveryModuleAbi,
  });
  return { ...sent, recoveryId };
}
