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

/**
 * A value is not an integer in an accepted encoding (bigint, decimal string or `0x` hex string).
 *
 * @example
 * ```ts
 * parseBigInt('12abc'); // throws InvalidIntegerError (code INVALID_INTEGER)
 * ```
 */
export class InvalidIntegerError extends ZkSsoError {
  constructor(name: string, reason: string) {
    super('INVALID_INTEGER', `${name} is not a valid integer: ${reason}`, { details: { name, reason } });
  }
}

/**
 * An integer is outside the range a protocol field allows (`min <= value < maxExclusive`).
 *
 * @example
 * ```ts
 * hashSalt(2n ** 128n); // throws OutOfRangeError (code OUT_OF_RANGE)
 * ```
 */
export class OutOfRangeError extends ZkSsoError {
  constructor(name: string, min: bigint, maxExclusive: bigint) {
    super('OUT_OF_RANGE', `${name} must satisfy ${min} <= ${name} < ${maxExclusive}`, {
      details: { name, min: min.toString(), maxExclusive: maxExclusive.toString() },
    });
  }
}

/**
 * A byte string is not of the length an encoding requires (e.g. 32 bytes for a field element).
 *
 * @example
 * ```ts
 * fromBytes32(new Uint8Array(31)); // throws InvalidLengthError (code INVALID_LENGTH)
 * ```
 */
export class InvalidLengthError extends ZkSsoError {
  constructor(name: string, length: number, expected: string) {
    super('INVALID_LENGTH', `${name} has length ${length}, expected ${expected}`, {
      details: { name, length, expected },
    });
  }
}

/**
 * A claim (or any byte string hashed with `hashBytes`) is longer than the circuit can read (protocol §2).
 *
 * @example
 * ```ts
 * hashBytes('x'.repeat(125), 124); // throws ClaimTooLongError (code CLAIM_TOO_LONG)
 * ```
 */
export class ClaimTooLongError extends ZkSsoError {
  constructor(claim: string, length: number, max: number) {
    super('CLAIM_TOO_LONG', `${claim} is ${length} bytes long; at most ${max} bytes are supported`, {
      details: { claim, length, max },
    });
  }
}

/**
 * A string is not strict base64url (RFC 4648 §5 alphabet, no padding, canonical trailing bits).
 *
 * @example
 * ```ts
 * base64UrlToBytes('ab+c'); // throws InvalidBase64UrlError (code BAD_BASE64URL)
 * ```
 */
export class InvalidBase64UrlError extends ZkSsoError {
  constructor(reason: string) {
    super('BAD_BASE64URL', `invalid base64url: ${reason}`, { details: { reason } });
  }
}

/**
 * A nonce is not the 43-character base64url encoding of a field element (protocol §6).
 *
 * @example
 * ```ts
 * decodeNonce('abc'); // throws NonceMalformedError (code NONCE_MALFORMED)
 * ```
 */
export class NonceMalformedError extends ZkSsoError {
  constructor(reason: string) {
    super('NONCE_MALFORMED', `nonce is malformed: ${reason}`, { details: { reason } });
  }
}

/**
 * An ephemeral public key is not a valid secp256k1 address or P-256 point (protocol §5).
 *
 * @example
 * ```ts
 * ephemeralKeyId({ type: 'p256', x: 1n, y: 1n }); // throws InvalidEphemeralKeyError (code INVALID_EPHEMERAL_KEY)
 * ```
 */
export class InvalidEphemeralKeyError extends ZkSsoError {
  constructor(reason: string) {
    super('INVALID_EPHEMERAL_KEY', `invalid ephemeral key: ${reason}`, { details: { reason } });
  }
}

/**
 * A JWK cannot be used by zksso/v1 (RS256 only, 2048-bit modulus, e = 65537; protocol §7).
 *
 * @example
 * ```ts
 * modulusFromJwk({ kty: 'EC', n: '', e: '' }); // throws UnsupportedJwkError (code JWK_UNSUPPORTED)
 * ```
 */
export class UnsupportedJwkError extends ZkSsoError {
  constructor(reason: string, details: Record<string, unknown> = {}) {
    super('JWK_UNSUPPORTED', `unsupported JWK: ${reason}`, { details: { reason, ...details } });
  }
}

/**
 * A document is not a JWKS (no `keys` array; RFC 7517 §5).
 *
 * @example
 * ```ts
 * filterJwks({}); // throws JwksInvalidError (code JWKS_INVALID)
 * ```
 */
export class JwksInvalidError extends ZkSsoError {
  constructor(reason: string) {
    super('JWKS_INVALID', reason, { details: { reason } });
  }
}

/**
 * How reading an issuer's keys failed: the server could not be reached (or timed out), answered an HTTP
 * error, answered something that is not JSON, not a JWKS, or a discovery document for another issuer.
 *
 * @example
 * ```ts
 * const kind: JwksUnavailableKind = 'unreachable';
 * ```
 */
export type JwksUnavailableKind = 'unreachable' | 'http' | 'not-json' | 'not-jwks' | 'discovery';

/**
 * An issuer's discovery document or JWKS could not be read (code JWKS_UNAVAILABLE). `details` has the `url`,
 * the `kind` of failure, a `reason` for people and, for `http`, the `status`. Services answer 503 for
 * `unreachable` (try again) and 502 otherwise (the issuer answered wrongly).
 *
 * @example
 * ```ts
 * await fetchJwks('https://idp.example/jwks', { fetch, timeoutMs: 1 }); // throws JwksUnavailableError
 * ```
 */
export class JwksUnavailableError extends ZkSsoError {
  readonly url: string;
  readonly kind: JwksUnavailableKind;
  readonly reason: string;

  constructor(
    url: string,
    kind: JwksUnavailableKind,
    reason: string,
    options: { cause?: unknown; status?: number } = {},
  ) {
    super('JWKS_UNAVAILABLE', `${url}: ${reason}`, {
      cause: options.cause,
      details: { url, kind, reason, ...(options.status !== undefined ? { status: options.status } : {}) },
    });
    this.url = url;
    this.kind = kind;
    this.reason = reason;
  }
}

/**
 * A token names a key (`kid`) its issuer does not publish, even after the key set was fetched again
 * (rotated out, or never the issuer's).
 *
 * @example
 * ```ts
 * await jwks.keysFor('https://accounts.google.com', 'no-such-kid'); // throws JwtKidUnknownError (code JWT_KID_UNKNOWN)
 * ```
 */
export class JwtKidUnknownError extends ZkSsoError {
  constructor(issuer: string, kid: string | undefined) {
    super('JWT_KID_UNKNOWN', 'the token names a key its issuer does not publish (rotated out?)', {
      details: { iss: issuer, kid: kid ?? null },
    });
  }
}

/**
 * A list of Groth16 public inputs does not have the shape of protocol §8.
 *
 * @example
 * ```ts
 * parsePublicInputs([1n, 2n]); // throws InvalidPublicInputsError (code INVALID_PUBLIC_INPUTS)
 * ```
 */
export class InvalidPublicInputsError extends ZkSsoError {
  constructor(reason: string) {
    super('INVALID_PUBLIC_INPUTS', `invalid public inputs: ${reason}`, { details: { reason } });
  }
}

/**
 * A JWT is not three dot-separated parts (code JWT_MALFORMED).
 *
 * @example
 * ```ts
 * decodeJwt('abc'); // throws JwtMalformedError
 * ```
 */
export class JwtMalformedError extends ZkSsoError {
  constructor(reason: string) {
    super('JWT_MALFORMED', `JWT is malformed: ${reason}`, { details: { reason } });
  }
}

/**
 * A JWT part is not strict base64url (code JWT_BAD_BASE64URL).
 *
 * @example
 * ```ts
 * decodeJwt('a+b.c.d'); // throws JwtBadBase64UrlError
 * ```
 */
export class JwtBadBase64UrlError extends ZkSsoError {
  constructor(part: 'header' | 'payload' | 'signature', reason: string) {
    super('JWT_BAD_BASE64URL', `JWT ${part} is not valid base64url: ${reason}`, {
      details: { part, reason },
    });
  }
}

/**
 * A JWT header or payload is not a UTF-8 JSON object without duplicate members (code JWT_BAD_JSON).
 *
 * @example
 * ```ts
 * decodeJwt(`${b64('[1]')}.${b64('{}')}.sig`); // throws JwtBadJsonError
 * ```
 */
export class JwtBadJsonError extends ZkSsoError {
  constructor(part: 'header' | 'payload', reason: string) {
    super('JWT_BAD_JSON', `JWT ${part} is not a JSON object: ${reason}`, { details: { part, reason } });
  }
}

/**
 * A JWT is signed with an algorithm other than RS256 (code JWT_UNSUPPORTED_ALG).
 *
 * @example
 * ```ts
 * decodeJwt(es256Token); // throws JwtUnsupportedAlgError
 * ```
 */
export class JwtUnsupportedAlgError extends ZkSsoError {
  constructor(alg: unknown) {
    super(
      'JWT_UNSUPPORTED_ALG',
      `JWT alg ${JSON.stringify(alg) ?? 'undefined'} is not supported (only RS256)`,
      {
        details: { alg: typeof alg === 'string' ? alg : String(alg) },
      },
    );
  }
}

/**
 * A JWT's signed input (`header.payload`) is longer than the largest circuit tier (code JWT_TOO_LONG).
 *
 * @example
 * ```ts
 * decodeJwt(hugeToken); // throws JwtTooLongError, details { length, max }
 * ```
 */
export class JwtTooLongError extends ZkSsoError {
  constructor(length: number, max: number) {
    super('JWT_TOO_LONG', `JWT header.payload is ${length} bytes; at most ${max} bytes can be proved`, {
      details: { length, max },
    });
  }
}

/**
 * A required claim is absent from the JWT payload (code CLAIM_MISSING).
 *
 * @example
 * ```ts
 * extractIdentityClaims(tokenWithoutNonce); // throws ClaimMissingError, details { claim: 'nonce' }
 * ```
 */
export class ClaimMissingError extends ZkSsoError {
  constructor(claim: string) {
    super('CLAIM_MISSING', `JWT payload has no ${claim} claim`, { details: { claim } });
  }
}

/**
 * A claim that must be a string is not one (code CLAIM_NOT_STRING).
 *
 * @example
 * ```ts
 * extractIdentityClaims(tokenWithNumericSub); // throws ClaimNotStringError, details { claim: 'sub' }
 * ```
 */
export class ClaimNotStringError extends ZkSsoError {
  constructor(claim: string, type: string) {
    super('CLAIM_NOT_STRING', `JWT claim ${claim} must be a string, got ${type}`, {
      details: { claim, type },
    });
  }
}

/**
 * The `aud` claim is an array; zksso/v1 needs a single audience (code AUD_IS_ARRAY).
 *
 * @example
 * ```ts
 * extractIdentityClaims(tokenWithAudArray); // throws AudIsArrayError
 * ```
 */
export class AudIsArrayError extends ZkSsoError {
  constructor(count: number) {
    super('AUD_IS_ARRAY', `JWT aud is an array of ${count}; a single string audience is required`, {
      details: { count },
    });
  }
}

/**
 * `email` is the key claim but `email_verified` is not `true` or `"true"` (code EMAIL_NOT_VERIFIED).
 *
 * @example
 * ```ts
 * extractIdentityClaims(decoded, { keyClaimName: 'email' }); // throws EmailNotVerifiedError
 * ```
 */
export class EmailNotVerifiedError extends ZkSsoError {
  constructor() {
    super('EMAIL_NOT_VERIFIED', 'the email claim is not verified (email_verified must be true)');
  }
}

/**
 * The requested key claim is neither `sub` nor `email` (code KEY_CLAIM_UNSUPPORTED).
 *
 * @example
 * ```ts
 * extractIdentityClaims(decoded, { keyClaimName: 'name' }); // throws KeyClaimUnsupportedError
 * ```
 */
export class KeyClaimUnsupportedError extends ZkSsoError {
  constructor(keyClaimName: string) {
    super(
      'KEY_CLAIM_UNSUPPORTED',
      `key claim ${JSON.stringify(keyClaimName)} is not supported (sub or email)`,
      {
        details: { keyClaimName, supported: ['sub', 'email'] },
      },
    );
  }
}

/**
 * A claim the circuit reads contains a JSON escape (`\`, so also `"`) in the raw payload; the circuit
 * compares raw bytes, so such a token cannot be proved (code CLAIM_HAS_ESCAPE; protocol §2).
 *
 * @example
 * ```ts
 * extractIdentityClaims(tokenWithEscapedSub); // throws ClaimHasEscapeError, details { claim: 'sub' }
 * ```
 */
export class ClaimHasEscapeError extends ZkSsoError {
  constructor(claim: string) {
    super('CLAIM_HAS_ESCAPE', `JWT claim ${claim} contains a JSON escape and cannot be proved`, {
      details: { claim },
    });
  }
}
