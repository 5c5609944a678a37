import { buildZkLoginInputs, NonceMismatchError } from '@zksso/circuits';
import {
  ClaimMissingError,
  computeNonce,
  decodeJwt,
  ephemeralKeyId,
  extractIdentityClaims,
  modulusFromJwk,
  normalizeIssuer,
  type RsaJwk,
  toHex32,
  verifyJwtSignature,
} from '@zksso/core';
import type { AllowedAudience } from './config.ts';
import { ProverError } from './errors.ts';
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

/** A token that passed every check, with the circuit inputs of its tier. */
export interface PreparedProof {
  readonly tier: number;
  /** Circuit inputs (secret: never logged). */
  readonly inputs: Record<string, string | string[]>;
  /** [issHash, idc, ephHi, ephLo, expiry, modulusHash] as computed by `@zksso/core`. */
  readonly publicInputs: readonly bigint[];
  readonly issuer: string;
  /** `issuer` + newline + the token's `sub` (the key-claim value when it has none): per-subject limits. */
  readonly subject: string;
  readonly issHash: `0x${string}`;
  readonly identityCommitment: `0x${string}`;
  readonly modulusHash: `0x${string}`;
  readonly keyId: `0x${string}`;
  readonly expiry: bigint;
}

/**
 * Every check before proving, in order, each failing with a stable code: decode the token (JWT_MALFORMED,
 * JWT_BAD_BASE64URL, JWT_BAD_JSON, JWT_UNSUPPORTED_ALG, JWT_TOO_LONG), read its claims (CLAIM_MISSING,
 * CLAIM_NOT_STRING, CLAIM_TOO_LONG, CLAIM_HAS_ESCAPE, AUD_IS_ARRAY, EMAIL_NOT_VERIFIED,
 * KEY_CLAIM_UNSUPPORTED, NONCE_MALFORMED), the issuer allow-list (ISSUER_NOT_ALLOWED), the issuer's key and
 * the RS256 signature (JWKS_UNAVAILABLE, JWT_KID_UNKNOWN, JWT_SIGNATURE_INVALID, JWK_UNSUPPORTED), the
 * token's lifetime (CLAIM_MISSING for no `exp`, CLAIM_NOT_NUMBER, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID), the
 * audience (AUDIENCE_NOT_ALLOWED), the nonce (NONCE_MISMATCH), the expiry (EXPIRY_INVALID), then the
 * smallest served tier and the circuit inputs (CLAIM_LAYOUT_UNSUPPORTED).
 *
 * @example
 * ```ts
 * const prepared = await prepareProof(parseProveRequest(body), {
 *   jwks, tiers: [1024], maxExpirySeconds: 86_400, audiences: [{ audience: 'zksso-dev' }], clockSkewSeconds: 60,
 * });
 * prepared.tier; // 1024
 * ```
 */
export async function prepareProof(request: ProveRequest, context: PrepareContext): Promise<PreparedProof> {
  const largest = context.tiers[context.tiers.length - 1];
  // Invariants, not client errors (the configuration always has a tier; decodeJwt refused anything longer
  // than the largest): a plain Error answers 500 INTERNAL.
  if (largest === undefined) throw new Error('invariant: this prover serves no tier');
  const decoded = decodeJwt(request.jwt, { maxSignedInputLength: largest });
  const claims = extractIdentityClaims(decoded, { keyClaimName: request.keyClaimName });

  const issuer = normalizeIssuer(claims.iss);
  const candidates = await context.jwks.keysFor(issuer, decoded.header.kid);
  const jwk = await firstVerifyingKey(decoded, candidates);
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

  const now = BigInt(nowSeconds);
  const latest = now + BigInt(context.maxExpirySeconds);
  if (request.expiry <= now || request.expiry > latest) {
    throw new ProverError(
      'EXPIRY_INVALID',
      `expiry must be in the future and at most ${context.maxExpirySeconds} s from now`,
      { details: { expiry: request.expiry.toString(), now: now.toString(), latest: latest.toString() } },
    );
  }

  const signedLength = decoded.signedInput.length;
  const tier = context.tiers.find((t) => t >= signedLength);
  if (tier === undefined) throw new Error('invariant: no served tier fits a token decodeJwt accepted');
  const built = buildZkLoginInputs({
    jwt: request.jwt,
    salt: request.salt,
    ephemeralPublicKey: request.ephemeralPublicKey,
    expiry: request.expiry,
    randomness: request.randomness,
    keyClaimName: claims.keyClaimName,
    jwk,
    tier,
  });
  const [issHash, idc, , , , modulusHash] = built.publicInputs as [
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
  ];
  return {
    tier: built.tier,
    inputs: built.inputs,
    publicInputs: built.publicInputs,
    issuer,
    subject: `${issuer}\n${typeof decoded.payload.sub === 'string' ? decoded.payload.sub : claims.keyClaimValue}`,
    issHash: toHex32(issHash),
    identityCommitment: toHex32(idc),
    modulusHash: toHex32(modulusHash),
    keyId: ephemeralKeyId(request.ephemeralPublicKey),
    expiry: request.expiry,
  };
}

/**
 * The token must be valid now, give or take `skew` seconds: `exp` (required: a token without one never
 * expires) not passed, `nbf` and `iat` (optional) not in the future.
 */
function checkLifetime(payload: Readonly<Record<string, unknown>>, now: number, skew: number): void {
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

function checkAudience(issuer: string, aud: string, allowed: readonly AllowedAudience[]): void {
  const ok = allowed.some((a) => a.audience === aud && (a.issuer === undefined || a.issuer === issuer));
  if (!ok) {
    // The client id is public (it is in every login URL of the app): naming it helps the operator.
    throw new ProverError('AUDIENCE_NOT_ALLOWED', 'this prover does not prove for that client id (aud)', {
      details: { aud, iss: issuer },
    });
  }
}

async function firstVerifyingKey(
  decoded: ReturnType<typeof decodeJwt>,
  candidates: readonly RsaJwk[],
): Promise<RsaJwk> {
  for (const jwk of candidates) {
    modulusFromJwk(jwk); // JWK_UNSUPPORTED for keys zksso/v1 cannot prove (not RSA-2048, e != 65537)
    if (await verifyJwtSignature(decoded, jwk)) return jwk;
  }
  throw new ProverError(
    'JWT_SIGNATURE_INVALID',
    'the token’s RS256 signature does not verify under its issuer’s key',
    {
      details: { kid: decoded.header.kid ?? null },
    },
  );
}
