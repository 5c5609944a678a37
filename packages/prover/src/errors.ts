import { ZkSsoError } from '@zksso/core';

/**
 * Codes the prover service itself raises. Token and claim problems keep the codes of `@zksso/core` and
 * `@zksso/circuits` (JWT_MALFORMED, JWT_TOO_LONG, CLAIM_TOO_LONG, NONCE_MISMATCH, JWT_SIGNATURE_INVALID...).
 */
export type ProverErrorCode =
  | 'BAD_REQUEST'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'PAYLOAD_TOO_LARGE'
  | 'ISSUER_NOT_ALLOWED'
  | 'JWKS_UNAVAILABLE'
  | 'JWT_KID_UNKNOWN'
  | 'JWT_SIGNATURE_INVALID'
  | 'EXPIRY_INVALID'
  | 'CLAIM_NOT_NUMBER'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_NOT_YET_VALID'
  | 'AUDIENCE_NOT_ALLOWED'
  | 'RATE_LIMITED'
  | 'CLIENT_CLOSED'
  | 'QUEUE_FULL'
  | 'PROVE_TIMEOUT'
  | 'PROVE_FAILED'
  | 'SHUTTING_DOWN'
  | 'NOT_READY'
  | 'INTERNAL';

const STATUS: Readonly<Record<ProverErrorCode, number>> = {
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  ISSUER_NOT_ALLOWED: 400,
  JWKS_UNAVAILABLE: 503,
  JWT_KID_UNKNOWN: 400,
  JWT_SIGNATURE_INVALID: 400,
  EXPIRY_INVALID: 400,
  CLAIM_NOT_NUMBER: 400,
  TOKEN_EXPIRED: 400,
  TOKEN_NOT_YET_VALID: 400,
  AUDIENCE_NOT_ALLOWED: 400,
  RATE_LIMITED: 429,
  // nginx's "client closed request": never seen by the client (it is gone), only in logs and metrics.
  CLIENT_CLOSED: 499,
  QUEUE_FULL: 503,
  PROVE_TIMEOUT: 504,
  PROVE_FAILED: 500,
  SHUTTING_DOWN: 503,
  NOT_READY: 503,
  INTERNAL: 500,
};

/**
 * An error of the prover service with its HTTP status and, for 429s and 503s, a `Retry-After` hint in
 * seconds.
 *
 * @example
 * ```ts
 * throw new ProverError('ISSUER_NOT_ALLOWED', 'issuer is not on the allow-list', { details: { iss } });
 * ```
 */
export class ProverError extends ZkSsoError {
  declare readonly code: ProverErrorCode;
  /** HTTP status the service answers with. */
  readonly status: number;
  /** Seconds a client should wait before retrying (sent as `Retry-After`), when retrying can help. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ProverErrorCode,
    message: string,
    options: {
      details?: Record<string, unknown>;
      cause?: unknown;
      retryAfterSeconds?: number;
      /** Overrides the code's usual status (JWKS_UNAVAILABLE is 502 for a bad upstream answer). */
      status?: number;
    } = {},
  ) {
    super(code, message, options);
    this.status = options.status ?? STATUS[code];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** An HTTP error answer: status, JSON body and optional Retry-After. */
export interface ErrorAnswer {
  readonly status: number;
  readonly body: { error: { code: string; message: string; details?: Record<string, unknown> } };
  readonly retryAfterSeconds?: number;
}

/**
 * Maps anything thrown by the pipeline to the answer a client gets. Deliberate zkSSO errors from core and
 * circuits (token, claim, nonce, key problems: all the client's input) become 400 with their own code;
 * anything else is a 500 INTERNAL whose message reveals nothing.
 *
 * @example
 * ```ts
 * toErrorAnswer(new JwtTooLongError(2000, 1600)); // { status: 400, body: { error: { code: 'JWT_TOO_LONG', ... } } }
 * ```
 */
export function toErrorAnswer(error: unknown): ErrorAnswer {
  if (error instanceof ProverError) {
    return {
      status: error.status,
      body: { error: withDetails(error.code, error.message, error.details) },
      ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
    };
  }
  if (error instanceof ZkSsoError) {
    // A proof that fails its own verification key is the server's fault, not the client's.
    const status = error.code === 'PROOF_SELF_CHECK_FAILED' ? 500 : 400;
    return { status, body: { error: withDetails(error.code, error.message, error.details) } };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'internal error' } } };
}

function withDetails(code: string, message: string, details: Readonly<Record<string, unknown>>) {
  return Object.keys(details).length === 0 ? { code, message } : { code, message, details: { ...details } };
}
