import { ZkSsoError } from '@zksso/core';

/** Stable error codes of the salt service (the `code` of a 4xx/5xx answer). */
export type SaltErrorCode =
  | 'BAD_REQUEST'
  | 'PAYLOAD_TOO_LARGE'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'INVALID_TOKEN'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_NOT_YET_VALID'
  | 'ISSUER_NOT_ALLOWED'
  | 'AUDIENCE_NOT_ALLOWED'
  | 'KEY_CLAIM_NOT_ALLOWED'
  | 'EMAIL_NOT_VERIFIED'
  | 'CLAIM_TOO_LONG'
  | 'RATE_LIMITED'
  | 'OVERLOADED'
  | 'SHUTTING_DOWN'
  | 'JWKS_UNAVAILABLE'
  | 'INTERNAL_ERROR'
  | 'CONFIG_INVALID'
  | 'RESTORE_CONFLICT'
  | 'BACKUP_INVALID';

const STATUS: Record<SaltErrorCode, number> = {
  BAD_REQUEST: 400,
  PAYLOAD_TOO_LARGE: 413,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INVALID_TOKEN: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_NOT_YET_VALID: 401,
  ISSUER_NOT_ALLOWED: 403,
  AUDIENCE_NOT_ALLOWED: 403,
  KEY_CLAIM_NOT_ALLOWED: 400,
  EMAIL_NOT_VERIFIED: 403,
  CLAIM_TOO_LONG: 422,
  RATE_LIMITED: 429,
  OVERLOADED: 503,
  SHUTTING_DOWN: 503,
  JWKS_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
  CONFIG_INVALID: 500,
  RESTORE_CONFLICT: 409,
  BACKUP_INVALID: 400,
};

/**
 * An error of the salt service. `status` is the HTTP status it is answered with; `retryAfterSeconds` (429/503)
 * becomes the `Retry-After` header. Details never carry the token, the salt or the subject.
 *
 * @example
 * ```ts
 * throw new SaltError('ISSUER_NOT_ALLOWED', 'issuer is not on the allow-list', { details: { iss } });
 * ```
 */
export class SaltError extends ZkSsoError {
  declare readonly code: SaltErrorCode;
  readonly status: number;
  readonly retryAfterSeconds: number | undefined;
  readonly allow: readonly string[] | undefined;

  constructor(
    code: SaltErrorCode,
    message: string,
    options: {
      cause?: unknown;
      details?: Record<string, unknown>;
      retryAfterSeconds?: number;
      /** The methods a 405 answer lists in its `Allow` header. */
      allow?: readonly string[];
    } = {},
  ) {
    super(code, message, options);
    this.status = STATUS[code];
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.allow = options.allow;
  }
}
