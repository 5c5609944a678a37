import {
  type Account,
  type Address,
  type Chain,
  encodeFunctionData,
  type Hex,
  type Transport,
  type WalletClient,
} from 'viem';
import { type Call, type SendCallsAccount, sendCalls } from '../actions/sendCalls.ts';
import { createZkSsoClients } from '../clients.ts';
import { CallsRevertedError } from '../errors.ts';
import type { ZkSsoNetwork } from '../network.ts';
import { recoveryModuleAbi } from './abi.ts';
import { type RecoveryCredential, type RecoveryTarget, recoveryCredentialData } from './recovery.ts';

/**
 * Who pays for `initiateRecovery` / `executeRecovery` (the RecoveryModule lets anyone call them): a zkSSO
 * account (e.g. the recovering identity's own OpenID account, or a friend's), or an EOA wallet client (a relayer,
 * the wallet's backend, a test funder).
 */
export type RecoverySender = SendCallsAccount | WalletClient<Transport, Chain | undefined, Account>;

const isWalletClient = (s: RecoverySender): s is WalletClient<Transport, Chain | undefined, Account> =>
  (s as { type?: string }).type === 'walletClient';

/**
 * Sends one call from `sender` and waits until it is included; a revert throws CallsRevertedError.
 *
 * @example
 * ```ts
 * await sendFrom(network, walletClient, { to: recoveryModule, data }, 'initiating the recovery');
 * ```
 */
export async function sendFrom(
  network: ZkSsoNetwork,
  sender: RecoverySender,
  call: Call,
  what: string,
): Promise<Hex> {
  if (!isWalletClient(sender)) {
    const sent = await sendCalls({ network, account: sender, calls: [call], errorAbi: recoveryModuleAbi });
    if (!sent.success) throw new CallsRevertedError(what, sent.transactionHash);
    return sent.transactionHash;
  }
  const { publicClient } = await createZkSsoClients(network);
  const hash = await sender.sendTransaction({
    account: sender.account,
    chain: sender.chain ?? null,
    to: call.to,
    data: call.data ?? '0x',
    value: call.value ?? 0n,
  });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new CallsRevertedError(what, hash);
  return hash;
}

/**
 * One step of a recovery on the RecoveryModule (`initiateRecovery` or `executeRecovery` of `account` with the
 * credential's validator and install data), sent from `sender` after `check` passed (each step checks the
 * recovery's state on chain first, so a refusal is a typed error rather than a revert).
 *
 * @example
 * ```ts
 * const { transactionHash } = await sendRecoveryStep(p, 'executeRecovery', 'executing the recovery', (id) => assertReady(id));
 * ```
 */
export async function sendRecoveryStep(
  p: RecoveryTarget & { account: Address; credential: RecoveryCredential; sender: RecoverySender },
  functionName: 'initiateRecovery' | 'executeRecovery',
  what: string,
  check: (recoveryId: Hex) => Promise<unknown>,
): Promise<{ transactionHash: Hex; recoveryId: Hex }> {
  const { validator, installData, recoveryId } = recoveryCredentialData(p.network, p.credential);
  await check(recoveryId);
  const transactionHash = await sendFrom(
    p.network,
    p.sender,
    {
      to: p.recoveryModule,
      data: encodeFunctionData({
        abi: recoveryModuleAbi,
        functionName,
        args: [p.account, validator, installData],
      }),
    },
    what,
  );
  return { transactionHash, recoveryId };
}
