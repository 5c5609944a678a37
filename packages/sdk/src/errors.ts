import { ZkSsoError } from '@zksso/core';
import type { Address, Hex } from 'viem';
import { formatEth, formatLimitAmount, type TokenUnit } from './units.ts';

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
  /** For a constraint on a token amount: the token's units when it has `symbol()` and `decimals()`. */
  unit?: TokenUnit;
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
    // People read ETH (or the token's units); the raw integers stay in `details`.
    const amount = (value: bigint) => formatLimitAmount(details.policy, value, details.unit);
    super(
      'SESSION_LIMIT_EXCEEDED',
      `the session's ${details.limitKind} ${details.policy} limit${details.target ? ` for ${details.target}` : ''} allows ${amount(details.remaining)} more, ${amount(details.requested)} was asked${when}`,
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

/** Why a call would revert: the kind of reason {@link CallWouldRevertError} found. */
export type RevertKind = 'insufficient-balance' | 'revert-string' | 'custom-error' | 'panic' | 'no-reason';

/** Details of a {@link CallWouldRevertError}. Amounts in wei. */
export interface CallWouldRevertDetails {
  kind: RevertKind;
  /** The reason in words: the revert string, the decoded custom error, the panic, or the balance. */
  reason: string;
  /** The call of the batch that would revert (the first one). */
  callIndex?: number;
  to?: Address;
  /** A decoded custom error's name and arguments (as strings). */
  errorName?: string;
  args?: string[];
  /** The raw revert data. */
  data?: Hex;
  /** `insufficient-balance`: what the account holds, what the calls send, the most the fees can cost. */
  balance?: bigint;
  value?: bigint;
  maxFee?: bigint;
}

/**
 * The calls would revert if sent now, so nothing was sent and nothing paid: simulated against the current
 * state before the user operation goes to the bundler. `reason` says why in words (the account's balance, a
 * revert string, a custom error decoded with the known ABIs, a panic); `callIndex` which call.
 *
 * @example
 * ```ts
 * try { await sendCalls({ network, account, calls }); }
 * catch (e) { if (e instanceof CallWouldRevertError) console.log(e.details.callIndex, e.details.reason); }
 * ```
 */
export class CallWouldRevertError extends ZkSsoError {
  declare readonly details: Readonly<CallWouldRevertDetails>;
  constructor(details: CallWouldRevertDetails, options: { cause?: unknown } = {}) {
    const which =
      details.kind === 'insufficient-balance'
        ? ''
        : `call ${details.callIndex ?? 0}${details.to ? ` to ${details.to}` : ''} would revert: `;
    super('CALL_WOULD_REVERT', `${which}${details.reason} (nothing was sent)`, {
      details: { ...details },
      ...options,
    });
  }
}

/**
 * The balance check behind an `insufficient-balance` {@link CallWouldRevertError}: the account must hold the
 * calls' value plus what the fees can cost beyond its EntryPoint deposit.
 *
 * @example
 * ```ts
 * insufficientBalance({ balance: 98n * 10n ** 16n, value: 5n * 10n ** 18n, maxFee: 10n ** 15n, callIndex: 0 });
 * // CallWouldRevertError: the account holds 0.98 ETH, the calls send 5 ETH (fees up to 0.001 ETH more)
 * ```
 */
export function insufficientBalance(p: {
  balance: bigint;
  value: bigint;
  maxFee: bigint;
  callIndex: number;
  to?: Address;
}): CallWouldRevertError {
  const reason =
    p.value > 0n
      ? `the account holds ${formatEth(p.balance)}, the calls send ${formatEth(p.value)} (and the fees may cost up to ${formatEth(p.maxFee)})`
      : `the account holds ${formatEth(p.balance)}, the fees may cost up to ${formatEth(p.maxFee)}`;
  return new CallWouldRevertError({
    kind: 'insufficient-balance',
    reason,
    callIndex: p.callIndex,
    ...(p.to ? { to: p.to } : {}),
    balance: p.balance,
    value: p.value,
    maxFee: p.maxFee,
  });
}

/**
 * The chain answering at the network's RPC URL is not the one a saved login or session was made on: its
 * genesis block differs (a dev chain started afresh, or another chain with the same id). The account, its
 * key and its sessions do not exist there.
 *
 * @example
 * ```ts
 * await restoreZkLoginAccount({ network, session }); // throws ChainChangedError, details { where: 'login', saved, current }
 * ```
 */
export class ChainChangedError extends ZkSsoError {
  constructor(where: 'login' | 'session', saved: Hex, current: Hex) {
    const again = where === 'login' ? 'log in again' : 'log in and create the session again';
    super(
      'CHAIN_CHANGED',
      `the chain is not the one this ${where} was made on (its genesis block changed: the dev chain was reset since): ${again}`,
      { details: { where, saved, current } },
    );
  }
}

/**
 * The OpenID provider or the salt service answered but refused the login: an unknown user or client, a
 * token for an audience the salt service does not accept, a denied consent. Not an outage: trying again the
 * same way fails the same way.
 *
 * @example
 * ```ts
 * // details { by: 'idp', status: 400, code: 'invalid_client' }
 * ```
 */
export class LoginRefusedError extends ZkSsoError {
  constructor(
    by: 'idp' | 'salt',
    status: number,
    code: string | undefined,
    message: string,
    options: { cause?: unknown; user?: string } = {},
  ) {
    super(
      'LOGIN_REFUSED',
      `the login was refused by the ${by === 'idp' ? 'OpenID provider' : 'salt service'}: ${message}`,
      {
        details: {
          by,
          status,
          ...(code ? { code } : {}),
          ...(options.user !== undefined ? { user: options.user } : {}),
        },
        ...(options.cause === undefined ? {} : { cause: options.cause }),
      },
    );
  }
}
