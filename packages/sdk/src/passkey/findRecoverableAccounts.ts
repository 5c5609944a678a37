import type { GetLogsErrorType, ReadContractErrorType } from 'viem';
import { type Address, getAbiItem } from 'viem';
import { createZkSsoClients } from '../clients.ts';
import type { WrongChainError } from '../errors.ts';
import { eventsFromBlock } from '../network.ts';
import { recoveryModuleAbi } from './abi.ts';
import { type RecoveryCredential, type RecoveryTarget, recoveryCredentialData } from './recovery.ts';

const recoveryAdded = getAbiItem({ abi: recoveryModuleAbi, name: 'RecoveryCredentialAdded' });

/** Parameters of {@link findRecoverableAccounts}. */
export interface FindRecoverableAccountsParameters extends RecoveryTarget {
  /** The recovering credential: e.g. the OpenID identity of a fresh login (`session.issHash`, `session.idc`). */
  credential: RecoveryCredential;
  /** First block searched (default: the network's `deploymentBlock`, else 0). */
  fromBlock?: bigint;
}

/** One account the credential may recover, with its pending state. */
export interface RecoverableAccount {
  account: Address;
  /** Unix seconds (chain time) from which the pending recovery may be executed; 0: none pending. */
  readyAt: number;
}

/** What {@link findRecoverableAccounts} returns. */
export type FindRecoverableAccountsReturnType = RecoverableAccount[];

/**
 * The typed errors {@link findRecoverableAccounts} throws.
 *
 * @example
 * ```ts
 * try { await findRecoverableAccounts(p); } catch (e) { console.log((e as FindRecoverableAccountsErrorType).name); }
 * ```
 */
export type FindRecoverableAccountsErrorType = WrongChainError | GetLogsErrorType | ReadContractErrorType;

/**
 * The accounts that registered `credential` as recovery, found on chain with no server database: the
 * RecoveryModule's `RecoveryCredentialAdded` logs carry the `recoveryId` as a topic, and `getRecovery` keeps
 * those still registered. Someone who lost their passkey signs in with the OpenID identity and finds their
 * account here.
 *
 * @example
 * ```ts
 * const [found] = await findRecoverableAccounts({ network, recoveryModule, credential: { kind: 'openid', issHash, idc } });
 * ```
 */
export async function findRecoverableAccounts(
  p: FindRecoverableAccountsParameters,
): Promise<FindRecoverableAccountsReturnType> {
  const { publicClient } = await createZkSsoClients(p.network);
  const { recoveryId } = recoveryCredentialData(p.network, p.credential);
  const logs = await publicClient.getLogs({
    address: p.recoveryModule,
    event: recoveryAdded,
    args: { recoveryId },
    fromBlock: p.fromBlock ?? eventsFromBlock(p.network),
  });
  const accounts = [...new Set(logs.map((l) => l.args.account as Address))];
  const found: RecoverableAccount[] = [];
  for (const account of accounts) {
    const state = await publicClient.readContract({
      address: p.recoveryModule,
      abi: recoveryModuleAbi,
      functionName: 'getRecovery',
      args: [account, recoveryId],
    });
    if (state.registered) found.push({ account, readyAt: Number(state.readyAt) });
  }
  return found;
}
