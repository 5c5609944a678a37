import { type Address, encodeAbiParameters, type Hex, keccak256 } from 'viem';
import type { ZkSsoClients } from '../clients.ts';
import { encodeWebAuthnInstallData } from '../contracts/index.ts';
import type { ZkSsoNetwork } from '../network.ts';
import { recoveryModuleAbi } from './abi.ts';
import { RecoveryNotReadyError, RecoveryNotRegisteredError } from './errors.ts';
import type { PasskeyCredential } from './passkey-account.ts';

/**
 * A dormant recovery credential (RecoveryModule, docs/contracts.md §8): an OpenID identity (the
 * ZkLoginValidator's `(issHash, idc)`, e.g. a login's `session.issHash` / `session.idc`) or a passkey (the
 * WebAuthnValidator's install data). After the account's delay it is installed as a validator of the account.
 */
export type RecoveryCredential =
  | { kind: 'openid'; issHash: bigint; idc: bigint }
  | { kind: 'passkey'; passkey: PasskeyCredential };

/** Where the RecoveryModule is: the dev stack's `stack.json` has it as `addresses.recoveryModule`. */
export interface RecoveryTarget {
  network: ZkSsoNetwork;
  recoveryModule: Address;
}

/**
 * The validator and install data a recovery credential installs, and its `recoveryId`
 * (`keccak256(abi.encode(validator, installData))`).
 *
 * @example
 * ```ts
 * const { validator, installData, recoveryId } = recoveryCredentialData(network, { kind: 'openid', issHash, idc });
 * ```
 */
export function recoveryCredentialData(
  network: ZkSsoNetwork,
  credential: RecoveryCredential,
): { validator: Address; installData: Hex; recoveryId: Hex } {
  const validator =
    credential.kind === 'openid' ? network.addresses.zkLoginValidator : network.addresses.webAuthnValidator;
  const installData =
    credential.kind === 'openid'
      ? encodeAbiParameters([{ type: 'uint256' }, { type: 'uint256' }], [credential.issHash, credential.idc])
      : encodeWebAuthnInstallData(credential.passkey);
  const recoveryId = keccak256(
    encodeAbiParameters([{ type: 'address' }, { type: 'bytes' }], [validator, installData]),
  );
  return { validator, installData, recoveryId };
}

/**
 * Reads a recovery's state: registered or not, and `readyAt` (0: none pending).
 *
 * @throws RecoveryNotRegisteredError when the account never registered the credential.
 * @example
 * ```ts
 * const { readyAt } = await readRecovery(clients, recoveryModule, account, recoveryId);
 * ```
 */
export async function readRecovery(
  clients: ZkSsoClients,
  recoveryModule: Address,
  account: Address,
  recoveryId: Hex,
): Promise<{ readyAt: number }> {
  const recovery = await clients.publicClient.readContract({
    address: recoveryModule,
    abi: recoveryModuleAbi,
    functionName: 'getRecovery',
    args: [account, recoveryId],
  });
  if (!recovery.registered) throw new RecoveryNotRegisteredError(account, recoveryId);
  return { readyAt: Number(recovery.readyAt) };
}

/**
 * Refuses to execute a recovery that is not pending or whose delay has not elapsed on chain.
 *
 * @throws RecoveryNotReadyError (details.readyAt: 0 when none is pending), RecoveryNotRegisteredError.
 * @example
 * ```ts
 * await assertRecoveryReady(clients, recoveryModule, account, recoveryId);
 * ```
 */
export async function assertRecoveryReady(
  clients: ZkSsoClients,
  recoveryModule: Address,
  account: Address,
  recoveryId: Hex,
): Promise<void> {
  const { readyAt } = await readRecovery(clients, recoveryModule, account, recoveryId);
  const { timestamp } = await clients.publicClient.getBlock();
  if (readyAt === 0 || BigInt(readyAt) > timestamp)
    throw new RecoveryNotReadyError(account, recoveryId, readyAt);
}
