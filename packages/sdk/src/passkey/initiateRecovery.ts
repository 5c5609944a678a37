import { type Address, encodeFunctionData, type Hex } from 'viem';
import { createZkSsoClients } from '../clients.ts';
import { recoveryModuleAbi } from './abi.ts';
import {
  type RecoveryCredential,
  type RecoveryTarget,
  readRecovery,
  recoveryCredentialData,
} from './recovery.ts';
import { type RecoverySender, sendFrom } from './recovery-sender.ts';

/** Parameters of {@link initiateRecovery}. */
export interface InitiateRecoveryParameters extends RecoveryTarget {
  /** The account to recover (its primary credential is lost). */
  account: Address;
  /** The recovery credential the account registered. */
  credential: RecoveryCredential;
  /** Who pays for the transaction. */
  sender: RecoverySender;
}

/** What {@link initiateRecovery} returns: when {@link executeRecovery} may run (chain time, unix seconds). */
export interface InitiateRecoveryReturnType {
  readyAt: number;
  transactionHash: Hex;
}

/**
 * Starts a recovery: the account's delay starts now, and the owner (if the credential was not lost after all)
 * sees `RecoveryInitiated` and can cancel. Anyone may initiate; the credential itself signs nothing here: it
 * proves itself after execution, by signing the account's operations.
 *
 * @throws RecoveryNotRegisteredError (checked before sending), CallsRevertedError, and what sending throws.
 * @example
 * ```ts
 * const { readyAt } = await initiateRecovery({ network, recoveryModule, account, credential, sender: walletClient });
 * ```
 */
export async function initiateRecovery(p: InitiateRecoveryParameters): Promise<InitiateRecoveryReturnType> {
  const clients = await createZkSsoClients(p.network);
  const { validator, installData, recoveryId } = recoveryCredentialData(p.network, p.credential);
  await readRecovery(clients, p.recoveryModule, p.account, recoveryId);
  const transactionHash = await sendFrom(
    p.network,
    p.sender,
    {
      to: p.recoveryModule,
      data: encodeFunctionData({
        abi: recoveryModuleAbi,
        functionName: 'initiateRecovery',
        args: [p.account, validator, installData],
      }),
    },
    'initiating the recovery',
  );
  const { readyAt } = await readRecovery(clients, p.recoveryModule, p.account, recoveryId);
  return { readyAt, transactionHash };
}
