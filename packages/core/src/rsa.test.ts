import { describe, expect, it } from 'vitest';
import { referencePoseidon } from '../test/reference.ts';
import { bytesToBase64Url } from './encoding.ts';
import { UnsupportedJwkError } from './errors.ts';
import { modulusFromJwk, modulusHash, modulusLimbs } from './rsa.ts';

async function rsaJwk(bits = 2048, publicExponent = new Uint8Array([1, 0, 1])) {
  const { publicKey } = await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: bits, publicExponent, hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  );
  return (await crypto.subtle.exportKey('jwk', publicKey)) as {
    kty: string;
    n: string;
    e: string;
    alg?: string;
  };
}

describe('RSA modulus', () => {
  it('reads a WebCrypto RS256 JWK and splits it into 16 × 128-bit limbs, most significant first', async () => {
    const jwk = await rsaJwk();
    expect(jwk.alg).toBe('RS256');
    const n = modulusFromJwk(jwk);
    expect(n.toString(2)).toHaveLength(2048);
    expect(BigInt(`0x${Buffer.from(jwk.n, 'base64url').toString('hex')}`)).toBe(n);
    const limbs = modulusLimbs(n);
    expect(limbs).toHaveLength(16);
    expect(limbs.every((l) => l >= 0n && l < 2n ** 128n)).toBe(true);
    expect(limbs.reduce((acc, l) => (acc << 128n) | l, 0n)).toBe(n);
    // Most significant first: the top limb holds bit 2047.
    expect((limbs[0] as bigint) >> 127n).toBe(1n);
    expect(modulusHash(n)).toBe(await referencePoseidon(limbs));
  }, 30_000);

  it('limbs of a structured value', () => {
    const n = (1n << 2047n) | (5n << 128n) | 7n;
    const limbs = modulusLimbs(n);
    expect(limbs[0]).toBe(1n << 127n);
    expect(limbs[14]).toBe(5n);
    expect(limbs[15]).toBe(7n);
    expect(() => modulusLimbs(1n << 2048n)).toThrow(expect.objectContaining({ code: 'OUT_OF_RANGE' }));
  });

  it('refuses unsupported JWKs with JWK_UNSUPPORTED', async () => {
    const jwk = await rsaJwk();
    const bad = (over: Record<string, unknown>, reason: string) => {
      try {
        modulusFromJwk({ ...jwk, ...over } as never);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(UnsupportedJwkError);
        expect((error as UnsupportedJwkError).code).toBe('JWK_UNSUPPORTED');
        expect((error as UnsupportedJwkError).details.reason).toContain(reason);
      }
    };
    bad({ kty: 'EC' }, 'kty');
    bad({ alg: 'RS512' }, 'alg');
    bad({ e: 'Aw' }, 'e must');
    bad({ n: 'ab+c' }, 'base64url');
    bad({ n: bytesToBase64Url(new Uint8Array(255).fill(0xff)) }, '2048');
    bad({ n: bytesToBase64Url(new Uint8Array(257).fill(0xff)) }, '2048');
    // No alg member is fine.
    const { alg: _alg, ...noAlg } = jwk;
    expect(modulusFromJwk(noAlg)).toBe(modulusFromJwk(jwk));
  }, 30_000);

  it('refuses a 1024-bit key', async () => {
    const jwk = await rsaJwk(1024);
    expect(() => modulusFromJwk(jwk)).toThrow(expect.objectContaining({ code: 'JWK_UNSUPPORTED' }));
  }, 30_000);
});
