import {
  type EphemeralPublicKey,
  EXPIRY_MAX,
  ephemeralKeyId,
  parseBigInt,
  RANDOMNESS_MAX,
  SALT_MAX,
  ZkSsoError,
} from '@zksso/core';
import { ProverError } from './errors.ts';

/**
 * The body of `POST /v1`. Integers are decimal strings (as Sui's prover takes them) or `0x` hex strings;
 * `expiry` may also be a JSON number. Base64 is not accepted: a string of digits is valid in both base64
 * and decimal, so it would be ambiguous.
 */
export interface ProveRequestBody {
  /** The provider's RS256 ID token. */
  jwt: string;
  /** The key the token's nonce commits to: `{ type: 'secp256k1', address }` or `{ type: 'p256', x, y }`. */
  ephemeralPublicKey: { type: 'secp256k1'; address: string } | { type: 'p256'; x: string; y: string };
  /** Unix seconds, `0 < expiry < 2^48`. */
  expiry: string | number;
  /** The nonce randomness, `0 <= r < 2^128`. */
  jwtRandomness: string;
  /** The user's salt, `0 <= salt < 2^128`. */
  salt: string;
  /** `sub` (default) or `email`. */
  keyClaimName?: string;
}

/** A validated request, integers parsed. */
export interface ProveRequest {
  readonly jwt: string;
  readonly ephemeralPublicKey: EphemeralPublicKey;
  readonly expiry: bigint;
  readonly randomness: bigint;
  readonly salt: bigint;
  readonly keyClaimName: string;
}

const FIELDS = new Set(['jwt', 'ephemeralPublicKey', 'expiry', 'jwtRandomness', 'salt', 'keyClaimName']);
/** Sui's field names, so a client written against Sui's prover learns what to send instead. */
const SUI_FIELDS: Readonly<Record<string, string>> = {
  extendedEphemeralPublicKey: 'ephemeralPublicKey ({ type, address } or { type, x, y })',
  maxEpoch: 'expiry (unix seconds)',
};

function bad(message: string, details: Record<string, unknown> = {}): ProverError {
  return new ProverError('BAD_REQUEST', message, { details });
}

function integer(value: unknown, field: string, min: bigint, maxExclusive: bigint): bigint {
  let parsed: bigint;
  if (typeof value === 'number' && field === 'expiry' && Number.isSafeInteger(value)) {
    parsed = BigInt(value);
  } else {
    if (typeof value !== 'string') {
      throw bad(`${field} must be a decimal or 0x-hex string`, { field });
    }
    try {
      parsed = parseBigInt(value, field);
    } catch (error) {
      const reason = error instanceof ZkSsoError ? String(error.details.reason ?? error.message) : 'invalid';
      throw bad(`${field} is not a decimal or 0x-hex integer: ${reason}`, { field });
    }
  }
  if (parsed < min || parsed >= maxExclusive) {
    throw bad(`${field} must satisfy ${min} <= ${field} < ${maxExclusive}`, {
      field,
      min: min.toString(),
      maxExclusive: maxExclusive.toString(),
    });
  }
  return parsed;
}

function ephemeralKey(value: unknown): EphemeralPublicKey {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw bad('ephemeralPublicKey must be an object { type, address } or { type, x, y }', {
      field: 'ephemeralPublicKey',
    });
  }
  const v = value as Record<string, unknown>;
  let key: EphemeralPublicKey;
  if (v.type === 'secp256k1') {
    if (typeof v.address !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(v.address)) {
      throw bad('ephemeralPublicKey.address must be a 20-byte 0x-hex address', {
        field: 'ephemeralPublicKey',
      });
    }
    key = { type: 'secp256k1', address: v.address as `0x${string}` };
  } else if (v.type === 'p256') {
    const max = 2n ** 256n;
    key = {
      type: 'p256',
      x: integer(v.x, 'ephemeralPublicKey.x', 0n, max),
      y: integer(v.y, 'ephemeralPublicKey.y', 0n, max),
    };
  } else {
    throw bad('ephemeralPublicKey.type must be "secp256k1" or "p256"', { field: 'ephemeralPublicKey' });
  }
  // Checks the point is on P-256 (INVALID_EPHEMERAL_KEY from core otherwise).
  ephemeralKeyId(key);
  return key;
}

/**
 * Validates the shape of a `POST /v1` body and parses its integers. Cheap: nothing is fetched or hashed
 * beyond the ephemeral key's curve check.
 *
 * @throws {ProverError} BAD_REQUEST naming the field; core's INVALID_EPHEMERAL_KEY for a point off P-256.
 * @example
 * ```ts
 * const request = parseProveRequest({ jwt, ephemeralPublicKey: { type: 'secp256k1', address }, expiry: '1767225600', jwtRandomness: '0x1f', salt: '42' });
 * request.expiry; // 1767225600n
 * ```
 */
export function parseProveRequest(body: unknown): ProveRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw bad('the body must be a JSON object');
  }
  const b = body as Record<string, unknown>;
  for (const name of Object.keys(b)) {
    const sui = SUI_FIELDS[name];
    if (sui) throw bad(`${name} is Sui's field; this prover takes ${sui}`, { field: name });
    if (!FIELDS.has(name)) throw bad(`unknown field ${name}`, { field: name });
  }
  if (typeof b.jwt !== 'string' || b.jwt.length === 0)
    throw bad('jwt must be a non-empty string', { field: 'jwt' });
  if (b.keyClaimName !== undefined && typeof b.keyClaimName !== 'string') {
    throw bad('keyClaimName must be a string ("sub" or "email")', { field: 'keyClaimName' });
  }
  return {
    jwt: b.jwt,
    ephemeralPublicKey: ephemeralKey(b.ephemeralPublicKey),
    expiry: integer(b.expiry, 'expiry', 1n, EXPIRY_MAX),
    randomness: integer(b.jwtRandomness, 'jwtRandomness', 0n, RANDOMNESS_MAX),
    salt: integer(b.salt, 'salt', 0n, SALT_MAX),
    keyClaimName: b.keyClaimName ?? 'sub',
  };
}
