import type { Address, Hex } from 'viem';
import type { SendCallsErrorType } from '../actions/sendCalls.ts';
import { createZkSsoClients } from '../clients.ts';
import type { CallsRevertedError } from '../errors.ts';
import type { RecoveryNotRegisteredError } from './errors.ts';
import { type RecoveryCredential, type RecoveryTarget, readRecovery } from './recovery.ts';
import { type RecoverySender, sendRecoveryStep } from './recovery-sender.ts';

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
 * The typed errors {@link initiateRecovery} throws.
 *
 * @example
 * ```ts
 * try { await initiateRecovery(p); } catch (e) { console.log((e as InitiateRecoveryErrorType).name); }
 * ```
 */
export type InitiateRecoveryErrorType = RecoveryNotRegisteredError | CallsRevertedError | SendCallsErrorType;

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
  const { transactionHash, recoveryId } = await sendRecoveryStep(
    p,
    'initiateRecovery',
    'initiating the recovery',
    // Refuses an identity the account did not register (RecoveryNotRegisteredError) before sending.
    (id) => readRecovery(clients, p.recoveryModule, p.account, id),
  );
  const { readyAt } = await readRecovery(clients, p.recoveryModule, p.account, recoveryId);
  return { readyAt, transactionHash };
}
