import { MAX_AUD_LENGTH, MAX_ISS_LENGTH, MAX_KEY_CLAIM_VALUE_LENGTH, normalizeIssuer } from '@zksso/core';
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
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

const INVALID_SIGNATURE_CODES = new Set([
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JWS_INVALID',
  'ERR_JWT_INVALID',
  'ERR_JOSE_ALG_NOT_ALLOWED',
]);

/**
 * Makes the ID-token check of the salt service: RS256 signature against the issuer's JWKS (jose remote JWKS:
 * cached for `jwksCacheMaxAgeMs`, refetched on an unknown `kid` at most once per `jwksCooldownMs`), issuer and
 * audience allow-lists, `exp`/`nbf`/`iat`, and the key claim (`sub`, or `email` only when verified).
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
  const keySets = new Map<string, Promise<JWTVerifyGetKey>>();

  async function discoverJwksUri(iss: string): Promise<string> {
    const configured = config.jwksUris[iss];
    if (configured) return configured;
    const response = await fetch(`${iss.replace(/\/$/, '')}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(config.jwksTimeoutMs),
    });
    if (!response.ok) throw new Error(`discovery answered ${response.status}`);
    const { jwks_uri: uri } = (await response.json()) as { jwks_uri?: string };
    if (!uri) throw new Error('discovery document has no jwks_uri');
    return uri;
  }

  function keySetFor(iss: string): Promise<JWTVerifyGetKey> {
    let keySet = keySets.get(iss);
    if (!keySet) {
      keySet = discoverJwksUri(iss).then((uri) =>
        createRemoteJWKSet(new URL(uri), {
          cacheMaxAge: config.jwksCacheMaxAgeMs,
          cooldownDuration: config.jwksCooldownMs,
          timeoutDuration: config.jwksTimeoutMs,
        }),
      );
      // A failed discovery is retried on the next request rather than cached.
      keySet.catch(() => keySets.delete(iss));
      keySets.set(iss, keySet);
    }
    return keySet;
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
    let unverified: JWTPayload;
    try {
      if (decodeProtectedHeader(token).alg !== 'RS256') {
        throw new SaltError('INVALID_TOKEN', 'only RS256 tokens are accepted');
      }
      unverified = decodeJwt(token);
    } catch (error) {
      if (error instanceof SaltError) throw error;
      throw new SaltError('INVALID_TOKEN', 'the token is not a well-formed JWT');
    }
    if (typeof unverified.iss !== 'string') throw new SaltError('INVALID_TOKEN', 'the token has no iss');
    const iss = normalizeIssuer(unverified.iss);
    if (!allowedIssuers.has(iss)) {
      throw new SaltError('ISSUER_NOT_ALLOWED', 'the issuer is not on the allow-list', { details: { iss } });
    }

    let keySet: JWTVerifyGetKey;
    try {
      keySet = await keySetFor(iss);
    } catch (error) {
      throw new SaltError('JWKS_UNAVAILABLE', 'the issuer discovery document could not be read', {
        cause: error,
        details: { iss },
        retryAfterSeconds: 5,
      });
    }
    const getKey: JWTVerifyGetKey = async (header, input) => {
      try {
        return await keySet(header, input);
      } catch (error) {
        if (INVALID_SIGNATURE_CODES.has((error as { code?: string }).code ?? '')) throw error;
        throw new SaltError('JWKS_UNAVAILABLE', "the issuer's JWKS could not be read", {
          cause: error,
          details: { iss },
          retryAfterSeconds: 5,
        });
      }
    };

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, getKey, {
        algorithms: ['RS256'],
        clockTolerance: config.clockToleranceSeconds,
        requiredClaims: ['iss', 'aud', 'sub', 'exp', 'iat'],
      }));
    } catch (error) {
      if (error instanceof SaltError) throw error;
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
    let keyClaimValue = sub;
    if (keyClaimName === 'email') {
      const verified = payload.email_verified === true || payload.email_verified === 'true';
      if (typeof payload.email !== 'string' || !verified) {
        throw new SaltError('EMAIL_NOT_VERIFIED', 'email is a key claim only when email_verified is true');
      }
      keyClaimValue = payload.email;
    }
    refuseTooLong('iss', iss, MAX_ISS_LENGTH);
    refuseTooLong('aud', payload.aud, MAX_AUD_LENGTH);
    refuseTooLong(keyClaimName, keyClaimValue, MAX_KEY_CLAIM_VALUE_LENGTH);
    return { iss, aud: payload.aud, keyClaimName, keyClaimValue, sub };
  };
}

/**
 * zksso/v1 §2: a claim longer than the circuit reads cannot be proved, so the salt service refuses it before
 * handing out a salt for an account nobody could use. The details name the claim, never its value.
 */
function refuseTooLong(claim: string, value: string, max: number): void {
  const length = Buffer.byteLength(value, 'utf8');
  if (length > max) {
    throw new SaltError(
      'CLAIM_TOO_LONG',
      `${claim} is ${length} bytes long; at most ${max} bytes can be proved`,
      {
        details: { claim, length, max },
      },
    );
  }
}
