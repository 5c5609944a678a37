// The part of @zksso/sdk the CLI uses, as an interface typed with the SDK's own types: commands take it from
// their context, so their tests can pass a fake, and the SDK (which loads viem's account machinery) is only
// imported by commands that need it.
import type {
  Call,
  CreateSessionParameters,
  CreateSessionReturnType,
  CreateZkLoginAccountParameters,
  GetSessionStateParameters,
  GetSessionStateReturnType,
  IdTokenSource,
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
  ZkLoginSession,
  ZkSsoNetwork,
} from '@zksso/sdk';
import type { loadDevStackNetwork } from '@zksso/sdk/node';

export type {
  Call,
  IdTokenSource,
  SendCallsSignatureMode,
  SessionLimitState,
  SessionRecord,
  SessionState,
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
  const typed: CliSdk<import('@zksso/sdk').ZkLoginSmartAccount> = {
    ...sdk,
    loadDevStackNetwork: node.loadDevStackNetwork,
    createZkLoginAccount: (p) => sdk.createZkLoginAccount({ httpTransport: node.nodeHttpTransport, ...p }),
  };
  return typed as CliSdk;
}
