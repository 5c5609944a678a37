import {
  type EphemeralPublicKey,
  EXPIRY_MAX,
  ephemeralKeyId,
  type ProveRequestBody,
  parseBigInt,
  RANDOMNESS_MAX,
  SALT_MAX,
  ZkSsoError,
} from '@zksso/core';
import { ProverError } from './errors.ts';
import { parseExtendedEphemeralKey, parseSuiInteger } from './sui-encoding.ts';

/** The body of `POST /v1`: `@zksso/core`'s wire type, the one the SDK sends. */
export type { ProveRequestBody };

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
  extendedEphemeralPublicKey:
    'ephemeralPublicKey (the extended key keyType ‖ keyBytes in base64 or decimal, or { type, address } / { type, x, y })',
  maxEpoch: 'expiry (unix seconds)',
};

function bad(message: string, details: Record<string, unknown> = {}): ProverError {
  return new ProverError('BAD_REQUEST', message, { details });
}

function reasonOf(error: unknown): string {
  return error instanceof ZkSsoError ? String(error.details.reason ?? error.message) : 'invalid';
}

/** `base64` fields also take Sui's base64 form; the others (expiry) decimal or hex only. */
function integer(
  value: unknown,
  field: string,
  min: bigint,
  maxExclusive: bigint,
  options: { base64?: boolean } = {},
): bigint {
  const forms = options.base64 ? 'decimal, base64 or 0x-hex' : 'decimal or 0x-hex';
  let parsed: bigint;
  if (typeof value === 'number' && field === 'expiry' && Number.isSafeInteger(value)) {
    parsed = BigInt(value);
  } else {
    if (typeof value !== 'string') {
      throw bad(`${field} must be a ${forms} string`, { field });
    }
    try {
      parsed = options.base64 ? parseSuiInteger(value, field) : parseBigInt(value, field);
    } catch (error) {
      throw bad(`${field} is not a ${forms} integer: ${reasonOf(error)}`, { field });
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
  if (typeof value === 'string') {
    let key: EphemeralPublicKey;
    try {
      key = parseExtendedEphemeralKey(value);
    } catch (error) {
      // A point off the curve or a wrong length keeps core's INVALID_EPHEMERAL_KEY; unreadable text is shape.
      if (error instanceof ZkSsoError && error.code === 'INVALID_EPHEMERAL_KEY') throw error;
      throw bad(`ephemeralPublicKey is not a base64, decimal or 0x-hex extended key: ${reasonOf(error)}`, {
        field: 'ephemeralPublicKey',
      });
    }
    return key;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw bad('ephemeralPublicKey must be an extended-key string, { type, address } or { type, x, y }', {
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
      x: integer(v.x, 'ephemeralPublicKey.x', 0n, max, { base64: true }),
      y: integer(v.y, 'ephemeralPublicKey.y', 0n, max, { base64: true }),
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
 * // Sui's base64 forms: the extended key (keyType ‖ keyBytes), randomness and salt bytes
 * parseProveRequest({ jwt, ephemeralPublicKey: 'AVqutgU/PpTJuaCfM2aUNefvG+rt', expiry: '1767225600', jwtRandomness: 'S76Qi8c/SZlmmotnFMr13Q==', salt: 'urgFnwIxJ++Ooswtf0Nn1w==' });
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
    randomness: integer(b.jwtRandomness, 'jwtRandomness', 0n, RANDOMNESS_MAX, { base64: true }),
    salt: integer(b.salt, 'salt', 0n, SALT_MAX, { base64: true }),
    keyClaimName: b.keyClaimName ?? 'sub',
  };
}
