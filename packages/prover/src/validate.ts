import { NonceMismatchError } from '@zksso/circuits';
import {
  computeNonce,
  type DecodedJwt,
  decodeJwt,
  extractIdentityClaims,
  type IdentityClaims,
  normalizeIssuer,
} from '@zksso/core';
import { checkAudience, checkExpiry, checkLifetime, firstVerifyingKey } from './checks.ts';
import type { AllowedAudience } from './config.ts';
import type { JwksCache } from './jwks.ts';
import type { ProveRequest } from './request.ts';

/** What the checks before proving need. */
export interface PrepareContext {
  readonly jwks: JwksCache;
  /** Tiers this instance serves, smallest first. */
  readonly tiers: readonly number[];
  readonly maxExpirySeconds: number;
  /** Client ids proved for (AUDIENCE_NOT_ALLOWED otherwise). */
  readonly audiences: readonly AllowedAudience[];
  /** Leeway for `exp`, `nbf` and `iat` (seconds). */
  readonly clockSkewSeconds: number;
  /** Unix seconds now; default the clock. */
  readonly nowSeconds?: () => number;
}

/**
 * A token that passed every check, decoded once: what the circuit inputs are built from (never logged).
 */
export interface ValidatedToken {
  readonly decoded: DecodedJwt;
  /** Its claims, the nonce checked against the request's key, expiry and randomness. */
  readonly claims: IdentityClaims;
  /** The normalised issuer (protocol §3). */
  readonly issuer: string;
  /** The modulus of the issuer's key the signature verified under. */
  readonly modulus: bigint;
  /** The smallest served tier the token fits. */
  readonly tier: number;
  /** `issuer` + newline + the token's `sub` (the key-claim value when it has none): per-subject limits. */
  readonly subject: string;
}

/**
 * Every check before proving, in order, each failing with a stable code, the token decoded and its claims
 * read once: decode (JWT_MALFORMED, JWT_BAD_BASE64URL, JWT_BAD_JSON, JWT_UNSUPPORTED_ALG, JWT_TOO_LONG), claims
 * (CLAIM_MISSING, CLAIM_NOT_STRING, CLAIM_TOO_LONG, CLAIM_HAS_ESCAPE, AUD_IS_ARRAY, EMAIL_NOT_VERIFIED,
 * KEY_CLAIM_UNSUPPORTED, NONCE_MALFORMED), the issuer allow-list (ISSUER_NOT_ALLOWED), the issuer's key and the
 * RS256 signature (JWKS_UNAVAILABLE, JWT_KID_UNKNOWN, JWK_UNSUPPORTED, JWT_SIGNATURE_INVALID), the token's
 * lifetime (CLAIM_MISSING for no `exp`, CLAIM_NOT_NUMBER, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID), the audience
 * (AUDIENCE_NOT_ALLOWED), the nonce (NONCE_MISMATCH), the expiry (EXPIRY_INVALID), then the smallest served
 * tier.
 *
 * @example
 * ```ts
 * const token = await validateToken(parseProveRequest(body), {
 *   jwks, tiers: [1024], maxExpirySeconds: 86_400, audiences: [{ audience: 'zksso-dev' }], clockSkewSeconds: 60,
 * });
 * token.tier; // 1024
 * ```
 */
export async function validateToken(request: ProveRequest, context: PrepareContext): Promise<ValidatedToken> {
  const largest = context.tiers[context.tiers.length - 1];
  // Invariants, not client errors (the configuration always has a tier; decodeJwt refused anything longer
  // than the largest): a plain Error answers 500 INTERNAL.
  if (largest === undefined) throw new Error('invariant: this prover serves no tier');
  const decoded = decodeJwt(request.jwt, { maxSignedInputLength: largest });
  const claims = extractIdentityClaims(decoded, { keyClaimName: request.keyClaimName });

  const issuer = normalizeIssuer(claims.iss);
  const key = await firstVerifyingKey(decoded, await context.jwks.usableKeysFor(issuer, decoded.header.kid));
  // Only now are the claims the issuer's word: refuse what would be proved for nothing before any work.
  const nowSeconds = Math.floor(context.nowSeconds?.() ?? Date.now() / 1000);
  checkLifetime(decoded.payload, nowSeconds, context.clockSkewSeconds);
  checkAudience(issuer, claims.aud, context.audiences);
  const nonce = computeNonce({
    ephemeralPublicKey: request.ephemeralPublicKey,
    expiry: request.expiry,
    randomness: request.randomness,
  });
  if (nonce !== claims.nonce) throw new NonceMismatchError();
  checkExpiry(request.expiry, BigInt(nowSeconds), context.maxExpirySeconds);

  const tier = context.tiers.find((t) => t >= decoded.signedInput.length);
  if (tier === undefined) throw new Error('invariant: no served tier fits a token decodeJwt accepted');
  const sub = decoded.payload.sub;
  return {
    decoded,
    claims,
    issuer,
    modulus: key.modulus,
    tier,
    subject: `${issuer}\n${typeof sub === 'string' ? sub : claims.keyClaimValue}`,
  };
}
