// Type-only imports: the SDK's session sending still drags Node packages in through @zksso/contracts
// (issue #14), so this module takes the function as a parameter instead of importing it.
import type { SendCallsResult } from '../actions/sendCalls.ts';
import type { sendSessionCalls } from '../actions/sendSessionCalls.ts';
import type { ZkSsoNetwork } from '../network.ts';
import type { SessionRecord } from '../session-record.ts';
import type { SessionCall } from './session-fit.ts';

/**
 * One batch the provider wants to send with a session key.
 *
 * @example
 * ```ts
 * const request: SessionExecutionRequest = { session, chainId: 31337, calls: [{ to, value: 1n }] };
 * ```
 */
export interface SessionExecutionRequest {
  /** The stored session, private key included (it never left the dapp). */
  session: SessionRecord;
  chainId: number;
  calls: readonly SessionCall[];
  /** EIP-5792 capabilities of the batch (`paymasterService`...), when the dapp gave any. */
  capabilities?: Record<string, unknown>;
}

/**
 * The outcome of an included batch (the SDK's `SendCallsResult`).
 *
 * @example
 * ```ts
 * const outcome: SessionExecution = { userOpHash, transactionHash, success: true };
 * ```
 */
export interface SessionExecution {
  userOpHash?: `0x${string}`;
  transactionHash: `0x${string}`;
  success: boolean;
}

/**
 * Sends calls with a session key, without the popup. `canExecute` says whether this executor can try
 * (the right chain, a supported capability set); `execute` sends and waits for inclusion. A refusal
 * before sending (a limit already used up, a revoked or expired session: errors with the SDK's codes
 * `SESSION_LIMIT_EXCEEDED`, `SESSION_NOT_ACTIVE`, `SESSION_POLICY_VIOLATION`) makes the provider fall back
 * to the popup; any other error reaches the dapp.
 *
 * @example
 * ```ts
 * const executor: SessionExecutor = {
 *   canExecute: ({ chainId }) => chainId === 31337,
 *   execute: ({ session, calls }) => mySender(session, calls),
 * };
 * ```
 */
export interface SessionExecutor {
  canExecute(request: SessionExecutionRequest): boolean | Promise<boolean>;
  execute(request: SessionExecutionRequest): Promise<SessionExecution>;
}

/** The SDK error codes that mean "this session cannot carry the batch": the popup takes over. */
export const SESSION_REFUSAL_CODES = [
  'SESSION_LIMIT_EXCEEDED',
  'SESSION_NOT_ACTIVE',
  'SESSION_POLICY_VIOLATION',
] as const;

/**
 * Is `error` a session refusal (one of {@link SESSION_REFUSAL_CODES})?
 *
 * @example
 * ```ts
 * isSessionRefusal(new SessionNotActiveError('revoked')); // true
 * ```
 */
export function isSessionRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (SESSION_REFUSAL_CODES as readonly string[]).includes(code);
}

/**
 * A {@link SessionExecutor} over the SDK's `sendSessionCalls`, given the zkSSO network of each chain
 * (bundler URL, validator addresses). Batches with a `paymasterService` capability go to the popup: the
 * SDK's session sending has no paymaster yet.
 *
 * TODO(issue #14): once `@zksso/sdk` bundles for the browser, import `sendSessionCalls` here and make
 * this the provider's default; until then the dapp passes it (Node and bundlers that polyfill work today).
 *
 * @example
 * ```ts
 * import { sendSessionCalls } from '@zksso/sdk';
 * const sessionExecutor = createSdkSessionExecutor({ networks: [network], sendSessionCalls });
 * const provider = createZkSsoProvider({ authServerUrl, metadata, chains, sessionExecutor });
 * ```
 */
export function createSdkSessionExecutor(options: {
  networks: readonly ZkSsoNetwork[];
  sendSessionCalls: typeof sendSessionCalls;
}): SessionExecutor {
  const networkOf = (chainId: number) => options.networks.find((n) => n.chainId === chainId);
  return {
    canExecute: ({ session, chainId, capabilities }) =>
      networkOf(chainId) !== undefined &&
      session.chainId === chainId &&
      capabilities?.paymasterService === undefined,
    async execute({ session, chainId, calls }): Promise<SessionExecution> {
      const network = networkOf(chainId);
      if (!network) throw new Error(`No zkSSO network for chain ${chainId}`);
      const result: SendCallsResult = await options.sendSessionCalls({
        network,
        session,
        calls: calls.map((call) => ({ ...call })),
      });
      return {
        userOpHash: result.userOpHash,
        transactionHash: result.transactionHash,
        success: result.success,
      };
    },
  };
}
