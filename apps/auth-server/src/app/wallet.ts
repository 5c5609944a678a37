import { sessionKeyValidatorAbi, zkSsoAccountAbi } from '@zksso/contracts';
import {
  createP256EphemeralKey,
  type EphemeralSigner,
  p256EphemeralKeyFromKeyPair,
  type SessionSpec,
  sessionHash,
} from '@zksso/core';
import {
  type AccountRecoveryCredential,
  addPasskey,
  addRecoveryCredential,
  browserAuthenticator,
  type Call,
  createPasskeyAccount,
  createZkLoginAccount,
  createZkSsoClients,
  executeRecovery,
  findRecoverableAccounts,
  type GetAccountCredentialsReturnType,
  getAccountCredentials,
  getSessionState,
  initiateRecovery,
  isPasskeyAccount,
  loginWithPasskey,
  type PasskeyCredential,
  type RecoverableAccount,
  removePasskey,
  removeRecoveryCredential,
  replaceOpenIdIdentity,
  restoreZkLoginAccount,
  revokeSession,
  type SendCallsAccount,
  type SendCallsResult,
  type SessionRecord,
  type SessionState,
  sendCalls,
  sessionSetupCalls,
  toPasskeySmartAccount,
  type ZkLoginSession,
  type ZkSsoNetwork,
} from '@zksso/sdk';
import { type Address, encodeFunctionData, type Hex } from 'viem';
import type { ProviderConfig } from '../shared/config.ts';
import {
  clearLogin,
  type GrantRecord,
  loadEphemeralKey,
  loadLogin,
  passkeyFromJson,
  passkeyToJson,
  type StoredLogin,
  saveEphemeralKey,
  saveLogin,
} from './storage.ts';

/** Login steps as the SDK reports them (never with a token, salt or key). */
export type LoginStep = 'token' | 'salt' | 'proof' | 'address';

/** The network the page uses, plus the RecoveryModule where the deployment has one. */
export type PageNetwork = ZkSsoNetwork & { recoveryModule?: Address };

/**
 * The ephemeral key of a new OpenID login: a non-extractable WebCrypto P-256 key where the browser has
 * `crypto.subtle` (a secure context), else secp256k1 (the SDK makes it; its private key lives in the
 * tab's sessionStorage with the login).
 */
async function newEphemeralKey(): Promise<{ signer: EphemeralSigner; keyPair?: CryptoKeyPair } | undefined> {
  if (!globalThis.isSecureContext || !globalThis.crypto?.subtle) return undefined;
  try {
    const signer = await createP256EphemeralKey();
    return { signer, keyPair: (signer as { keyPair: CryptoKeyPair }).keyPair };
  } catch {
    return undefined; // a browser without ECDSA P-256 in WebCrypto
  }
}

/** What an OpenID sign-in on this page needs: the network, the provider and its window. */
export interface OpenIdSignInParameters {
  network: PageNetwork;
  provider: ProviderConfig;
  getIdToken: (nonce: string) => Promise<string>;
  onProgress: (step: LoginStep) => void;
}

/**
 * The one OpenID sign-in behind login, recovery and "prove an identity": a fresh ephemeral key (WebCrypto
 * P-256 where the browser has it), ID token, salt, proof and address, through the SDK.
 */
async function openIdSignIn(
  p: OpenIdSignInParameters,
  expiresInSeconds?: number,
): Promise<{ account: SendCallsAccount; session: ZkLoginSession; keyPair?: CryptoKeyPair }> {
  const key = await newEphemeralKey();
  const { account, session } = await createZkLoginAccount({
    network: p.network,
    clientId: p.provider.clientId,
    source: { kind: 'callback', getIdToken: (_url, nonce) => p.getIdToken(nonce) },
    ephemeralKey: key?.signer ?? 'secp256k1',
    ...(expiresInSeconds === undefined ? {} : { expiresInSeconds }),
    onProgress: (step) => p.onProgress(step),
  });
  return { account, session, ...(key?.keyPair ? { keyPair: key.keyPair } : {}) };
}

/**
 * An OpenID login: ephemeral key, ID token (`getIdToken` runs the provider's window), salt, proof,
 * address; the login is kept in this tab (sessionStorage, the P-256 key in IndexedDB).
 *
 * @example
 * ```ts
 * const account = await loginWithOpenId({ network, provider, getIdToken, onProgress });
 * ```
 */
export async function loginWithOpenId(p: OpenIdSignInParameters): Promise<SendCallsAccount> {
  const { account, session, keyPair } = await openIdSignIn(p);
  if (keyPair) await saveEphemeralKey(keyPair);
  saveLogin({ kind: 'openid', provider: p.provider.name, session });
  return account;
}

/** Same as {@link loginWithOpenId} without keeping the login: for adding an OpenID recovery identity. */
export async function proveOpenIdIdentity(
  p: OpenIdSignInParameters,
): Promise<{ issHash: bigint; idc: bigint; issuer: string }> {
  const { session } = await openIdSignIn(p);
  return { issHash: BigInt(session.issHash), idc: BigInt(session.idc), issuer: session.issuer };
}

/** A new passkey account (WebAuthn `create`). @example `await signUpWithPasskey({ network, rpId, name })` */
export async function signUpWithPasskey(p: {
  network: PageNetwork;
  rpId: string;
  name: string;
}): Promise<SendCallsAccount> {
  const { account, passkey } = await createPasskeyAccount({ network: p.network, rpId: p.rpId, name: p.name });
  saveLogin({ kind: 'passkey', address: account.address, passkey: passkeyToJson(passkey), name: p.name });
  return account;
}

/** An existing passkey account, found on chain from the credential. */
export async function signInWithPasskey(p: {
  network: PageNetwork;
  rpId: string;
}): Promise<SendCallsAccount> {
  const { account, passkey } = await loginWithPasskey({ network: p.network, rpId: p.rpId });
  saveLogin({ kind: 'passkey', address: account.address, passkey: passkeyToJson(passkey) });
  return account;
}

/**
 * The tab's signed-in account again (after a reload or on the next request), or `undefined` when there is
 * none or the login's key has expired (the user signs in again).
 */
export async function restoreAccount(network: PageNetwork): Promise<SendCallsAccount | undefined> {
  const login = loadLogin();
  if (!login) return undefined;
  try {
    if (login.kind === 'passkey') {
      const clients = await createZkSsoClients(network);
      return await toPasskeySmartAccount({
        network,
        clients,
        passkey: passkeyFromJson(login.passkey),
        authenticator: browserAuthenticator(),
        address: login.address,
      });
    }
    if (Number(login.session.expiry) * 1000 < Date.now() + 60_000) {
      await clearLogin();
      return undefined;
    }
    const keyPair =
      (login.session as { ephemeralKeyType?: string }).ephemeralKeyType === 'p256'
        ? await loadEphemeralKey()
        : undefined;
    if ((login.session as { ephemeralKeyType?: string }).ephemeralKeyType === 'p256' && !keyPair) {
      await clearLogin();
      return undefined;
    }
    return await restoreZkLoginAccount({
      network,
      session: login.session,
      ...(keyPair ? { ephemeralKey: await p256EphemeralKeyFromKeyPair(keyPair) } : {}),
    });
  } catch {
    return undefined;
  }
}

/** Who controls the signed-in account, for the screens. */
export function loginIdentity(): StoredLogin | undefined {
  return loadLogin();
}

/** The account's ETH balance, wei. */
export async function balanceOf(network: PageNetwork, address: Address): Promise<bigint> {
  const { publicClient } = await createZkSsoClients(network);
  return publicClient.getBalance({ address });
}

/** Sends calls as one user operation (atomic) and waits for inclusion. */
export function send(
  network: PageNetwork,
  account: SendCallsAccount,
  calls: Call[],
): Promise<SendCallsResult> {
  return sendCalls({ network, account, calls });
}

/**
 * Creates a dapp's session on chain (SessionKeyValidator `createSession`, installing the validator on first
 * use) for a session key the dapp holds: the popup only knows its address (`spec.signer`).
 *
 * @example
 * ```ts
 * const { sessionHash } = await grantSession(network, account, spec);
 * ```
 */
export async function grantSession(
  network: PageNetwork,
  account: SendCallsAccount,
  spec: SessionSpec,
): Promise<{ sessionHash: Hex; transactionHash: Hex }> {
  const validator = network.addresses.sessionKeyValidator;
  const { publicClient } = await createZkSsoClients(network);
  const installed =
    (await account.isDeployed()) &&
    (await publicClient.readContract({
      address: account.address,
      abi: zkSsoAccountAbi,
      functionName: 'isModuleInstalled',
      args: [1n, validator, '0x'],
    }));
  const calls = sessionSetupCalls({
    account: account.address,
    validator,
    spec,
    installValidator: !installed,
  });
  const sent = await sendCalls({ network, account, calls });
  if (!sent.success) throw new Error('The session could not be created: the operation reverted');
  return { sessionHash: sessionHash(spec), transactionHash: sent.transactionHash };
}

/** Revokes a session on chain. */
export async function revoke(network: PageNetwork, account: SendCallsAccount, hash: Hex): Promise<Hex> {
  if (!isPasskeyAccount(account))
    return (await revokeSession({ network, account, sessionHash: hash })).transactionHash;
  // The SDK's revokeSession takes OpenID accounts only; a passkey account sends the same call itself.
  const sent = await sendCalls({
    network,
    account,
    calls: [
      {
        to: network.addresses.sessionKeyValidator,
        data: encodeFunctionData({ abi: sessionKeyValidatorAbi, functionName: 'revokeKey', args: [hash] }),
      },
    ],
  });
  if (!sent.success) throw new Error('The revocation reverted');
  return sent.transactionHash;
}

// getSessionState reads only the spec, account and chain of a record; the key stays in the dapp.
const NO_KEY = `0x${'00'.repeat(31)}01` as Hex;

/** A granted session's state on chain: status, each limit's used / remaining amounts. */
export function sessionState(network: PageNetwork, grant: GrantRecord): Promise<SessionState> {
  const record: SessionRecord = {
    version: 1,
    chainId: grant.chainId,
    account: grant.account,
    sessionHash: grant.sessionHash,
    sessionPrivateKey: NO_KEY,
    spec: grant.spec,
    createdAt: grant.createdAt,
  };
  return getSessionState({ network, session: record });
}

/** Adds a new passkey (WebAuthn `create` on this device) to the signed-in account. */
export async function addNewPasskey(
  network: PageNetwork,
  account: SendCallsAccount,
  rpId: string,
  name: string,
): Promise<PasskeyCredential> {
  const created = await browserAuthenticator().create({
    rpId,
    name,
    challenge: randomHex(32),
    userId: randomHex(16),
    userVerification: 'preferred',
  });
  const passkey: PasskeyCredential = { ...created, rpId };
  const sent = await addPasskey({ network, account, passkey });
  if (!sent.success) throw new Error('Adding the passkey reverted on chain');
  return passkey;
}

/**
 * Removes a passkey from the signed-in account. The last one is removed by uninstalling the WebAuthnValidator
 * (the SDK does it when the account has its OpenID identity, and refuses with `LastPasskeyError` otherwise).
 */
export async function removeAccountPasskey(
  network: PageNetwork,
  account: SendCallsAccount,
  credentialId: Hex,
): Promise<void> {
  const sent = await removePasskey({ network, account, credentialId });
  if (!sent.success) throw new Error('Removing the passkey reverted on chain');
}

/** Registers an OpenID identity as recovery of the signed-in account (RecoveryModule). */
export async function addOpenIdRecovery(
  network: PageNetwork,
  account: SendCallsAccount,
  identity: { issHash: bigint; idc: bigint },
): Promise<void> {
  if (!network.recoveryModule) throw new Error('This deployment has no RecoveryModule');
  const sent = await addRecoveryCredential({
    network,
    recoveryModule: network.recoveryModule,
    account,
    credential: { kind: 'openid', issHash: identity.issHash, idc: identity.idc },
  });
  if (!sent.success) throw new Error('Adding the recovery identity reverted on chain');
}

function randomHex(bytes: number): Hex {
  return `0x${Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Who controls the account, read from the chain (passkeys, OpenID identity, recovery credentials). */
export function accountCredentials(
  network: PageNetwork,
  address: Address,
): Promise<GetAccountCredentialsReturnType> {
  return getAccountCredentials({
    network,
    account: address,
    ...(network.recoveryModule ? { recoveryModule: network.recoveryModule } : {}),
  });
}

/** Forgets a recovery credential of the signed-in account (a pending recovery by it is cancelled too). */
export async function removeRecovery(
  network: PageNetwork,
  account: SendCallsAccount,
  recovery: AccountRecoveryCredential,
): Promise<void> {
  if (!network.recoveryModule) throw new Error('This deployment has no RecoveryModule');
  const sent = await removeRecoveryCredential({
    network,
    recoveryModule: network.recoveryModule,
    account,
    credential: { recoveryId: recovery.recoveryId },
  });
  if (!sent.success) throw new Error('Removing the recovery identity reverted');
}

/** Replaces the account's OpenID identity (ZkLoginValidator reinstalled), signed by its passkey. */
export async function replaceIdentity(
  network: PageNetwork,
  account: SendCallsAccount,
  identity: { issHash: bigint; idc: bigint },
): Promise<void> {
  const sent = await replaceOpenIdIdentity({ network, account, ...identity });
  if (!sent.success) throw new Error('Replacing the OpenID identity reverted');
}

/**
 * A recovery takes days (the RecoveryModule's delay): the key of a recovery sign-in lives a week, so that the
 * same sign-in can start the recovery and, once the delay is over, finish it and sign for the account.
 */
const RECOVERY_KEY_SECONDS = 7 * 86_400;

/** An OpenID sign-in that recovers an account: its session (own account) and the key behind it. */
export interface RecoveryLogin {
  provider: ProviderConfig;
  session: ZkLoginSession;
  /** The sign-in's own account (the identity's account): it pays for starting and finishing the recovery. */
  own: SendCallsAccount;
  keyPair?: CryptoKeyPair;
}

/** Signs in with an OpenID identity to recover an account with it (nothing is saved yet). */
export async function recoveryLogin(p: OpenIdSignInParameters): Promise<RecoveryLogin> {
  const { account, session, keyPair } = await openIdSignIn(p, RECOVERY_KEY_SECONDS);
  return { provider: p.provider, session, own: account, ...(keyPair ? { keyPair } : {}) };
}

const recoveryCredentialOf = (login: RecoveryLogin) =>
  ({ kind: 'openid', issHash: BigInt(login.session.issHash), idc: BigInt(login.session.idc) }) as const;

/** The accounts that registered this sign-in's identity as recovery, found on chain. */
export function recoverableAccounts(
  network: PageNetwork,
  login: RecoveryLogin,
): Promise<RecoverableAccount[]> {
  if (!network.recoveryModule) return Promise.resolve([]);
  return findRecoverableAccounts({
    network,
    recoveryModule: network.recoveryModule,
    credential: recoveryCredentialOf(login),
  });
}

/** Starts the recovery of `address` (the delay starts now); the sign-in's own account pays. */
export async function startRecovery(
  network: PageNetwork,
  login: RecoveryLogin,
  address: Address,
): Promise<{ readyAt: number }> {
  if (!network.recoveryModule) throw new Error('This deployment has no RecoveryModule');
  return initiateRecovery({
    network,
    recoveryModule: network.recoveryModule,
    account: address,
    credential: recoveryCredentialOf(login),
    sender: login.own,
  });
}

/**
 * Finishes the recovery of `address` once its delay is over, then signs in as that account with the same
 * sign-in (the proof binds the identity and the key, not an account) and keeps the login.
 */
export async function finishRecovery(
  network: PageNetwork,
  login: RecoveryLogin,
  address: Address,
): Promise<SendCallsAccount> {
  if (!network.recoveryModule) throw new Error('This deployment has no RecoveryModule');
  await executeRecovery({
    network,
    recoveryModule: network.recoveryModule,
    account: address,
    credential: recoveryCredentialOf(login),
    sender: login.own,
  });
  const session = { ...login.session, address };
  if (login.keyPair) await saveEphemeralKey(login.keyPair);
  saveLogin({ kind: 'openid', provider: login.provider.name, session });
  return restoreZkLoginAccount({
    network,
    session,
    ...(login.keyPair ? { ephemeralKey: await p256EphemeralKeyFromKeyPair(login.keyPair) } : {}),
  });
}

/** Chain time now (unix seconds): recovery delays are counted on chain. */
export async function chainTime(network: PageNetwork): Promise<number> {
  const { publicClient } = await createZkSsoClients(network);
  return Number((await publicClient.getBlock()).timestamp);
}

/**
 * Dev chain only: adds 1 test ETH to `address` (anvil_setBalance through this origin's /rpc proxy).
 *
 * @example
 * ```ts
 * await devFund(account.address);
 * ```
 */
export async function devFund(address: Address): Promise<void> {
  const rpc = async (method: string, params: unknown[]) => {
    const response = await fetch('/rpc', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    });
    const body = (await response.json()) as { result?: unknown; error?: { message: string } };
    if (body.error) throw new Error(body.error.message);
    return body.result;
  };
  const current = BigInt((await rpc('eth_getBalance', [address, 'latest'])) as string);
  await rpc('anvil_setBalance', [address, `0x${(current + 10n ** 18n).toString(16)}`]);
}
