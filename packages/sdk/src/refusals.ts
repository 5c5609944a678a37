import { zkSsoErrorsAbi } from '@zksso/contracts';
import { HttpRequestError } from 'viem';
import { decodeSessionRevert, SESSION_STATUS } from './contracts/index.ts';
import {
  EphemeralKeyExpiredError,
  ProofRefusedError,
  ServiceError,
  SessionNotActiveError,
} from './errors.ts';

// Turns a bundler's refusal (a viem error whose message carries the EntryPoint's reason and the validator's
// revert data) into the SDK's typed errors. Unknown refusals are returned unchanged.

/** Errors of the JwkRegistry and ZkLoginValidator that mean "this proof cannot be used". */
const PROOF_ERRORS = new Set(['UnknownJwk', 'RevokedJwk', 'RotatedJwk', 'InvalidIdentity', 'UnknownTier']);

/** The whole message of an error and its causes (viem nests the bundler's answer). */
export function fullMessage(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 8; depth++) {
    const e = current as { message?: unknown; details?: unknown; data?: unknown; cause?: unknown };
    if (typeof e.message === 'string') parts.push(e.message);
    if (typeof e.details === 'string') parts.push(e.details);
    if (e.data !== undefined) parts.push(typeof e.data === 'string' ? e.data : JSON.stringify(e.data));
    current = e.cause;
  }
  return parts.join('\n');
}

/**
 * Maps the refusal of a zkLogin (main key) operation: `AA22` (the key's `validUntil` passed) →
 * {@link EphemeralKeyExpiredError}; JWK / identity reverts and a failed mode 0x01 signature check →
 * {@link ProofRefusedError} (`by: 'chain'`); an unreachable bundler → {@link ServiceError}.
 *
 * @example
 * ```ts
 * throw mapZkLoginRefusal(error, { expiry: 1_900_000_000, mode: 'prove' });
 * ```
 */
export function mapZkLoginRefusal(
  error: unknown,
  context: { expiry: number; mode: 'prove' | 'key' },
): unknown {
  const message = fullMessage(error);
  if (/AA22|expires too soon|expired or not due/i.test(message)) {
    return new EphemeralKeyExpiredError(context.expiry, Math.floor(Date.now() / 1000));
  }
  // Scans every offset: the validator's error sits inside FailedOpWithRevert's encoding.
  const decoded = decodeSessionRevert(message, zkSsoErrorsAbi);
  if (decoded && PROOF_ERRORS.has(decoded.errorName)) {
    return new ProofRefusedError('chain', decoded.errorName, decoded.errorName, { cause: error });
  }
  if (context.mode === 'prove' && /AA24/.test(message)) {
    return new ProofRefusedError('chain', 'the proof or the key signature did not verify (AA24)', 'AA24', {
      cause: error,
    });
  }
  return unreachable(error) ?? error;
}

/**
 * Maps a session refusal that needs no chain read: `SessionNotActive` / `SessionExpired` →
 * {@link SessionNotActiveError}; an unreachable bundler → {@link ServiceError}. Limit errors are mapped by
 * the caller, which reads the session state for the details.
 *
 * @example
 * ```ts
 * const mapped = mapSessionRefusal(error);
 * ```
 */
export function mapSessionRefusal(error: unknown): unknown {
  const decoded = decodeSessionRevert(fullMessage(error));
  if (decoded?.errorName === 'SessionNotActive') {
    const status = Number(decoded.args[1]);
    return new SessionNotActiveError(status === SESSION_STATUS.notInitialized ? 'not-found' : 'revoked', {
      cause: error,
    });
  }
  if (decoded?.errorName === 'SessionExpired') return new SessionNotActiveError('expired', { cause: error });
  return unreachable(error) ?? error;
}

function unreachable(error: unknown): ServiceError | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 8; depth++) {
    if (current instanceof HttpRequestError) {
      return new ServiceError('bundler', current.status ?? 0, undefined, current.shortMessage, {
        cause: error,
      });
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
