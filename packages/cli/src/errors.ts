import { ZkSsoError } from '@zksso/core';

/**
 * The command line is wrong: an unknown option, a missing or malformed value (code `USAGE`, exit code 2).
 *
 * @example
 * ```ts
 * throw new CliUsageError('--value is required', { option: '--value' });
 * ```
 */
export class CliUsageError extends ZkSsoError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('USAGE', message, { details });
  }
}

/**
 * No login is saved in the CLI home (code `NOT_LOGGED_IN`, exit code 3).
 *
 * @example
 * ```ts
 * throw new NotLoggedInError('/home/me/.local/state/zksso/cli');
 * ```
 */
export class NotLoggedInError extends ZkSsoError {
  constructor(home: string) {
    super('NOT_LOGGED_IN', 'not logged in: run `zksso login` first', { details: { home } });
  }
}

/**
 * The saved login's ephemeral key has expired (code `EPHEMERAL_KEY_EXPIRED`, the SDK's code; exit code 3).
 * Checked before anything is sent, so an expired key never reaches the bundler.
 *
 * @example
 * ```ts
 * throw new LoginExpiredError(1_900_000_000, Math.floor(Date.now() / 1000));
 * ```
 */
export class LoginExpiredError extends ZkSsoError {
  constructor(expiry: number, now: number) {
    super(
      'EPHEMERAL_KEY_EXPIRED',
      `the login expired at ${new Date(expiry * 1000).toISOString()}: run \`zksso login\` again`,
      { details: { expiry, now } },
    );
  }
}

/**
 * A network file (`--network`) or the dev stack's `stack.json` cannot be used (code `NETWORK_INVALID`, exit 2).
 *
 * @example
 * ```ts
 * throw new NetworkInvalidError('/tmp/net.json', 'rpcUrl is missing');
 * ```
 */
export class NetworkInvalidError extends ZkSsoError {
  constructor(file: string, reason: string) {
    super('NETWORK_INVALID', `network file ${file} cannot be used: ${reason}`, { details: { file, reason } });
  }
}

/**
 * A file in the CLI home is unreadable or not in the expected shape (code `STATE_INVALID`, exit code 1).
 *
 * @example
 * ```ts
 * throw new StateInvalidError('/home/me/.local/state/zksso/cli/login.json', 'not JSON');
 * ```
 */
export class StateInvalidError extends ZkSsoError {
  constructor(file: string, reason: string) {
    super('STATE_INVALID', `${file} is not a valid zksso CLI state file: ${reason}`, {
      details: { file, reason },
    });
  }
}

/**
 * No saved session matches what was asked for (code `SESSION_UNKNOWN`, exit code 2).
 *
 * @example
 * ```ts
 * throw new SessionUnknownError('0x12', 'no saved session starts with 0x12');
 * ```
 */
export class SessionUnknownError extends ZkSsoError {
  constructor(session: string | undefined, reason: string) {
    super('SESSION_UNKNOWN', reason, { details: session === undefined ? {} : { session } });
  }
}

/**
 * The account's operation was included but its call reverted (code `CALL_REVERTED`, exit code 4).
 *
 * @example
 * ```ts
 * throw new CallRevertedError('0xabc…', '0xdef…');
 * ```
 */
export class CallRevertedError extends ZkSsoError {
  constructor(userOpHash: string, transactionHash: string) {
    super('CALL_REVERTED', 'the operation was included but its call reverted', {
      details: { userOpHash, transactionHash },
    });
  }
}

/**
 * The saved session asked for (or, without `--session`, the newest of the account) is known here to be
 * revoked (by `zksso session revoke`) or expired: refused before anything is sent (code `SESSION_NOT_ACTIVE`,
 * as the chain's refusal; exit code 4).
 *
 * @example
 * ```ts
 * throw new SavedSessionNotActiveError('0x12…', 'revoked', 1_800_000_000);
 * ```
 */
export class SavedSessionNotActiveError extends ZkSsoError {
  constructor(sessionHash: string, status: 'revoked' | 'expired', since: number) {
    super(
      'SESSION_NOT_ACTIVE',
      `session ${sessionHash} is ${status} (since ${new Date(since * 1000).toISOString()}): create a new one with \`zksso session create\``,
      { details: { status, sessionHash, since } },
    );
  }
}
