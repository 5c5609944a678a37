// The part of @zksso/sdk the CLI uses, as an interface typed with the SDK's own types: commands take it from
// their context, so their tests can pass a fake, and the SDK (which loads viem's account machinery) is only
// imported by commands that need it.
import type { SessionInput } from '@zksso/core';
import type {
  Call,
  IdTokenSource,
  SessionLimitState,
  SessionRecord,
  SessionState,
  ZkLoginSession,
  ZkSsoNetwork,
} from '@zksso/sdk';
import type { Hex } from 'viem';

export type {
  Call,
  IdTokenSource,
  SessionLimitState,
  SessionRecord,
  SessionState,
  ZkLoginSession,
  ZkSsoNetwork,
};

/** What sending returns. @example `const { transactionHash } = await sdk.sendCalls(p);` */
export interface SendResult {
  userOpHash: Hex;
  transactionHash: Hex;
  success: boolean;
}

/** The SDK's login progress steps. @example `const step: LoginStep = 'proof';` */
export type LoginStep = 'token' | 'salt' | 'proof' | 'address';

/**
 * The SDK functions the CLI calls. `Account` is the SDK's `ZkLoginSmartAccount`, opaque to the CLI.
 *
 * @example
 * ```ts
 * const sdk: CliSdk = await loadSdk();
 * ```
 */
export interface CliSdk<Account = unknown> {
  loadDevStackNetwork(stateDir?: string): ZkSsoNetwork;
  createZkLoginAccount(p: {
    network: ZkSsoNetwork;
    source: IdTokenSource;
    clientId?: string;
    expiresInSeconds?: number;
    onProgress?: (step: LoginStep, detail?: string) => void;
  }): Promise<{ account: Account; session: ZkLoginSession }>;
  restoreZkLoginAccount(p: { network: ZkSsoNetwork; session: ZkLoginSession }): Promise<Account>;
  sendCalls(p: { network: ZkSsoNetwork; account: Account; calls: Call[] }): Promise<SendResult>;
  createSession(p: {
    network: ZkSsoNetwork;
    account: Account;
    policy: SessionInput;
    sessionPrivateKey?: Hex;
  }): Promise<{ session: SessionRecord; transactionHash: Hex }>;
  sendSessionCalls(p: { network: ZkSsoNetwork; session: SessionRecord; calls: Call[] }): Promise<SendResult>;
  revokeSession(p: {
    network: ZkSsoNetwork;
    account: Account;
    sessionHash: Hex;
  }): Promise<{ transactionHash: Hex }>;
  getSessionState(p: { network: ZkSsoNetwork; session: SessionRecord }): Promise<SessionState>;
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
