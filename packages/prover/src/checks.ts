import {
  ClaimMissingError,
  type DecodedJwt,
  type RsaJwk,
  type UsableJwk,
  verifyJwtSignature,
} from '@zksso/core';
import type { AllowedAudience } from './config.ts';
import { ProverError } from './errors.ts';

// The prover's own checks of a token, one function each, in the order the pipeline (validate.ts) runs them.
// Each fails with a stable code; none logs or echoes the token.

/**
 * The first of `candidates` (the issuer's usable keys for the token's `kid`) whose RS256 signature verifies.
 *
 * @throws {ProverError} JWT_SIGNATURE_INVALID when none does.
 * @example
 * ```ts
 * const key = await firstVerifyingKey(decoded, await jwks.usableKeysFor(issuer, decoded.header.kid));
 * ```
 */
export async function firstVerifyingKey(
  decoded: DecodedJwt,
  candidates: readonly UsableJwk[],
): Promise<UsableJwk> {
  for (const key of candidates) {
    if (await verifyJwtSignature(decoded, key.jwk as RsaJwk)) return key;
  }
  throw new ProverError(
    'JWT_SIGNATURE_INVALID',
    'the token’s RS256 signature does not verify under its issuer’s key',
    { details: { kid: decoded.header.kid ?? null } },
  );
}

/**
 * The token must be valid now, give or take `skew` seconds: `exp` (required: a token without one never
 * expires) not passed, `nbf` and `iat` (optional) not in the future.
 *
 * @throws {ClaimMissingError} CLAIM_MISSING (no `exp`); {@link ProverError} CLAIM_NOT_NUMBER, TOKEN_EXPIRED,
 *   TOKEN_NOT_YET_VALID.
 * @example
 * ```ts
 * checkLifetime(decoded.payload, Math.floor(Date.now() / 1000), 60);
 * ```
 */
export function checkLifetime(payload: Readonly<Record<string, unknown>>, now: number, skew: number): void {
  const exp = numericClaim(payload, 'exp');
  if (exp === undefined) throw new ClaimMissingError('exp');
  if (now >= exp + skew) {
    throw new ProverError('TOKEN_EXPIRED', 'the ID token has expired; log in again', {
      details: { exp, now, clockSkewSeconds: skew },
    });
  }
  for (const claim of ['nbf', 'iat'] as const) {
    const value = numericClaim(payload, claim);
    if (value !== undefined && value > now + skew) {
      throw new ProverError('TOKEN_NOT_YET_VALID', `the ID token's ${claim} is in the future`, {
        details: { claim, [claim]: value, now, clockSkewSeconds: skew },
      });
    }
  }
}

/** A NumericDate claim (RFC 7519 §2: seconds, possibly fractional), or undefined when absent. */
function numericClaim(payload: Readonly<Record<string, unknown>>, claim: string): number | undefined {
  const value = payload[claim];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ProverError('CLAIM_NOT_NUMBER', `JWT claim ${claim} must be a number of seconds`, {
      details: { claim },
    });
  }
  return value;
}

/**
 * The token's `aud` must be a client id this prover proves for (for its issuer, when the entry names one).
 *
 * @throws {ProverError} AUDIENCE_NOT_ALLOWED.
 * @example
 * ```ts
 * checkAudience('https://accounts.google.com', claims.aud, [{ audience: '123.apps.googleusercontent.com' }]);
 * ```
 */
export function checkAudience(issuer: string, aud: string, allowed: readonly AllowedAudience[]): void {
  const ok = allowed.some((a) => a.audience === aud && (a.issuer === undefined || a.issuer === issuer));
  if (!ok) {
    // The client id is public (it is in every login URL of the app): naming it helps the operator.
    throw new ProverError('AUDIENCE_NOT_ALLOWED', 'this prover does not prove for that client id (aud)', {
      details: { aud, iss: issuer },
    });
  }
}

/**
 * The ephemeral key's expiry must be in the future and at most `maxExpirySeconds` from now.
 *
 * @throws {ProverError} EXPIRY_INVALID.
 * @example
 * ```ts
 * checkExpiry(request.expiry, BigInt(Math.floor(Date.now() / 1000)), 86_400);
 * ```
 */
export function checkExpiry(expiry: bigint, now: bigint, maxExpirySeconds: number): void {
  const latest = now + BigInt(maxExpirySeconds);
  if (expiry <= now || expiry > latest) {
    throw new ProverError(
      'EXPIRY_INVALID',
      `expiry must be in the future and at most ${maxExpirySeconds} s from now`,
      { details: { expiry: expiry.toString(), now: now.toString(), latest: latest.toString() } },
    );
  }
}
