import { ZkSsoError } from '@zksso/core';
import type { Address } from 'viem';

/**
 * No dev stack is running where one was looked for: `<stateDir>/stack.json` is missing or unreadable.
 *
 * @example
 * ```ts
 * try { loadDevStackNetwork(); } catch (e) { if (e instanceof DevStackNotRunningError) console.log('run `npm run dev` first'); }
 * ```
 */
export class DevStackNotRunningError extends ZkSsoError {
  constructor(path: string, reason: string) {
    super(
      'DEV_STACK_NOT_RUNNING',
      `no running dev stack: ${path} ${reason} (start one with \`npm run dev\`)`,
      {
        details: { path, reason },
      },
    );
  }
}

/**
 * The RPC node, the bundler or a saved session belongs to another chain than the network expects.
 *
 * @example
 * ```ts
 * await createZkSsoClients(network); // throws WrongChainError, details { expected: 31337, actual: 1, where: 'rpc' }
 * ```
 */
export class WrongChainError extends ZkSsoError {
  constructor(expected: number, actual: number, where: 'rpc' | 'bundler' | 'session') {
    super('WRONG_CHAIN', `the ${where} is on chain ${actual}, expected chain ${expected}`, {
      details: { expected, actual, where },
    });
  }
}

/**
 * The ephemeral key of a login has expired: log in again (a new key, token and proof).
 *
 * @example
 * ```ts
 * await sendCalls({ network, account, calls }); // throws EphemeralKeyExpiredError, details { expiry, now }
 * ```
 */
export class EphemeralKeyExpiredError extends ZkSsoError {
  constructor(expiry: number, now: number) {
    super('EPHEMERAL_KEY_EXPIRED', `the ephemeral key expired at ${expiry} (now ${now}): log in again`, {
      details: { expiry, now },
    });
  }
}

/**
 * The proof was refused: by the prover (its error code, e.g. `JWT_TOO_LONG`, `NONCE_MISMATCH`) or on chain
 * (a verifier, JwkRegistry or validator error).
 *
 * @example
 * ```ts
 * // details { by: 'prover', code: 'JWT_TOO_LONG', reason: '…' }
 * ```
 */
export class ProofRefusedError extends ZkSsoError {
  constructor(by: 'prover' | 'chain', reason: string, code?: string, options: { cause?: unknown } = {}) {
    super('PROOF_REFUSED', `the proof was refused by the ${by}: ${reason}`, {
      details: { by, reason, ...(code ? { code } : {}) },
      ...options,
    });
  }
}

/** What a session limit applies to. */
export type SessionLimitPolicy = 'fee' | 'transfer' | 'call' | 'constraint';

/** Details of a {@link SessionLimitExceededError}. */
export interface SessionLimitExceededDetails {
  policy: SessionLimitPolicy;
  /** The target of the transfer or call policy (absent for the fee). */
  target?: Address;
  limitKind: 'lifetime' | 'allowance' | 'unlimited';
  limit: bigint;
  /** What this call asked for. */
  requested: bigint;
  /** What was left in the current period (allowance) or over the session's life (lifetime). */
  remaining: bigint;
  /** Unix seconds when an allowance starts again; absent for a lifetime limit. */
  resetsAt?: number;
  /** The call of the batch that went over. */
  callIndex: number;
}

/**
 * A session operation would go over one of the session's limits: which one, how much is left and when an
 * allowance resets.
 *
 * @example
 * ```ts
 * try { await sendSessionCalls({ network, session, calls }); }
 * catch (e) { if (e instanceof SessionLimitExceededError) console.log(e.details.remaining, e.details.resetsAt); }
 * ```
 */
export class SessionLimitExceededError extends ZkSsoError {
  declare readonly details: Readonly<SessionLimitExceededDetails>;
  constructor(details: SessionLimitExceededDetails, options: { cause?: unknown } = {}) {
    const when = details.resetsAt ? `; it resets at ${new Date(details.resetsAt * 1000).toISOString()}` : '';
    super(
      'SESSION_LIMIT_EXCEEDED',
      `the session's ${details.limitKind} ${details.policy} limit${details.target ? ` for ${details.target}` : ''} allows ${details.remaining} more, ${details.requested} was asked${when}`,
      { details: { ...details }, ...options },
    );
  }
}

/**
 * The session cannot be used: revoked, expired, or never created for this account.
 *
 * @example
 * ```ts
 * await sendSessionCalls({ network, session, calls }); // throws SessionNotActiveError, details { status: 'revoked' }
 * ```
 */
export class SessionNotActiveError extends ZkSsoError {
  constructor(status: 'revoked' | 'expired' | 'not-found', options: { cause?: unknown } = {}) {
    super('SESSION_NOT_ACTIVE', `the session is ${status}`, { details: { status }, ...options });
  }
}

/** A service the SDK talks to. */
export type ZkSsoService = 'salt' | 'prover' | 'bundler' | 'idp' | 'rpc';

/**
 * A service answered with an error or could not be reached (`status` 0). `code` is the service's own error
 * code when it sent one.
 *
 * @example
 * ```ts
 * // details { service: 'salt', status: 401, code: 'TOKEN_INVALID' }
 * ```
 */
export class ServiceError extends ZkSsoError {
  constructor(
    service: ZkSsoService,
    status: number,
    code: string | undefined,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super('SERVICE_ERROR', `${service}: ${message}`, {
      details: { service, status, ...(code ? { code } : {}) },
      ...options,
    });
  }
}

/**
 * A user operation was included but its calls reverted (where the SDK needs them to succeed: creating or
 * revoking a session). The gas was paid.
 *
 * @example
 * ```ts
 * await revokeSession({ network, account, sessionHash }); // already revoked: throws CallsRevertedError
 * ```
 */
export class CallsRevertedError extends ZkSsoError {
  constructor(action: string, transactionHash: string) {
    super('CALLS_REVERTED', `${action} reverted on chain (transaction ${transactionHash})`, {
      details: { action, transactionHash },
    });
  }
}

/**
 * A session operation breaks one of the session's rules other than a usage limit: no policy for the target
 * or function, a per-use maximum, a constraint, a banned target. `reason` is the validator's error name.
 *
 * @example
 * ```ts
 * // details { reason: 'TransferPolicyNotFound', callIndex: 0 }
 * ```
 */
export class SessionPolicyViolationError extends ZkSsoError {
  constructor(reason: string, details: Record<string, unknown>, options: { cause?: unknown } = {}) {
    super('SESSION_POLICY_VIOLATION', `the session does not allow this: ${reason}`, {
      details: { reason, ...details },
      ...options,
    });
  }
}
