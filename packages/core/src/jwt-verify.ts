import type { DecodedJwt } from './jwt.ts';
import { modulusFromJwk, type RsaJwk } from './rsa.ts';

/**
 * Verifies a decoded token's RS256 signature with WebCrypto against an RSA JWK that zksso/v1 accepts
 * (checked with {@link modulusFromJwk}). Use it before spending a proof on a token: the circuit would fail
 * on a bad signature anyway, but much later.
 *
 * @throws {UnsupportedJwkError} when the JWK is not an RS256 2048-bit key with e = 65537.
 * @example
 * ```ts
 * const decoded = decodeJwt(idToken);
 * const jwk = jwks.keys.find((key) => key.kid === decoded.header.kid);
 * if (!jwk || !(await verifyJwtSignature(decoded, jwk))) throw new Error('bad token');
 * ```
 */
export async function verifyJwtSignature(decoded: DecodedJwt, jwk: RsaJwk): Promise<boolean> {
  modulusFromJwk(jwk);
  const key = await globalThis.crypto.subtle.importKey(
    'jwk',
    { kty: 'RSA', n: jwk.n, e: jwk.e, alg: 'RS256', ext: true },
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['verify'],
  );
  return globalThis.crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, decoded.signature, decoded.signedInput);
}
