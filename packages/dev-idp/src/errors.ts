import { ZkSsoError } from '@zksso/core';

/** Codes the dev IdP answers with (as `{"error":{"code","message"}}`) or {@link fetchIdToken} throws. */
export type DevIdpErrorCode =
  | 'DEV_IDP_BAD_REQUEST'
  | 'DEV_IDP_INVALID_USER'
  | 'DEV_IDP_NOT_FOUND'
  | 'DEV_IDP_METHOD_NOT_ALLOWED'
  | 'DEV_IDP_UNSUPPORTED_MEDIA_TYPE'
  | 'DEV_IDP_INTERNAL'
  | 'DEV_IDP_LOGIN_FAILED'
  | 'DEV_IDP_HTTP';

/** The HTTP status of each code the server answers with (the client-side codes have none). */
export const DEV_IDP_STATUS: Readonly<Partial<Record<DevIdpErrorCode, number>>> = {
  DEV_IDP_BAD_REQUEST: 400,
  DEV_IDP_INVALID_USER: 400,
  DEV_IDP_NOT_FOUND: 404,
  DEV_IDP_METHOD_NOT_ALLOWED: 405,
  DEV_IDP_UNSUPPORTED_MEDIA_TYPE: 415,
  DEV_IDP_INTERNAL: 500,
};

/**
 * An error of the dev IdP or of {@link fetchIdToken}. {@link fetchIdToken} throws `DEV_IDP_LOGIN_FAILED` (the
 * flow did not end at the redirect URI with a token, e.g. a refused user name; `details.code` carries the
 * IdP's own code) or `DEV_IDP_HTTP` (discovery failed); the server answers the codes of
 * {@link DEV_IDP_STATUS} with their status.
 *
 * @example
 * ```ts
 * try {
 *   await fetchIdToken({ issuerUrl, user: 'not a name', nonce });
 * } catch (error) {
 *   if (error instanceof DevIdpError && error.code === 'DEV_IDP_LOGIN_FAILED') console.log(error.details);
 * }
 * ```
 */
export class DevIdpError extends ZkSsoError {
  declare readonly code: DevIdpErrorCode;
  /** The methods a 405 answer lists in its `Allow` header. */
  readonly allow: readonly string[] | undefined;

  constructor(
    code: DevIdpErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; cause?: unknown; allow?: readonly string[] } = {},
  ) {
    super(code, message, options);
    this.allow = options.allow;
  }

  /** The HTTP status the server answers this error with (400 for a code without one). */
  get status(): number {
    return DEV_IDP_STATUS[this.code] ?? 400;
  }
}
