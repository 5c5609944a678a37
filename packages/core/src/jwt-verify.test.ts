import { describe, expect, it } from 'vitest';
import { signJwt, testRsaKey } from '../test/jwt-fixtures.ts';
import { decodeJwt } from './jwt.ts';
import { verifyJwtSignature } from './jwt-verify.ts';
import type { RsaJwk } from './rsa.ts';

async function publicJwk(pair?: CryptoKeyPair): Promise<RsaJwk> {
  const { publicKey } = pair ?? (await testRsaKey());
  return (await crypto.subtle.exportKey('jwk', publicKey)) as RsaJwk;
}

describe('verifyJwtSignature', () => {
  it('accepts a token signed by the key and rejects a tampered one or another key', async () => {
    const token = await signJwt({ alg: 'RS256' }, { iss: 'https://a.b', sub: 's' });
    const jwk = await publicJwk();
    expect(await verifyJwtSignature(decodeJwt(token), jwk)).toBe(true);

    const [h, , s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ iss: 'https://a.b', sub: 't' })).toString('base64url')}.${s}`;
    expect(await verifyJwtSignature(decodeJwt(forged), jwk)).toBe(false);

    const other = await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      true,
      ['sign', 'verify'],
    );
    expect(await verifyJwtSignature(decodeJwt(token), await publicJwk(other as CryptoKeyPair))).toBe(false);
  }, 30_000);

  it('refuses an unsupported JWK with JWK_UNSUPPORTED', async () => {
    const token = await signJwt({ alg: 'RS256' }, { sub: 's' });
    const jwk = await publicJwk();
    await expect(verifyJwtSignature(decodeJwt(token), { ...jwk, e: 'Aw' })).rejects.toMatchObject({
      code: 'JWK_UNSUPPORTED',
    });
  }, 30_000);
});
