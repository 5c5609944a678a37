import { describe, expect, it } from 'vitest';
import { b64, signJwt, testRsaKey } from '../test/jwt-fixtures.ts';
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
  NonceMalformedError,
  ZkSsoError,
} from './errors.ts';
import { decodeJwt, extractIdentityClaims } from './jwt.ts';
import { computeNonce, decodeNonce } from './nonce.ts';

const nonce = computeNonce({
  ephemeralPublicKey: { type: 'secp256k1', address: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed' },
  expiry: 1_900_000_000n,
  randomness: 99n,
});
const header = { alg: 'RS256', kid: 'k1', typ: 'JWT' };
const payload = {
  iss: 'https://accounts.google.com',
  aud: 'client.apps.googleusercontent.com',
  sub: '110169484474386276334',
  email: 'alice@example.com',
  email_verified: true,
  nonce,
  iat: 1_700_000_000,
  exp: 1_700_003_600,
};

async function expectError(
  promise: () => unknown | Promise<unknown>,
  type: abstract new (...args: never[]) => ZkSsoError,
  code: string,
) {
  let caught: unknown;
  try {
    await promise();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(type);
  expect(caught).toBeInstanceOf(ZkSsoError);
  expect((caught as ZkSsoError).code).toBe(code);
  expect((caught as ZkSsoError).message.length).toBeGreaterThan(10);
  return caught as ZkSsoError;
}

describe('decodeJwt', () => {
  it('decodes header, payload, signed input and signature; the signature verifies over signedInput', async () => {
    const token = await signJwt(header, payload);
    const decoded = decodeJwt(token);
    expect(decoded.header).toEqual(header);
    expect(decoded.payload).toEqual(payload);
    const [h, p, s] = token.split('.');
    expect(decoded.headerB64).toBe(h);
    expect(decoded.payloadB64).toBe(p);
    expect(new TextDecoder().decode(decoded.signedInput)).toBe(`${h}.${p}`);
    expect(decoded.signature).toHaveLength(256);
    expect(b64(decoded.signature)).toBe(s);
    expect(decoded.payloadJson).toBe(JSON.stringify(payload));
    const { publicKey } = await testRsaKey();
    expect(
      await crypto.subtle.verify('RSASSA-PKCS1-v1_5', publicKey, decoded.signature, decoded.signedInput),
    ).toBe(true);
  }, 30_000);

  it.each(['a.b', 'a.b.c.d', '', '..', 'a..c'])('refuses %j with JWT_MALFORMED', async (token) => {
    await expectError(() => decodeJwt(token), JwtMalformedError, 'JWT_MALFORMED');
  });

  it('refuses bad base64url with JWT_BAD_BASE64URL', async () => {
    const token = await signJwt(header, payload);
    const [h, p, s] = token.split('.') as [string, string, string];
    const e = await expectError(
      () => decodeJwt(`${h}.${p}=.${s}`),
      JwtBadBase64UrlError,
      'JWT_BAD_BASE64URL',
    );
    expect(e.details.part).toBe('payload');
    await expectError(() => decodeJwt(`${h}+.${p}.${s}`), JwtBadBase64UrlError, 'JWT_BAD_BASE64URL');
    await expectError(() => decodeJwt(`${h}.${p}.${s}/`), JwtBadBase64UrlError, 'JWT_BAD_BASE64URL');
  });

  it.each([
    ['array payload', '[1]'],
    ['null payload', 'null'],
    ['string payload', '"x"'],
    ['not JSON', '{iss:1}'],
    ['duplicate member', '{"nonce":"a","nonce":"b"}'],
    ['BOM', '\uFEFF{}'],
  ])('refuses %s with JWT_BAD_JSON', async (_why, text) => {
    await expectError(async () => decodeJwt(await signJwt(header, text)), JwtBadJsonError, 'JWT_BAD_JSON');
  });

  it('refuses a header that is not an object and invalid UTF-8 with JWT_BAD_JSON', async () => {
    await expectError(() => decodeJwt(`${b64('[]')}.${b64('{}')}.AA`), JwtBadJsonError, 'JWT_BAD_JSON');
    const badUtf8 = b64(new Uint8Array([0x7b, 0xff, 0x7d]));
    await expectError(
      () => decodeJwt(`${b64(JSON.stringify(header))}.${badUtf8}.AA`),
      JwtBadJsonError,
      'JWT_BAD_JSON',
    );
  });

  it.each([{ alg: 'HS256' }, { alg: 'none' }, { alg: 'RS512' }, { alg: 'ES256' }, {}])(
    'refuses header %j with JWT_UNSUPPORTED_ALG',
    async (h) => {
      await expectError(
        async () => decodeJwt(await signJwt(h, payload)),
        JwtUnsupportedAlgError,
        'JWT_UNSUPPORTED_ALG',
      );
    },
  );

  it('refuses a signed input over the maximum with JWT_TOO_LONG (default 1600, configurable)', async () => {
    const big = await signJwt(header, { ...payload, pad: 'x'.repeat(1200) });
    const signedLength = big.lastIndexOf('.');
    expect(signedLength).toBeGreaterThan(1600);
    const e = await expectError(() => decodeJwt(big), JwtTooLongError, 'JWT_TOO_LONG');
    expect(e.details).toEqual({ length: signedLength, max: 1600 });
    expect(decodeJwt(big, { maxSignedInputLength: 4000 }).payload.pad).toHaveLength(1200);
    const small = await signJwt(header, payload);
    await expectError(() => decodeJwt(small, { maxSignedInputLength: 100 }), JwtTooLongError, 'JWT_TOO_LONG');
    // Exactly at the maximum is accepted.
    expect(() => decodeJwt(small, { maxSignedInputLength: small.lastIndexOf('.') })).not.toThrow();
  });
});

describe('extractIdentityClaims', () => {
  it('returns iss, aud, the key claim and the nonce', async () => {
    const claims = extractIdentityClaims(decodeJwt(await signJwt(header, payload)));
    expect(claims).toEqual({
      iss: payload.iss,
      aud: payload.aud,
      keyClaimName: 'sub',
      keyClaimValue: payload.sub,
      nonce,
      nonceField: decodeNonce(nonce),
    });
  });

  it('supports a verified email as key claim (true or "true")', async () => {
    for (const email_verified of [true, 'true']) {
      const decoded = decodeJwt(await signJwt(header, { ...payload, email_verified }));
      expect(extractIdentityClaims(decoded, { keyClaimName: 'email' })).toMatchObject({
        keyClaimName: 'email',
        keyClaimValue: 'alice@example.com',
      });
    }
  });

  it('refuses an unverified email with EMAIL_NOT_VERIFIED', async () => {
    for (const email_verified of [false, 'false', undefined, 1, 'TRUE']) {
      const decoded = decodeJwt(await signJwt(header, { ...payload, email_verified }));
      await expectError(
        () => extractIdentityClaims(decoded, { keyClaimName: 'email' }),
        EmailNotVerifiedError,
        'EMAIL_NOT_VERIFIED',
      );
    }
  });

  it('refuses key claims other than sub and email with KEY_CLAIM_UNSUPPORTED', async () => {
    const decoded = decodeJwt(await signJwt(header, payload));
    await expectError(
      () => extractIdentityClaims(decoded, { keyClaimName: 'name' }),
      KeyClaimUnsupportedError,
      'KEY_CLAIM_UNSUPPORTED',
    );
  });

  it.each(['iss', 'aud', 'sub', 'nonce'])('refuses a missing %s with CLAIM_MISSING', async (claim) => {
    const { [claim as keyof typeof payload]: _gone, ...rest } = payload;
    const e = await expectError(
      async () => extractIdentityClaims(decodeJwt(await signJwt(header, rest))),
      ClaimMissingError,
      'CLAIM_MISSING',
    );
    expect(e.details.claim).toBe(claim);
  });

  it.each([
    ['sub', 1234],
    ['iss', null],
    ['nonce', { a: 1 }],
    ['sub', true],
  ])('refuses a non-string %s with CLAIM_NOT_STRING', async (claim, value) => {
    const e = await expectError(
      async () => extractIdentityClaims(decodeJwt(await signJwt(header, { ...payload, [claim]: value }))),
      ClaimNotStringError,
      'CLAIM_NOT_STRING',
    );
    expect(e.details.claim).toBe(claim);
  });

  it('refuses an aud array with AUD_IS_ARRAY', async () => {
    await expectError(
      async () => extractIdentityClaims(decodeJwt(await signJwt(header, { ...payload, aud: ['a', 'b'] }))),
      AudIsArrayError,
      'AUD_IS_ARRAY',
    );
  });

  it.each([
    ['sub', 125, 124],
    ['aud', 125, 124],
    ['email', 130, 124],
  ])('refuses a %s of %d bytes with CLAIM_TOO_LONG', async (claim, length, max) => {
    const decoded = decodeJwt(await signJwt(header, { ...payload, [claim]: 'x'.repeat(length) }));
    const e = await expectError(
      () => extractIdentityClaims(decoded, { keyClaimName: claim === 'email' ? 'email' : 'sub' }),
      ClaimTooLongError,
      'CLAIM_TOO_LONG',
    );
    expect(e.details).toEqual({ claim, length, max });
  });

  it('measures the issuer after normalisation', async () => {
    const iss = 'x'.repeat(120); // 128 bytes once https:// is prepended
    const e = await expectError(
      async () => extractIdentityClaims(decodeJwt(await signJwt(header, { ...payload, iss }))),
      ClaimTooLongError,
      'CLAIM_TOO_LONG',
    );
    expect(e.details).toEqual({ claim: 'iss', length: 128, max: 124 });
  });

  it.each([
    ['an escaped quote in sub', `{"iss":"https://a.b","aud":"c","sub":"a\\"b","nonce":"${nonce}"}`, 'sub'],
    ['a unicode escape in sub', `{"iss":"https://a.b","aud":"c","sub":"\\u0061","nonce":"${nonce}"}`, 'sub'],
    ['an escaped slash in iss', `{"iss":"https:\\/\\/a.b","aud":"c","sub":"s","nonce":"${nonce}"}`, 'iss'],
    ['an escape in aud', `{"iss":"https://a.b","aud":"c\\n","sub":"s","nonce":"${nonce}"}`, 'aud'],
    ['an escaped member name', `{"iss":"https://a.b","aud":"c","s\\u0075b":"s","nonce":"${nonce}"}`, 'sub'],
  ])('refuses %s with CLAIM_HAS_ESCAPE (checked on the raw payload)', async (_why, json, claim) => {
    const e = await expectError(
      async () => extractIdentityClaims(decodeJwt(await signJwt(header, json))),
      ClaimHasEscapeError,
      'CLAIM_HAS_ESCAPE',
    );
    expect(e.details.claim).toBe(claim);
  });

  it('ignores escapes in claims the circuit does not read, and tolerates whitespace', async () => {
    const json = `{ "name" : "O\\u0027Brien", "iss" : "https://a.b" ,"aud":"c","sub":"s","nested":{"x":"\\"}"},"nonce":"${nonce}" }`;
    expect(extractIdentityClaims(decodeJwt(await signJwt(header, json)))).toMatchObject({
      iss: 'https://a.b',
      aud: 'c',
      keyClaimValue: 's',
      nonce,
    });
  });

  it.each(['short', `${nonce}A`, `${nonce.slice(0, 42)}+`])(
    'refuses nonce %j with NONCE_MALFORMED',
    async (bad) => {
      await expectError(
        async () => extractIdentityClaims(decodeJwt(await signJwt(header, { ...payload, nonce: bad }))),
        NonceMalformedError,
        'NONCE_MALFORMED',
      );
    },
  );
});
