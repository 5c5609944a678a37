import type { Address, Hex } from 'viem';
import type { SendCallsErrorType } from '../actions/sendCalls.ts';
import { createZkSsoClients } from '../clients.ts';
import type { CallsRevertedError } from '../errors.ts';
import type { RecoveryNotReadyError, RecoveryNotRegisteredError } from './errors.ts';
import { assertRecoveryReady, type RecoveryCredential, type RecoveryTarget } from './recovery.ts';
import { type RecoverySender, sendRecoveryStep } from './recovery-sender.ts';

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
 * The typed errors {@link executeRecovery} throws.
 *
 * @example
 * ```ts
 * try { await executeRecovery(p); } catch (e) { console.log((e as ExecuteRecoveryErrorType).name); }
 * ```
 */
export type ExecuteRecoveryErrorType =
  | RecoveryNotReadyError
  | RecoveryNotRegisteredError
  | CallsRevertedError
  | SendCallsErrorType;

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
  const { transactionHash } = await sendRecoveryStep(p, 'executeRecovery', 'executing the recovery', (id) =>
    assertRecoveryReady(clients, p.recoveryModule, p.account, id),
  );
  return { transactionHash };
}
