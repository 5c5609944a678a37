import { ZkSsoError } from '@zksso/core';

/** Codes the dev IdP answers with (as `{"error":{"code","message"}}`). */
export type DevIdpErrorCode =
  | 'DEV_IDP_BAD_REQUEST'
  | 'DEV_IDP_INVALID_USER'
  | 'DEV_IDP_NOT_FOUND'
  | 'DEV_IDP_METHOD_NOT_ALLOWED'
  | 'DEV_IDP_UNSUPPORTED_MEDIA_TYPE'
  | 'DEV_IDP_INTERNAL';

/** The HTTP status of each code the server answers with. */
export const DEV_IDP_STATUS: Readonly<Partial<Record<DevIdpErrorCode, number>>> = {
  DEV_IDP_BAD_REQUEST: 400,
  DEV_IDP_INVALID_USER: 400,
  DEV_IDP_NOT_FOUND: 404,
  DEV_IDP_METHOD_NOT_ALLOWED: 405,
  DEV_IDP_UNSUPPORTED_MEDIA_TYPE: 415,
  DEV_IDP_INTERNAL: 500,
};

/**
 * An error of the dev IdP, answered with the status of its code ({@link DEV_IDP_STATUS}) and the body
 * `{"error":{"code","message"}}`. A client logging in sees it as the SDK's `LoginRefusedError` (`devLogin` of
 * `@zksso/sdk`), whose `details.code` is this code.
 *
 * @example
 * ```ts
 * throw new DevIdpError('DEV_IDP_BAD_REQUEST', 'request body too large');
 * // answered as 400 {"error":{"code":"DEV_IDP_BAD_REQUEST","message":"request body too large"}}
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
