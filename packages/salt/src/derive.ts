import { hkdfSync } from 'node:crypto';
import { type GetSaltResponse, normalizeIssuer } from '@zksso/core';

/** What a salt is bound to: the normalised issuer, the audience and the key claim. */
export type SaltKey = {
  /** Normalised issuer (zksso/v1 §3). */
  iss: string;
  aud: string;
  keyClaimName: 'sub' | 'email';
  keyClaimValue: string;
};

const INFO_LABEL = 'zksso/v1/salt';

function lengthPrefixed(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > 0xffff) throw new RangeError('value longer than 65535 bytes');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/**
 * Derived-mode salt (no database), the zkLogin construction `HKDF(ikm = seed, salt = iss ‖ aud, info = sub)`
 * with each part length-prefixed so that no two inputs share bytes:
 * ```
 * salt = uint128_be( HKDF-SHA256(ikm  = seed,
 *                                salt = lp(normalizeIssuer(iss)) ‖ lp(aud),
 *                                info = "zksso/v1/salt" ‖ lp(keyClaimName) ‖ lp(keyClaimValue),
 *                                L    = 16) )
 * ```
 * where `lp(s)` is the 2-byte big-endian length of UTF-8(s) followed by those bytes (so `"ab" ‖ "c"` and
 * `"a" ‖ "bc"` differ). The key claim value is the `sub` (or the verified email when the app keys accounts by
 * email; the claim name in `info` keeps the two apart). 16 output bytes read as a big-endian integer are always
 * < 2^128 (zksso/v1 §1.2). The seed can never rotate: a new seed changes every salt, hence every account
 * address.
 *
 * @example
 * ```ts
 * const salt = deriveSalt(seed, { iss: 'https://accounts.google.com', aud: 'my-app', keyClaimName: 'sub', keyClaimValue: '1234' });
 * ```
 */
export function deriveSalt(seed: Uint8Array, key: SaltKey): bigint {
  if (seed.length < 32) throw new RangeError('the master seed must be at least 32 bytes');
  const okm = Buffer.from(hkdfSync('sha256', seed, deriveHkdfSalt(key), deriveInfo(key), 16));
  return BigInt(`0x${okm.toString('hex')}`);
}

/**
 * The HKDF `salt` bytes of {@link deriveSalt}: `lp(normalizeIssuer(iss)) ‖ lp(aud)` (exported so other
 * implementations can be checked against it).
 *
 * @example
 * ```ts
 * const hkdfSalt = deriveHkdfSalt({ iss: 'https://accounts.google.com', aud: 'app', keyClaimName: 'sub', keyClaimValue: '1' });
 * ```
 */
export function deriveHkdfSalt(key: SaltKey): Buffer {
  return Buffer.concat([lengthPrefixed(normalizeIssuer(key.iss)), lengthPrefixed(key.aud)]);
}

/**
 * The HKDF `info` bytes of {@link deriveSalt}: `"zksso/v1/salt" ‖ lp(keyClaimName) ‖ lp(keyClaimValue)`.
 *
 * @example
 * ```ts
 * const info = deriveInfo({ iss: 'https://accounts.google.com', aud: 'app', keyClaimName: 'sub', keyClaimValue: '1' });
 * ```
 */
export function deriveInfo(key: SaltKey): Buffer {
  return Buffer.concat([
    Buffer.from(INFO_LABEL, 'utf8'),
    lengthPrefixed(key.keyClaimName),
    lengthPrefixed(key.keyClaimValue),
  ]);
}

/**
 * Formats a salt as its JSON answer: decimal (Sui-compatible) and 32-byte hex (zksso/v1 §1).
 *
 * @example
 * ```ts
 * formatSalt(5n); // { salt: '5', saltHex: '0x00…05' }
 * ```
 */
export function formatSalt(salt: bigint): GetSaltResponse {
  return { salt: salt.toString(10), saltHex: `0x${salt.toString(16).padStart(64, '0')}` };
}
