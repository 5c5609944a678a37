import {
  base64UrlToBytes,
  buildPublicInputs,
  bytesToBigInt,
  computeIdentityCommitment,
  computeNonce,
  type DecodedJwt,
  decodeJwt,
  type EphemeralPublicKey,
  ephemeralKeyId,
  extractIdentityClaims,
  hashIssuer,
  type IdentityClaims,
  JwtTooLongError,
  modulusFromJwk,
  modulusHash,
  type PublicInputs,
  type RsaJwk,
  splitKeyId,
} from '@zksso/core';
import { maxPaddedBytes, selectTier, TIERS, type Tier } from '../tiers.ts';
import { NonceMismatchError } from './errors.ts';
import { locateClaims } from './json-layout.ts';
import { RSA_LIMB_BITS, RSA_LIMB_COUNT, toLimbs, verifyRs256 } from './rsa.ts';
import { sha256Pad } from './sha-padding.ts';

/** What {@link buildZkLoginInputs} needs: the token, the user's secrets, the ephemeral key and the RSA key. */
export type ZkLoginInputsArgs = {
  /** The provider's RS256 ID token (compact JWS). Never logged. */
  jwt: string;
  /** The user's salt, `0 <= salt < 2^128`. */
  salt: bigint;
  /** The ephemeral public key the token's nonce commits to. */
  ephemeralPublicKey: EphemeralPublicKey;
  /** Unix seconds; the nonce's expiry. */
  expiry: bigint;
  /** The nonce's randomness, `0 <= randomness < 2^128`. */
  randomness: bigint;
  /** `sub` (default) or `email` (requires `email_verified` true or "true"). */
  keyClaimName?: 'sub' | 'email';
  /** A tier (max header.payload bytes); default: the smallest of {@link TIERS} that fits. */
  tier?: number;
} & ({ jwk: RsaJwk } | { modulus: bigint });

/** The circuit's inputs for one token, and the public inputs a verifier will see. */
export interface ZkLoginInputs {
  /** The tier (maximum header.payload bytes) these inputs are for. */
  tier: number;
  /** Every input signal of `ZkLogin(tier)`, by name, as decimal strings (arrays for array signals). */
  inputs: Record<string, string | string[]>;
  /** [issHash, idc, ephHi, ephLo, expiry, modulusHash] (protocol §8): what a verifier is given, in order. */
  publicInputs: bigint[];
  /** The same public inputs by name (`@zksso/core`'s {@link PublicInputs}): read these, never by position. */
  publicInputsByName: PublicInputs;
}

/**
 * What {@link buildCheckedZkLoginInputs} needs: a token already decoded, its claims already read and checked
 * (nonce included), its signature already verified under `modulus`, and the tier it fits.
 */
export type CheckedZkLoginInputsArgs = {
  /** The decoded token (`@zksso/core`'s `decodeJwt`). Never logged. */
  decoded: DecodedJwt;
  /** Its claims (`@zksso/core`'s `extractIdentityClaims`), the nonce checked against the key. */
  claims: IdentityClaims;
  /** The user's salt, `0 <= salt < 2^128`. */
  salt: bigint;
  /** The ephemeral public key the token's nonce commits to. */
  ephemeralPublicKey: EphemeralPublicKey;
  /** Unix seconds; the nonce's expiry. */
  expiry: bigint;
  /** The nonce's randomness, `0 <= randomness < 2^128`. */
  randomness: bigint;
  /** The RSA modulus the signature verified under. */
  modulus: bigint;
  /** The tier (max header.payload bytes), at least the token's signed length. */
  tier: number;
};

const dec = (x: bigint | number) => x.toString(10);

/**
 * Builds the witness inputs of the zkLogin circuit for an ID token, checking up front every reason the
 * circuit would refuse it, with a typed error for each. A caller that has already decoded and checked the
 * token (the prover) calls {@link buildCheckedZkLoginInputs} instead, so nothing is done twice.
 *
 * @throws {JwtTooLongError} JWT_TOO_LONG when header.payload exceeds every tier (or the given one).
 * @throws core's JWT and claim errors (JWT_MALFORMED, JWT_UNSUPPORTED_ALG, CLAIM_MISSING, CLAIM_TOO_LONG,
 *   CLAIM_HAS_ESCAPE, AUD_IS_ARRAY, EMAIL_NOT_VERIFIED, ...).
 * @throws {NonceMismatchError} NONCE_MISMATCH when the token's nonce is not computeNonce(key, expiry, randomness).
 * @throws {JwtSignatureInvalidError} JWT_SIGNATURE_INVALID when the signature does not verify under the key.
 * @throws {ClaimLayoutUnsupportedError} CLAIM_LAYOUT_UNSUPPORTED for layouts the circuit does not accept.
 * @example
 * ```ts
 * const { tier, inputs, publicInputs } = buildZkLoginInputs({
 *   jwt: idToken, salt, ephemeralPublicKey, expiry, randomness, jwk: googleJwk,
 * });
 * await writeWitness(wasmPathOf(tier), inputs, wtnsPath);
 * ```
 */
export function buildZkLoginInputs(args: ZkLoginInputsArgs): ZkLoginInputs {
  const keyClaimName = args.keyClaimName ?? 'sub';
  const largest = Math.max(...TIERS.map((t) => t.maxSignedBytes));
  const decoded = decodeJwt(args.jwt, { maxSignedInputLength: args.tier ?? largest });
  const signedLength = decoded.signedInput.length;
  const tier: Tier | undefined =
    args.tier === undefined ? selectTier(signedLength) : { maxSignedBytes: args.tier };
  if (tier === undefined || signedLength > tier.maxSignedBytes) {
    throw new JwtTooLongError(signedLength, tier?.maxSignedBytes ?? largest);
  }
  const claims = extractIdentityClaims(decoded, { keyClaimName });

  const nonceArgs = {
    ephemeralPublicKey: args.ephemeralPublicKey,
    expiry: args.expiry,
    randomness: args.randomness,
  };
  if (computeNonce(nonceArgs) !== claims.nonce) throw new NonceMismatchError();

  const modulus = 'jwk' in args ? modulusFromJwk(args.jwk) : args.modulus;
  verifyRs256(decoded.signedInput, bytesToBigInt(decoded.signature), modulus);

  return buildCheckedZkLoginInputs({
    decoded,
    claims,
    salt: args.salt,
    ephemeralPublicKey: args.ephemeralPublicKey,
    expiry: args.expiry,
    randomness: args.randomness,
    modulus,
    tier: tier.maxSignedBytes,
  });
}

/**
 * The circuit inputs of a token its caller has already checked (decoded, claims read, nonce and signature
 * verified): no step of {@link buildZkLoginInputs} is repeated, only what the circuit needs is computed
 * (claim positions, commitments, padding, RSA limbs) and the public inputs, by name and in order.
 *
 * @throws {ClaimLayoutUnsupportedError} CLAIM_LAYOUT_UNSUPPORTED for layouts the circuit does not accept.
 * @throws {JwtTooLongError} JWT_TOO_LONG when the token does not fit `tier`.
 * @example
 * ```ts
 * const decoded = decodeJwt(jwt);
 * const claims = extractIdentityClaims(decoded);
 * // ... verify the signature under `modulus`, check claims.nonce against the key ...
 * const { inputs, publicInputsByName } = buildCheckedZkLoginInputs({
 *   decoded, claims, salt, ephemeralPublicKey, expiry, randomness, modulus, tier: 1024,
 * });
 * publicInputsByName.identityCommitment;
 * ```
 */
export function buildCheckedZkLoginInputs(args: CheckedZkLoginInputsArgs): ZkLoginInputs {
  const { decoded, claims, modulus } = args;
  const keyClaimName = claims.keyClaimName;
  const signedLength = decoded.signedInput.length;
  if (signedLength > args.tier) throw new JwtTooLongError(signedLength, args.tier);

  const json = base64UrlToBytes(decoded.payloadB64);
  const layout = locateClaims(json);
  const iss = layout.string('iss');
  const aud = layout.string('aud');
  const key = layout.string(keyClaimName);
  const nonce = layout.string('nonce');
  const emailVerified =
    keyClaimName === 'email' ? layout.emailVerified() : { index: 0, valueStart: 17, quoted: false };

  const issHash = hashIssuer(claims.iss);
  const idc = computeIdentityCommitment({
    keyClaimName,
    keyClaimValue: claims.keyClaimValue,
    aud: claims.aud,
    iss: claims.iss,
    salt: args.salt,
  });
  const mHash = modulusHash(modulus);
  const keyId = ephemeralKeyId(args.ephemeralPublicKey);
  const publicInputs = buildPublicInputs({
    keyId,
    issHash,
    identityCommitment: idc,
    expiry: args.expiry,
    modulusHash: mHash,
  });
  const { hi, lo } = splitKeyId(keyId);
  const publicInputsByName: PublicInputs = {
    issHash,
    identityCommitment: idc,
    keyId,
    ephHi: hi,
    ephLo: lo,
    expiry: args.expiry,
    modulusHash: mHash,
  };

  const content = sha256Pad(decoded.signedInput, maxPaddedBytes(args.tier));
  const inputs: Record<string, string | string[]> = {
    issHash: dec(issHash),
    idc: dec(idc),
    ephHi: dec(hi),
    ephLo: dec(lo),
    expiry: dec(args.expiry),
    modulusHash: dec(mHash),
    content: Array.from(content, dec),
    signedLength: dec(signedLength),
    dotIndex: dec(decoded.headerB64.length),
    signature: toLimbs(bytesToBigInt(decoded.signature), RSA_LIMB_BITS, RSA_LIMB_COUNT).map(dec),
    modulus: toLimbs(modulus, RSA_LIMB_BITS, RSA_LIMB_COUNT).map(dec),
    issIndex: dec(iss.index),
    issValueQuote: dec(iss.valueQuote),
    issLength: dec(iss.valueLength),
    audIndex: dec(aud.index),
    audValueQuote: dec(aud.valueQuote),
    audLength: dec(aud.valueLength),
    keyClaimIsEmail: keyClaimName === 'email' ? '1' : '0',
    keyClaimIndex: dec(key.index),
    keyClaimValueQuote: dec(key.valueQuote),
    keyClaimLength: dec(key.valueLength),
    nonceIndex: dec(nonce.index),
    nonceValueQuote: dec(nonce.valueQuote),
    emailVerifiedIndex: dec(emailVerified.index),
    emailVerifiedValueStart: dec(emailVerified.valueStart),
    emailVerifiedQuoted: emailVerified.quoted ? '1' : '0',
    salt: dec(args.salt),
    randomness: dec(args.randomness),
  };
  return { tier: args.tier, inputs, publicInputs, publicInputsByName };
}
