import { ZkSsoError } from '../errors.ts';

/**
 * Every code {@link ProviderError} can carry. Stable: callers may switch on them.
 *
 * @example
 * ```ts
 * const code: ProviderErrorCode = 'TOKEN_RESPONSE_MISSING_ID_TOKEN';
 * ```
 */
export type ProviderErrorCode =
  | 'UNKNOWN_PROVIDER'
  | 'AUTH_PARAM_INVALID'
  | 'REDIRECT_URI_INVALID'
  | 'MICROSOFT_TENANT_INVALID'
  | 'TOKEN_EXCHANGE_UNSUPPORTED'
  | 'CLIENT_SECRET_REQUIRED'
  | 'TOKEN_RESPONSE_MALFORMED'
  | 'TOKEN_RESPONSE_ERROR'
  | 'TOKEN_RESPONSE_MISSING_ID_TOKEN'
  | 'ISSUER_INVALID'
  | 'DISCOVERY_INVALID'
  | 'DISCOVERY_ISSUER_MISMATCH'
  | 'DISCOVERY_RS256_UNSUPPORTED';

/**
 * An OpenID provider description, authorization request or token response that zkSSO cannot use.
 * `details` never holds a token, code or client secret.
 *
 * @example
 * ```ts
 * try {
 *   parseTokenResponse(json);
 * } catch (error) {
 *   if (error instanceof ProviderError && error.code === 'TOKEN_RESPONSE_ERROR') retryLogin();
 * }
 * ```
 */
export class ProviderError extends ZkSsoError {
  declare readonly code: ProviderErrorCode;

  constructor(
    code: ProviderErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    cause?: unknown,
  ) {
    super(code, message, { details, cause });
  }
}
