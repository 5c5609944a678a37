import {
  type AccountClaims,
  type DecodedJwt,
  decodeJwt,
  extractAccountClaims,
  JwksCache,
  JwksUnavailableError,
  normalizeIssuer,
  ZkSsoError,
} from '@zksso/core';
import { createLocalJWKSet, type JWK, type JWTPayload, jwtVerify } from 'jose';
import type { SaltConfig } from './config.ts';
import type { SaltKey } from './derive.ts';
import { SaltError } from './errors.ts';

export type VerifierConfig = Pick<
  SaltConfig,
  | 'issuers'
  | 'jwksUris'
  | 'audiences'
  | 'allowEmailKeyClaim'
  | 'clockToleranceSeconds'
  | 'jwksCacheMaxAgeMs'
  | 'jwksCooldownMs'
  | 'jwksTimeoutMs'
>;

/** A verified token: what its salt is bound to, and the subject (for per-subject rate limits). */
export type VerifiedToken = SaltKey & { sub: string };

export type TokenVerifier = (token: string, keyClaimName?: string) => Promise<VerifiedToken>;

/**
 * Makes the ID-token check of the salt service: the token decoded by `@zksso/core` (strict, RS256), the issuer
 * allow-list, the RS256 signature against the issuer's keys (`@zksso/core`'s `JwksCache`: the keys the prover
 * and the JWK oracle accept, cached for `jwksCacheMaxAgeMs`, refetched on an unknown `kid` at most once per
 * `jwksCooldownMs`), `exp`/`nbf`/`iat`, the audience allow-list, and the account claims read by core's
 * `extractAccountClaims` (the key claim `sub`, or `email` only when verified; each within what a proof can
 * carry), so a salt is only handed out for an account a proof can be made for.
 *
 * @example
 * ```ts
 * const verify = createTokenVerifier(loadConfig());
 * const { iss, aud, keyClaimValue } = await verify(idToken, 'sub');
 * ```
 */
export function createTokenVerifier(config: VerifierConfig): TokenVerifier {
  const allowedIssuers = new Set(config.issuers.map(normalizeIssuer));
  const allowedAudiences = new Set(config.audiences);
  const jwks = new JwksCache({
    fetch,
    ttlMs: config.jwksCacheMaxAgeMs,
    minRefetchMs: config.jwksCooldownMs,
    timeoutMs: config.jwksTimeoutMs,
    jwksUris: config.jwksUris,
  });

  async function signingKeys(iss: string, kid: string | undefined): Promise<JWK[]> {
    try {
      return (await jwks.keysFor(iss, kid)).map((k) => k.jwk as JWK);
    } catch (error) {
      if (error instanceof JwksUnavailableError) {
        throw new SaltError('JWKS_UNAVAILABLE', "the issuer's keys could not be read", {
          cause: error,
          details: { iss },
          retryAfterSeconds: 5,
        });
      }
      // No usable key by that kid (rotated out, or one zksso/v1 cannot prove): the signature cannot verify.
      if (error instanceof ZkSsoError) {
        throw new SaltError('INVALID_TOKEN', 'the token signature or claims are invalid', {
          details: { reason: error.code },
        });
      }
      throw error;
    }
  }

  return async function verify(token, keyClaimName = 'sub') {
    if (keyClaimName !== 'sub' && keyClaimName !== 'email') {
      throw new SaltError('KEY_CLAIM_NOT_ALLOWED', 'keyClaimName must be sub or email', {
        details: { keyClaimName },
      });
    }
    if (keyClaimName === 'email' && !config.allowEmailKeyClaim) {
      throw new SaltError('KEY_CLAIM_NOT_ALLOWED', 'this service does not allow email as key claim');
    }
    let decoded: DecodedJwt;
    try {
      decoded = decodeJwt(token);
    } catch (error) {
      if (error instanceof ZkSsoError && error.code === 'JWT_UNSUPPORTED_ALG') {
        throw new SaltError('INVALID_TOKEN', 'only RS256 tokens are accepted');
      }
      throw new SaltError('INVALID_TOKEN', 'the token is not a well-formed JWT');
    }
    const unverified = decoded.payload;
    if (typeof unverified.iss !== 'string') throw new SaltError('INVALID_TOKEN', 'the token has no iss');
    const iss = normalizeIssuer(unverified.iss);
    if (!allowedIssuers.has(iss)) {
      throw new SaltError('ISSUER_NOT_ALLOWED', 'the issuer is not on the allow-list', { details: { iss } });
    }
    const keys = await signingKeys(iss, decoded.header.kid);

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, createLocalJWKSet({ keys }), {
        algorithms: ['RS256'],
        clockTolerance: config.clockToleranceSeconds,
        requiredClaims: ['iss', 'aud', 'sub', 'exp', 'iat'],
      }));
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ERR_JWT_EXPIRED') throw new SaltError('TOKEN_EXPIRED', 'the token has expired');
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && (error as { claim?: string }).claim === 'nbf') {
        throw new SaltError('TOKEN_NOT_YET_VALID', 'the token is not valid yet (nbf)');
      }
      throw new SaltError('INVALID_TOKEN', 'the token signature or claims are invalid', {
        details: { reason: code ?? 'unknown' },
      });
    }
    const now = Math.floor(Date.now() / 1000);
    if (typeof payload.iat !== 'number' || payload.iat > now + config.clockToleranceSeconds) {
      throw new SaltError('TOKEN_NOT_YET_VALID', 'the token was issued in the future (iat)');
    }
    if (typeof payload.aud !== 'string') {
      throw new SaltError('AUDIENCE_NOT_ALLOWED', 'aud must be a single string (zksso/v1 §1.2)');
    }
    if (!allowedAudiences.has(payload.aud)) {
      throw new SaltError('AUDIENCE_NOT_ALLOWED', 'the audience is not on the allow-list', {
        details: { aud: payload.aud },
      });
    }
    const sub = payload.sub;
    if (typeof sub !== 'string' || sub.length === 0)
      throw new SaltError('INVALID_TOKEN', 'the token has no sub');
    const claims = accountClaims(decoded, keyClaimName);
    return { iss, aud: claims.aud, keyClaimName, keyClaimValue: claims.keyClaimValue, sub };
  };
}

/**
 * The account claims by core's rules (`extractAccountClaims`: what a proof can carry), in the salt service's
 * codes. zksso/v1 §2: a claim longer than the circuit reads cannot be proved, so no salt is handed out for an
 * account nobody could use. The details name the claim, never its value.
 */
function accountClaims(decoded: DecodedJwt, keyClaimName: 'sub' | 'email'): AccountClaims {
  try {
    return extractAccountClaims(decoded, { keyClaimName });
  } catch (error) {
    if (!(error instanceof ZkSsoError)) throw error;
    if (error.code === 'CLAIM_TOO_LONG') {
      const { claim, length, max } = error.details as { claim: string; length: number; max: number };
      throw new SaltError(
        'CLAIM_TOO_LONG',
        `${claim} is ${length} bytes long; at most ${max} bytes can be proved`,
        { details: { claim, length, max } },
      );
    }
    const aboutEmail = keyClaimName === 'email' && error.details.claim === 'email';
    if (error.code === 'EMAIL_NOT_VERIFIED' || aboutEmail) {
      throw new SaltError('EMAIL_NOT_VERIFIED', 'email is a key claim only when email_verified is true');
    }
    if (error.code === 'AUD_IS_ARRAY') {
      throw new SaltError('AUDIENCE_NOT_ALLOWED', 'aud must be a single string (zksso/v1 §1.2)');
    }
    throw new SaltError('INVALID_TOKEN', 'the token claims cannot be proved', {
      details: { reason: error.code, ...(error.details.claim ? { claim: error.details.claim } : {}) },
    });
  }
}
