import { type Address, encodeFunctionData, type Hex } from 'viem';
import { createZkSsoClients } from '../clients.ts';
import { recoveryModuleAbi } from './abi.ts';
import {
  assertRecoveryReady,
  type RecoveryCredential,
  type RecoveryTarget,
  recoveryCredentialData,
} from './recovery.ts';
import { type RecoverySender, sendFrom } from './recovery-sender.ts';

/** Parameters of {@link executeRecovery}. */
export interface ExecuteRecoveryParameters extends RecoveryTarget {
  account: Address;
  credential: RecoveryCredential;
  sender: RecoverySender;
}

/** What {@link executeRecovery} returns. */
export interface ExecuteRecoveryReturnType {
  transactionHash: Hex;
}

/**
 * Completes a recovery once its delay has elapsed: the credential's validator is installed on the account,
 * which the credential then signs for. For an OpenID identity: `restoreZkLoginAccount({ network, session:
 * { ...session, address: account } })`; for a passkey: `loginWithPasskey` (or `toPasskeySmartAccount` with
 * `address`).
 *
 * @throws RecoveryNotReadyError with `details.readyAt` (checked on chain time before sending),
 * RecoveryNotRegisteredError, CallsRevertedError.
 * @example
 * ```ts
 * await executeRecovery({ network, recoveryModule, account, credential, sender: walletClient });
 * ```
 */
export async function executeRecovery(p: ExecuteRecoveryParameters): Promise<ExecuteRecoveryReturnType> {
  const clients = await createZkSsoClients(p.network);
  const { validator, installData, recoveryId } = recoveryCredentialData(p.network, p.credential);
  await assertRecoveryReady(clients, p.recoveryModule, p.account, recoveryId);
  const transactionHash = await sendFrom(
    p.network,
    p.sender,
    {
      to: p.recoveryModule,
      data: encodeFunctionData({
        abi: recoveryModuleAbi,
        functionName: 'executeRecovery',
        args: [p.account, validator, installData],
      }),
    },
    'executing the recovery',
  );
  return { transactionHash };
}
