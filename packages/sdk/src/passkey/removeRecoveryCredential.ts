import { encodeFunctionData, type Hex } from 'viem';
import type { SendCallsErrorType } from '../actions/sendCalls.ts';
import { type SendCallsAccount, type SendCallsResult, sendCalls } from '../actions/sendCalls.ts';
import { recoveryModuleAbi } from './abi.ts';
import { type RecoveryCredential, type RecoveryTarget, recoveryCredentialData } from './recovery.ts';

/** Parameters of {@link removeRecoveryCredential}. */
export interface RemoveRecoveryCredentialParameters extends RecoveryTarget {
  /** The account, signed by its current credential. */
  account: SendCallsAccount;
  /** The credential to forget, or its `recoveryId` (as {@link getAccountCredentials} lists it). */
  credential: RecoveryCredential | { recoveryId: Hex };
}

/** What {@link removeRecoveryCredential} returns. */
export type RemoveRecoveryCredentialReturnType = SendCallsResult & { recoveryId: Hex };

/**
 * The typed errors {@link removeRecoveryCredential} throws.
 *
 * @example
 * ```ts
 * try { await removeRecoveryCredential(p); } catch (e) { console.log((e as RemoveRecoveryCredentialErrorType).name); }
 * ```
 */
export type RemoveRecoveryCredentialErrorType = SendCallsErrorType;

/**
 * Forgets a recovery credential (RecoveryModule `removeRecoveryCredential`): it can no longer start a recovery,
 * and a recovery it started and that is still pending is cancelled with it.
 *
 * @throws CallWouldRevertError `RecoveryNotRegistered` (refused before sending), and what {@link sendCalls} throws.
 * @example
 * ```ts
 * await removeRecoveryCredential({ network, recoveryModule, account, credential: { recoveryId } });
 * ```
 */
export async function removeRecoveryCredential(
  p: RemoveRecoveryCredentialParameters,
): Promise<RemoveRecoveryCredentialReturnType> {
  const recoveryId =
    'recoveryId' in p.credential
      ? p.credential.recoveryId
      : recoveryCredentialData(p.network, p.credential).recoveryId;
  const sent = await sendCalls({
    network: p.network,
    account: p.account,
    calls: [
      {
        to: p.recoveryModule,
        data: encodeFunctionData({
          abi: recoveryModuleAbi,
          functionName: 'removeRecoveryCredential',
          args: [recoveryId],
        }),
      },
    ],
    errorAbi: recoveryModuleAbi,
  });
  return { ...sent, recoveryId };
}
