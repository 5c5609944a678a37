// The part of @zksso/sdk the CLI uses, as an interface typed with the SDK's own types: commands take it from
// their context, so their tests can pass a fake, and the SDK (which loads viem's account machinery) is only
// imported by commands that need it.
import type {
  Call,
  CreatePasskeyAccountParameters,
  CreateSessionParameters,
  CreateSessionReturnType,
  CreateZkLoginAccountParameters,
  GetSessionStateParameters,
  GetSessionStateReturnType,
  IdTokenSource,
  LoginWithPasskeyParameters,
  PasskeyAuthenticator,
  PasskeyCredential,
  RevokeSessionParameters,
  RevokeSessionReturnType,
  SendCallsParameters,
  SendCallsReturnType,
  SendCallsSignatureMode,
  SendSessionCallsParameters,
  SendSessionCallsReturnType,
  SessionLimitState,
  SessionRecord,
  SessionState,
  SoftwareAuthenticator,
  SoftwareAuthenticatorOptions,
  SoftwareCredentialExport,
  ZkLoginSession,
  ZkSsoNetwork,
} from '@zksso/sdk';
import type { loadDevStackNetwork } from '@zksso/sdk/node';
import type { Address } from 'viem';

export type {
  Call,
  IdTokenSource,
  PasskeyCredential,
  SendCallsSignatureMode,
  SessionLimitState,
  SessionRecord,
  SessionState,
  SoftwareAuthenticator,
  SoftwareCredentialExport,
  ZkLoginSession,
  ZkSsoNetwork,
};

/** What sending returns (the SDK's types). @example `const { transactionHash } = await sdk.sendCalls(p);` */
export type SendResult = SendCallsReturnType | SendSessionCallsReturnType;

/** The SDK's login progress steps. @example `const step: LoginStep = 'proof';` */
export type LoginStep = Parameters<NonNullable<CreateZkLoginAccountParameters['onProgress']>>[0];

/** The SDK's parameters with the account made `Account` (opaque to the CLI; a fake in the CLI's tests). */
type WithAccount<P, Account> = Omit<P, 'account'> & { account: Account };

/**
 * The SDK functions the CLI calls, typed with the SDK's own `XParameters` / `XReturnType`. `Account` is the
 * SDK's `ZkLoginSmartAccount`, opaque to the CLI.
 *
 * @example
 * ```ts
 * const sdk: CliSdk = await loadSdk();
 * ```
 */
export interface CliSdk<Account = unknown> {
  loadDevStackNetwork: typeof loadDevStackNetwork;
  createZkLoginAccount(
    p: CreateZkLoginAccountParameters,
  ): Promise<{ account: Account; session: ZkLoginSession }>;
  restoreZkLoginAccount(p: { network: ZkSsoNetwork; session: ZkLoginSession }): Promise<Account>;
  sendCalls(p: WithAccount<SendCallsParameters, Account>): Promise<SendCallsReturnType>;
  createSession(p: WithAccount<CreateSessionParameters, Account>): Promise<CreateSessionReturnType>;
  sendSessionCalls(p: SendSessionCallsParameters): Promise<SendSessionCallsReturnType>;
  revokeSession(p: WithAccount<RevokeSessionParameters, Account>): Promise<RevokeSessionReturnType>;
  getSessionState(p: GetSessionStateParameters): Promise<GetSessionStateReturnType>;
  /** DEVELOPMENT ONLY: the software authenticator behind `zksso passkey` (dev stack). */
  createSoftwareAuthenticator(options: SoftwareAuthenticatorOptions): SoftwareAuthenticator;
  createPasskeyAccount(
    p: CreatePasskeyAccountParameters,
  ): Promise<{ account: Account & { address: Address }; passkey: PasskeyCredential }>;
  loginWithPasskey(
    p: LoginWithPasskeyParameters,
  ): Promise<{ account: Account & { address: Address }; passkey: PasskeyCredential; accounts: Address[] }>;
  /** A saved passkey login's account again (the SDK's `toPasskeySmartAccount`). */
  restorePasskeyAccount(p: {
    network: ZkSsoNetwork;
    passkey: PasskeyCredential;
    authenticator: PasskeyAuthenticator;
    address: Address;
  }): Promise<Account>;
}

/**
 * Imports @zksso/sdk (on first use only: `zksso --help` and usage errors never load it).
 *
 * @example
 * ```ts
 * const sdk = await loadSdk();
 * const network = sdk.loadDevStackNetwork();
 * ```
 */
export async function loadSdk(): Promise<CliSdk> {
  const [sdk, node] = await Promise.all([import('@zksso/sdk'), import('@zksso/sdk/node')]);
  // Checked at compile time: the SDK still has the shape this interface describes. Files and node:http come
  // from its Node subpath: the dev stack's state directory, and a transport that waits for a proof queued
  // longer than fetch would (300 s).
  const typed: CliSdk<import('@zksso/sdk').SendCallsAccount> = {
    ...sdk,
    loadDevStackNetwork: node.loadDevStackNetwork,
    createZkLoginAccount: (p) => sdk.createZkLoginAccount({ httpTransport: node.nodeHttpTransport, ...p }),
    restorePasskeyAccount: async (p) =>
      sdk.toPasskeySmartAccount({ ...p, clients: await sdk.createZkSsoClients(p.network) }),
  };
  return typed as CliSdk;
}
