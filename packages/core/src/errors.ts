/**
 * The base class of every error zkSSO throws on purpose.
 *
 * `code` is stable and machine-readable (services send it as the `code` of a 4xx answer); `message` is
 * for people and may change. Subclasses fix the code and carry the facts a caller needs to act
 * (`details`), never a secret (no JWT, salt, key or proof input).
 *
 * @example
 * ```ts
 * try {
 *   decodeJwt(token);
 * } catch (error) {
 *   if (error instanceof ZkSsoError && error.code === 'JWT_MALFORMED') showLoginAgain();
 * }
 * ```
 */
export class ZkSsoError extends Error {
  /** Stable machine-readable code, SCREAMING_SNAKE_CASE (e.g. `CLAIM_TOO_LONG`). */
  readonly code: string;
  /** Facts about the failure that a caller can act on (lengths, limits, claim names). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = Object.freeze({ ...(options.details ?? {}) });
  }
}
