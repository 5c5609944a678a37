import { zkLoginValidatorAbi } from '@zksso/contracts';
import type { GetLogsErrorType, ReadContractErrorType } from 'viem';
import { type Address, decodeAbiParameters, getAbiItem, type Hex, isAddressEqual } from 'viem';
import { createZkSsoClients, type ZkSsoClients } from '../clients.ts';
import { webAuthnInstallDataAbi } from '../contracts/index.ts';
import type { WrongChainError } from '../errors.ts';
import { eventsFromBlock, type ZkSsoNetwork } from '../network.ts';
import { MODULE_TYPE, recoveryModuleAbi, webAuthnValidatorAbi } from './abi.ts';
import { isModuleInstalled } from './module-installed.ts';

const passkeyAdded = getAbiItem({ abi: webAuthnValidatorAbi, name: 'PasskeyAdded' });
const recoveryAdded = getAbiItem({ abi: recoveryModuleAbi, name: 'RecoveryCredentialAdded' });

/** A passkey that signs for the account now (WebAuthnValidator). */
export interface AccountPasskey {
  credentialId: Hex;
  credentialIdHash: Hex;
  publicKey: { x: bigint; y: bigint };
  /** The origin it is bound to; `''` for any origin of its rpId. */
  origin: string;
  rpIdHash: Hex;
}

/** A dormant recovery credential registered on the account (RecoveryModule), with its pending state. */
export interface AccountRecoveryCredential {
  recoveryId: Hex;
  validator: Address;
  installData: Hex;
  /** The credential, decoded: an OpenID identity, a passkey, or another validator's install data. */
  kind: 'openid' | 'passkey' | 'other';
  /** For `openid`. */
  issHash?: bigint;
  idc?: bigint;
  /** For `passkey`. */
  credentialId?: Hex;
  /** Unix seconds (chain time) from which a pending recovery may be executed; 0: none pending. */
  readyAt: number;
}

/** Parameters of {@link getAccountCredentials}. */
export interface GetAccountCredentialsParameters {
  network: ZkSsoNetwork;
  account: Address;
  /** The RecoveryModule (the dev stack's `addresses.recoveryModule`); without it no recovery is read. */
  recoveryModule?: Address;
  /** First block searched for events (default: the network's `deploymentBlock`, else 0). */
  fromBlock?: bigint;
}

/** What {@link getAccountCredentials} returns. */
export interface GetAccountCredentialsReturnType {
  /** Passkeys that sign for the account, oldest first. */
  passkeys: AccountPasskey[];
  /** The OpenID identity of its ZkLoginValidator, when installed. */
  openId?: { issHash: bigint; idc: bigint };
  /** Registered recovery credentials (present epoch only: uninstalling the module forgets them). */
  recovery: AccountRecoveryCredential[];
  /** The RecoveryModule's delay for this account, seconds; absent when the module is not installed. */
  recoveryDelaySeconds?: number;
}

/**
 * The typed errors {@link getAccountCredentials} throws.
 *
 * @example
 * ```ts
 * try { await getAccountCredentials(p); } catch (e) { console.log((e as GetAccountCredentialsErrorType).name); }
 * ```
 */
export type GetAccountCredentialsErrorType = WrongChainError | GetLogsErrorType | ReadContractErrorType;

/**
 * Who controls an account, read from the chain alone (no server database): its passkeys (WebAuthnValidator
 * `credentialsOf`, the raw ids from `PasskeyAdded` logs), its OpenID identity (ZkLoginValidator `identityOf`)
 * and its recovery credentials (RecoveryModule `RecoveryCredentialAdded` logs, kept while `getRecovery` says
 * registered). An account not deployed yet has none.
 *
 * @example
 * ```ts
 * const { passkeys, openId, recovery } = await getAccountCredentials({ network, account: account.address, recoveryModule });
 * ```
 */
export async function getAccountCredentials(
  p: GetAccountCredentialsParameters,
): Promise<GetAccountCredentialsReturnType> {
  const clients = await createZkSsoClients(p.network);
  const { publicClient } = clients;
  const { webAuthnValidator, zkLoginValidator } = p.network.addresses;
  const fromBlock = p.fromBlock ?? eventsFromBlock(p.network);
  const [hasPasskeys, hasOpenId, hasRecovery] = await Promise.all([
    isModuleInstalled(clients, p.account, MODULE_TYPE.validator, webAuthnValidator),
    isModuleInstalled(clients, p.account, MODULE_TYPE.validator, zkLoginValidator),
    p.recoveryModule
      ? isModuleInstalled(clients, p.account, MODULE_TYPE.executor, p.recoveryModule)
      : Promise.resolve(false),
  ]);
  const result: GetAccountCredentialsReturnType = { passkeys: [], recovery: [] };
  if (hasPasskeys) result.passkeys = await passkeysOf(publicClient, webAuthnValidator, p.account, fromBlock);
  if (hasOpenId) {
    const [issHash, idc] = await publicClient.readContract({
      address: zkLoginValidator,
      abi: zkLoginValidatorAbi,
      functionName: 'identityOf',
      args: [p.account],
    });
    result.openId = { issHash, idc };
  }
  if (hasRecovery && p.recoveryModule) {
    const module = p.recoveryModule;
    result.recoveryDelaySeconds = Number(
      await publicClient.readContract({
        address: module,
        abi: recoveryModuleAbi,
        functionName: 'delayOf',
        args: [p.account],
      }),
    );
    const logs = await publicClient.getLogs({
      address: module,
      event: recoveryAdded,
      args: { account: p.account },
      fromBlock,
    });
    const seen = new Set<Hex>();
    for (const log of logs) {
      const { recoveryId, validator, installData } = log.args as {
        recoveryId: Hex;
        validator: Address;
        installData: Hex;
      };
      if (seen.has(recoveryId)) continue;
      seen.add(recoveryId);
      // Logged once, maybe removed since (or forgotten with an uninstall): the module's state decides.
      const state = await publicClient.readContract({
        address: module,
        abi: recoveryModuleAbi,
        functionName: 'getRecovery',
        args: [p.account, recoveryId],
      });
      if (!state.registered) continue;
      result.recovery.push({
        recoveryId,
        validator,
        installData,
        readyAt: Number(state.readyAt),
        ...decodeCredential(p.network, validator, installData),
      });
    }
  }
  return result;
}

async function passkeysOf(
  publicClient: ZkSsoClients['publicClient'],
  validator: Address,
  account: Address,
  fromBlock: bigint,
): Promise<AccountPasskey[]> {
  const [current, logs] = await Promise.all([
    publicClient.readContract({
      address: validator,
      abi: webAuthnValidatorAbi,
      functionName: 'credentialsOf',
      args: [account],
    }),
    publicClient.getLogs({ address: validator, event: passkeyAdded, args: { account }, fromBlock }),
  ]);
  const live = new Set(current.map((h) => h.toLowerCase()));
  const byHash = new Map<string, AccountPasskey>();
  for (const log of logs) {
    const a = log.args as {
      credentialIdHash: Hex;
      credentialId: Hex;
      x: bigint;
      y: bigint;
      origin: string;
      rpIdHash: Hex;
    };
    if (!live.has(a.credentialIdHash.toLowerCase())) continue;
    // A passkey removed and added again: the latest log wins.
    byHash.set(a.credentialIdHash.toLowerCase(), {
      credentialId: a.credentialId,
      credentialIdHash: a.credentialIdHash,
      publicKey: { x: a.x, y: a.y },
      origin: a.origin,
      rpIdHash: a.rpIdHash,
    });
  }
  return [...byHash.values()];
}

function decodeCredential(
  network: ZkSsoNetwork,
  validator: Address,
  installData: Hex,
): Pick<AccountRecoveryCredential, 'kind' | 'issHash' | 'idc' | 'credentialId'> {
  try {
    if (isAddressEqual(validator, network.addresses.zkLoginValidator)) {
      const [issHash, idc] = decodeAbiParameters([{ type: 'uint256' }, { type: 'uint256' }], installData);
      return { kind: 'openid', issHash, idc };
    }
    if (isAddressEqual(validator, network.addresses.webAuthnValidator)) {
      const [credentialId] = decodeAbiParameters(webAuthnInstallDataAbi, installData);
      return { kind: 'passkey', credentialId };
    }
  } catch {}
  return { kind: 'other' };
}
