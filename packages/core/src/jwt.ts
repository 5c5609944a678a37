import { base64UrlToBytes } from './encoding.ts';
import {
  AudIsArrayError,
  ClaimHasEscapeError,
  ClaimMissingError,
  ClaimNotStringError,
  ClaimTooLongError,
  EmailNotVerifiedError,
  JwtBadBase64UrlError,
  JwtBadJsonError,
  JwtMalformedError,
  JwtTooLongError,
  JwtUnsupportedAlgError,
  KeyClaimUnsupportedError,
  ZkSsoError,
} from './errors.ts';
import { MAX_AUD_LENGTH, MAX_ISS_LENGTH, MAX_KEY_CLAIM_VALUE_LENGTH } from './hash-bytes.ts';
import { normalizeIssuer } from './issuer.ts';
import { type RawJsonMember, rawJsonMembers } from './json-members.ts';
import { decodeNonce } from './nonce.ts';

/**
 * Default largest `header.payload` (bytes) accepted: the largest circuit tier zkSSO plans for.
 * @example
 * ```ts
 * decodeJwt(jwt, { maxSignedInputLength: DEFAULT_MAX_SIGNED_INPUT_LENGTH });
 * ```
 */
export const DEFAULT_MAX_SIGNED_INPUT_LENGTH = 1600;

/**
 * The only JWT algorithm zksso/v1 proves (protocol §7).
 * @example
 * ```ts
 * decodeJwt(jwt).header.alg === SUPPORTED_JWT_ALG; // always true
 * ```
 */
export const SUPPORTED_JWT_ALG = 'RS256';

/**
 * Key claims an identity can be bound to (protocol §4).
 * @example
 * ```ts
 * SUPPORTED_KEY_CLAIM_NAMES.includes('email'); // true
 * ```
 */
export const SUPPORTED_KEY_CLAIM_NAMES = ['sub', 'email'] as const;

/**
 * `sub` or `email`.
 * @example
 * ```ts
 * const name: KeyClaimName = 'email';
 * ```
 */
export type KeyClaimName = (typeof SUPPORTED_KEY_CLAIM_NAMES)[number];

/**
 * Options of {@link decodeJwt}.
 * @example
 * ```ts
 * const options: DecodeJwtOptions = { maxSignedInputLength: 1024 };
 * decodeJwt(jwt, options);
 * ```
 */
export type DecodeJwtOptions = {
  /** Largest accepted `header.payload` length in bytes (default {@link DEFAULT_MAX_SIGNED_INPUT_LENGTH}). */
  maxSignedInputLength?: number;
};

/**
 * A JWT split and decoded, signature not verified.
 * @example
 * ```ts
 * const { header, signedInput, signature }: DecodedJwt = decodeJwt(jwt);
 * ```
 */
export type DecodedJwt = {
  header: Record<string, unknown> & { alg: 'RS256'; kid?: string };
  payload: Record<string, unknown>;
  /** The ASCII bytes of `headerB64.payloadB64`: the RS256 signed input the circuit hashes. */
  signedInput: Uint8Array<ArrayBuffer>;
  signature: Uint8Array<ArrayBuffer>;
  headerB64: string;
  payloadB64: string;
  /** The payload JSON text exactly as signed (the circuit reads these bytes). */
  payloadJson: string;
};

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodePart(part: 'header' | 'payload' | 'signature', text: string): Uint8Array<ArrayBuffer> {
  try {
    return base64UrlToBytes(text);
  } catch (error) {
    throw new JwtBadBase64UrlError(
      part,
      error instanceof ZkSsoError ? String(error.details.reason) : 'invalid',
    );
  }
}

function parseObject(
  part: 'header' | 'payload',
  bytes: Uint8Array,
): { json: string; value: Record<string, unknown> } {
  let json: string;
  let value: unknown;
  try {
    json = utf8.decode(bytes);
  } catch {
    throw new JwtBadJsonError(part, 'not UTF-8');
  }
  try {
    value = JSON.parse(json);
  } catch {
    throw new JwtBadJsonError(part, 'not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new JwtBadJsonError(part, 'not an object');
  }
  const { duplicates } = rawJsonMembers(json);
  if (duplicates.length > 0) throw new JwtBadJsonError(part, `duplicate member ${duplicates[0]}`);
  return { json, value: value as Record<string, unknown> };
}

/**
 * Splits and decodes a compact JWS strictly, without verifying the signature: exactly three non-empty
 * base64url parts, header and payload UTF-8 JSON objects without duplicate members, `alg` RS256 and a
 * signed input no longer than the largest circuit tier.
 *
 * @throws {JwtMalformedError} {@link JwtBadBase64UrlError} {@link JwtBadJsonError}
 * {@link JwtUnsupportedAlgError} {@link JwtTooLongError}
 * @example
 * ```ts
 * const { header, payload, signedInput, signature } = decodeJwt(idToken);
 * ```
 */
export function decodeJwt(token: string, options: DecodeJwtOptions = {}): DecodedJwt {
  const max = options.maxSignedInputLength ?? DEFAULT_MAX_SIGNED_INPUT_LENGTH;
  if (typeof token !== 'string') throw new JwtMalformedError('not a string');
  const parts = token.split('.');
  if (parts.length !== 3) throw new JwtMalformedError(`expected 3 parts, got ${parts.length}`);
  const [headerB64, payloadB64, signatureB64] = parts as [string, string, string];
  if (!headerB64 || !payloadB64 || !signatureB64) throw new JwtMalformedError('empty part');
  // Checked before decoding: cheap, and bounds the work done on hostile input.
  const signedLength = headerB64.length + 1 + payloadB64.length;
  if (signedLength > max) throw new JwtTooLongError(signedLength, max);
  const header = parseObject('header', decodePart('header', headerB64));
  const payload = parseObject('payload', decodePart('payload', payloadB64));
  const signature = decodePart('signature', signatureB64);
  if (header.value.alg !== SUPPORTED_JWT_ALG) throw new JwtUnsupportedAlgError(header.value.alg);
  // base64url is ASCII, so the characters are the bytes.
  const signedInput = new Uint8Array(signedLength);
  for (let i = 0; i < signedLength; i++) {
    signedInput[i] =
      i < headerB64.length
        ? headerB64.charCodeAt(i)
        : i === headerB64.length
          ? 46
          : payloadB64.charCodeAt(i - headerB64.length - 1);
  }
  return {
    header: header.value as DecodedJwt['header'],
    payload: payload.value,
    signedInput,
    signature,
    headerB64,
    payloadB64,
    payloadJson: payload.json,
  };
}

/**
 * The claims an identity commitment and a proof are built from.
 * @example
 * ```ts
 * const { iss, aud, keyClaimValue, nonceField }: IdentityClaims = extractIdentityClaims(decodeJwt(jwt));
 * ```
 */
export type IdentityClaims = {
  /** The issuer as in the token (not normalised). */
  iss: string;
  aud: string;
  keyClaimName: KeyClaimName;
  keyClaimValue: string;
  /** The `nonce` claim (43-character base64url). */
  nonce: string;
  /** The nonce decoded to its field element (protocol §6). */
  nonceField: bigint;
};

/**
 * Options of {@link extractIdentityClaims}.
 * @example
 * ```ts
 * extractIdentityClaims(decoded, { keyClaimName: 'email' } satisfies ExtractIdentityClaimsOptions);
 * ```
 */
export type ExtractIdentityClaimsOptions = {
  /** `sub` (default) or `email`. */
  keyClaimName?: string;
};

function stringClaim(decoded: DecodedJwt, members: Map<string, RawJsonMember>, claim: string): string {
  const value = decoded.payload[claim];
  const member = members.get(claim);
  if (value === undefined || member === undefined) throw new ClaimMissingError(claim);
  if (claim === 'aud' && Array.isArray(value)) throw new AudIsArrayError(value.length);
  if (typeof value !== 'string') {
    throw new ClaimNotStringError(
      claim,
      value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value,
    );
  }
  if (member.rawName.includes('\\') || member.rawValue.includes('\\')) throw new ClaimHasEscapeError(claim);
  return value;
}

function checkLength(claim: string, value: string, max: number): void {
  const length = new TextEncoder().encode(value).length;
  if (length > max) throw new ClaimTooLongError(claim, length, max);
}

/**
 * The claims an account is derived from: {@link IdentityClaims} without the nonce.
 * @example
 * ```ts
 * const { iss, aud, keyClaimName, keyClaimValue }: AccountClaims = extractAccountClaims(decodeJwt(jwt));
 * ```
 */
export type AccountClaims = Omit<IdentityClaims, 'nonce' | 'nonceField'>;

/**
 * Reads and checks the claims an account is derived from: `iss`, `aud` (a single string) and the key claim
 * (`sub` or a verified `email`), each a plain string without JSON escapes and within the circuit's limits.
 * The salt service uses it (a salt is for an account, whatever the nonce); {@link extractIdentityClaims}
 * adds the nonce for a proof.
 *
 * @throws {KeyClaimUnsupportedError} {@link ClaimMissingError} {@link AudIsArrayError}
 * {@link ClaimNotStringError} {@link ClaimHasEscapeError} {@link ClaimTooLongError}
 * {@link EmailNotVerifiedError}
 * @example
 * ```ts
 * const { iss, aud, keyClaimValue } = extractAccountClaims(decodeJwt(idToken), { keyClaimName: 'sub' });
 * ```
 */
export function extractAccountClaims(
  decoded: DecodedJwt,
  options: ExtractIdentityClaimsOptions = {},
): AccountClaims {
  return readClaims(decoded, options).account;
}

function readClaims(
  decoded: DecodedJwt,
  options: ExtractIdentityClaimsOptions,
): { account: AccountClaims; members: Map<string, RawJsonMember> } {
  const keyClaimName = options.keyClaimName ?? 'sub';
  if (!(SUPPORTED_KEY_CLAIM_NAMES as readonly string[]).includes(keyClaimName)) {
    throw new KeyClaimUnsupportedError(keyClaimName);
  }
  const { members } = rawJsonMembers(decoded.payloadJson);
  const iss = stringClaim(decoded, members, 'iss');
  checkLength('iss', normalizeIssuer(iss), MAX_ISS_LENGTH);
  const aud = stringClaim(decoded, members, 'aud');
  checkLength('aud', aud, MAX_AUD_LENGTH);
  const keyClaimValue = stringClaim(decoded, members, keyClaimName);
  checkLength(keyClaimName, keyClaimValue, MAX_KEY_CLAIM_VALUE_LENGTH);
  if (keyClaimName === 'email') {
    const verified = decoded.payload.email_verified;
    if (verified !== true && verified !== 'true') throw new EmailNotVerifiedError();
  }
  return { account: { iss, aud, keyClaimName: keyClaimName as KeyClaimName, keyClaimValue }, members };
}

/**
 * Reads and checks the claims zksso/v1 proves: `iss`, `aud` (a single string), the key claim (`sub` or a
 * verified `email`) and `nonce`, each a plain string without JSON escapes and within the circuit's limits.
 *
 * @throws {KeyClaimUnsupportedError} {@link ClaimMissingError} {@link AudIsArrayError}
 * {@link ClaimNotStringError} {@link ClaimHasEscapeError} {@link ClaimTooLongError}
 * {@link EmailNotVerifiedError} {@link NonceMalformedError}
 * @example
 * ```ts
 * const claims = extractIdentityClaims(decodeJwt(idToken));
 * const idc = computeIdentityCommitment({ ...claims, salt });
 * ```
 */
export function extractIdentityClaims(
  decoded: DecodedJwt,
  options: ExtractIdentityClaimsOptions = {},
): IdentityClaims {
  const { account, members } = readClaims(decoded, options);
  const nonce = stringClaim(decoded, members, 'nonce');
  const nonceField = decodeNonce(nonce);
  return { ...account, nonce, nonceField };
}
