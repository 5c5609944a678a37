import { ZkSsoError } from '@zksso/core';

/**
 * The exit codes scripts can rely on.
 *
 * @example
 * ```ts
 * process.exitCode = ExitCode.Usage; // 2
 * ```
 */
export const ExitCode = {
  /** Done. */
  Ok: 0,
  /** A bug or an error nobody planned for (the message says what). */
  Unexpected: 1,
  /** Bad command line, option value, policy or network file. */
  Usage: 2,
  /** Not logged in, the login (ephemeral key) expired, or the chain was reset since: log in again. */
  Auth: 3,
  /**
   * Refused, nothing paid: by the chain, the bundler, the prover, the OpenID provider, a session's limits or
   * status, or the pre-send check (the calls would revert).
   */
  Refused: 4,
  /** A service is unreachable or failing, or the dev stack is not running: try again later. */
  Unavailable: 5,
} as const;
/** One of {@link ExitCode}'s values. @example `const code: ExitCode = ExitCode.Ok;` */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const BY_CODE: Readonly<Record<string, ExitCode>> = {
  USAGE: ExitCode.Usage,
  NETWORK_INVALID: ExitCode.Usage,
  SESSION_UNKNOWN: ExitCode.Usage,
  NOT_LOGGED_IN: ExitCode.Auth,
  EPHEMERAL_KEY_EXPIRED: ExitCode.Auth,
  // The login (and sessions) were made on a chain that has since been reset: log in again.
  CHAIN_CHANGED: ExitCode.Auth,
  // `zksso passkey login` with no saved passkey (or none this chain knows): create one first.
  PASSKEY_NOT_FOUND: ExitCode.Auth,
  PASSKEY_ASSERTION_REFUSED: ExitCode.Refused,
  SESSION_LIMIT_EXCEEDED: ExitCode.Refused,
  SESSION_NOT_ACTIVE: ExitCode.Refused,
  PROOF_REFUSED: ExitCode.Refused,
  WRONG_CHAIN: ExitCode.Refused,
  CALL_REVERTED: ExitCode.Refused,
  CALLS_REVERTED: ExitCode.Refused,
  CALL_WOULD_REVERT: ExitCode.Refused,
  LOGIN_REFUSED: ExitCode.Refused,
  SESSION_POLICY_VIOLATION: ExitCode.Refused,
  USER_OPERATION_REVERTED: ExitCode.Refused,
  USER_OPERATION_REFUSED: ExitCode.Refused,
  DEV_STACK_NOT_RUNNING: ExitCode.Unavailable,
  SERVICE_ERROR: ExitCode.Unavailable,
  SERVICE_UNAVAILABLE: ExitCode.Unavailable,
};

/** Node's codes for a connection that could not be made or was cut. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

/**
 * Whether an error (or one of its causes) is a failed HTTP connection: a service that is not there.
 *
 * @example
 * ```ts
 * isConnectionError(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })); // true
 * ```
 */
export function isConnectionError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current; depth++) {
    const e = current as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
    if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return true;
    // viem wraps fetch failures in HttpRequestError; the underlying cause is not always kept.
    if (e.name === 'HttpRequestError') return true;
    if (e.message === 'fetch failed') return true;
    current = e.cause;
  }
  return false;
}

/**
 * The bundler's refusal of a user operation as viem reports it (`UserOperationExecutionError` and the
 * specific `UserOperation…Error`s: expired, out of time range, prefund…), unless the cause is a connection
 * failure. Errors the SDK understood arrive as its own coded errors instead; these are the rest.
 *
 * @example
 * ```ts
 * isBundlerRefusal(Object.assign(new Error('User Operation expired.'), { name: 'UserOperationExpiredError' })); // true
 * ```
 */
export function isBundlerRefusal(error: unknown): boolean {
  if (isConnectionError(error)) return false;
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current; depth++) {
    const name = (current as { name?: unknown }).name;
    if (typeof name === 'string' && /^UserOperation\w*Error$/.test(name)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * The documented exit code for an error: by its stable `code` for a {@link ZkSsoError}, 5 for a refused or
 * cut connection, 1 for anything else. Session policy errors (`SessionPolicyError`) are usage errors (2).
 *
 * @example
 * ```ts
 * exitCodeFor(new ZkSsoError('SESSION_LIMIT_EXCEEDED', 'over the limit')); // 4
 * ```
 */
export function exitCodeFor(error: unknown): ExitCode {
  // By code rather than by class: an error from another copy of @zksso/core maps the same way.
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  if (typeof code === 'string') {
    const mapped = BY_CODE[code];
    if (mapped !== undefined) return mapped;
  }
  if (error instanceof ZkSsoError && name === 'SessionPolicyError') return ExitCode.Usage;
  if (isConnectionError(error)) return ExitCode.Unavailable;
  if (isBundlerRefusal(error)) return ExitCode.Refused;
  return ExitCode.Unexpected;
}
