import { describe, expect, it } from 'vitest';
import { b64 } from '../test/jwt-fixtures.ts';
import * as core from './index.ts';
import {
  AudIsArrayError,
  ClaimHasEscapeError,
  ClaimMissingError,
  ClaimNotStringError,
  ClaimTooLongError,
  decodeJwt,
  EmailNotVerifiedError,
  extractIdentityClaims,
  InvalidBase64UrlError,
  InvalidEphemeralKeyError,
  InvalidIntegerError,
  InvalidLengthError,
  InvalidMaxLengthError,
  InvalidPublicInputsError,
  InvalidSignatureError,
  JwksInvalidError,
  JwksUnavailableError,
  JwtBadBase64UrlError,
  JwtBadJsonError,
  JwtKidUnknownError,
  JwtMalformedError,
  JwtTooLongError,
  JwtUnsupportedAlgError,
  KeyClaimUnsupportedError,
  NonceMalformedError,
  OutOfRangeError,
  PoseidonArityError,
  ProviderError,
  SessionPolicyError,
  UnsupportedJwkError,
  ZkSsoError,
} from './index.ts';

// One test per error class @zksso/core exports: each is triggered through the public function its TSDoc
// names, and its stable code and details are checked. The first test fails when a new error class is
// exported without a case here.

const nonce = core.computeNonce({
  ephemeralPublicKey: { type: 'secp256k1', address: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed' },
  expiry: 1_900_000_000n,
  randomness: 1n,
});
const claims = { iss: 'https://accounts.google.com', aud: 'app', sub: '42', nonce };
/** A structurally valid token (decodeJwt does not check signatures); `header`/`payload` may be raw JSON. */
const token = (payload: object | string = claims, header: object | string = { alg: 'RS256' }) =>
  `${b64(typeof header === 'string' ? header : JSON.stringify(header))}.${b64(
    typeof payload === 'string' ? payload : JSON.stringify(payload),
  )}.${b64('signature')}`;
const identity = (payload: object | string, keyClaimName?: string) =>
  extractIdentityClaims(decodeJwt(token(payload)), { keyClaimName: keyClaimName as never });

type Case = {
  error: abstract new (...args: never[]) => ZkSsoError;
  code: string;
  trigger: () => unknown;
  details?: Record<string, unknown>;
};

const CASES: Case[] = [
  { error: InvalidIntegerError, code: 'INVALID_INTEGER', trigger: () => core.parseBigInt('12abc', 'salt') },
  {
    error: OutOfRangeError,
    code: 'OUT_OF_RANGE',
    trigger: () => core.hashSalt(2n ** 128n),
    details: { name: 'salt', min: '0', maxExclusive: (2n ** 128n).toString() },
  },
  {
    error: InvalidLengthError,
    code: 'INVALID_LENGTH',
    trigger: () => core.fromBytes32(new Uint8Array(31)),
    details: { length: 31 },
  },
  {
    error: ClaimTooLongError,
    code: 'CLAIM_TOO_LONG',
    trigger: () => core.hashBytes('x'.repeat(125), 124, 'aud'),
    details: { claim: 'aud', length: 125, max: 124 },
  },
  { error: InvalidBase64UrlError, code: 'BAD_BASE64URL', trigger: () => core.base64UrlToBytes('ab+c') },
  { error: NonceMalformedError, code: 'NONCE_MALFORMED', trigger: () => core.decodeNonce('abc') },
  {
    error: InvalidEphemeralKeyError,
    code: 'INVALID_EPHEMERAL_KEY',
    trigger: () => core.ephemeralKeyId({ type: 'p256', x: 1n, y: 1n }),
  },
  {
    error: UnsupportedJwkError,
    code: 'JWK_UNSUPPORTED',
    trigger: () => core.modulusFromJwk({ kty: 'EC', n: '', e: '' }),
  },
  {
    error: InvalidPublicInputsError,
    code: 'INVALID_PUBLIC_INPUTS',
    trigger: () => core.parsePublicInputs([1n, 2n]),
  },
  { error: JwtMalformedError, code: 'JWT_MALFORMED', trigger: () => decodeJwt('a.b') },
  { error: JwtBadBase64UrlError, code: 'JWT_BAD_BASE64URL', trigger: () => decodeJwt('e30.e+0.c2ln') },
  {
    error: JwtBadJsonError,
    code: 'JWT_BAD_JSON',
    trigger: () => decodeJwt(token('not json')),
    details: { part: 'payload' },
  },
  {
    error: JwtUnsupportedAlgError,
    code: 'JWT_UNSUPPORTED_ALG',
    trigger: () => decodeJwt(token(claims, { alg: 'HS256' })),
  },
  {
    error: JwtTooLongError,
    code: 'JWT_TOO_LONG',
    trigger: () => decodeJwt(token({ ...claims, name: 'x'.repeat(core.DEFAULT_MAX_SIGNED_INPUT_LENGTH) })),
    details: { max: core.DEFAULT_MAX_SIGNED_INPUT_LENGTH },
  },
  {
    error: ClaimMissingError,
    code: 'CLAIM_MISSING',
    trigger: () => identity({ ...claims, aud: undefined }),
    details: { claim: 'aud' },
  },
  {
    error: ClaimNotStringError,
    code: 'CLAIM_NOT_STRING',
    trigger: () => identity({ ...claims, sub: 42 }),
    details: { claim: 'sub' },
  },
  {
    error: AudIsArrayError,
    code: 'AUD_IS_ARRAY',
    trigger: () => identity({ ...claims, aud: ['app', 'other'] }),
    details: { count: 2 },
  },
  {
    error: EmailNotVerifiedError,
    code: 'EMAIL_NOT_VERIFIED',
    trigger: () => identity({ ...claims, email: 'a@example.com', email_verified: false }, 'email'),
  },
  {
    error: KeyClaimUnsupportedError,
    code: 'KEY_CLAIM_UNSUPPORTED',
    trigger: () => identity(claims, 'preferred_username'),
  },
  {
    error: ClaimHasEscapeError,
    code: 'CLAIM_HAS_ESCAPE',
    trigger: () => identity(JSON.stringify(claims).replace('"sub":"42"', '"sub":"4\\u0032"')),
    details: { claim: 'sub' },
  },
  {
    error: InvalidSignatureError,
    code: 'INVALID_SIGNATURE',
    trigger: () => core.normalizeP256Signature(new Uint8Array(63)),
  },
  {
    error: InvalidMaxLengthError,
    code: 'INVALID_MAX_LENGTH',
    trigger: () => core.packBytes(new Uint8Array(), 30),
  },
  { error: PoseidonArityError, code: 'POSEIDON_ARITY', trigger: () => core.poseidonHash([]) },
  {
    error: SessionPolicyError,
    code: 'PERIOD_UNKNOWN_UNIT',
    trigger: () => core.parsePeriod('1 month', 'feeLimit.period'),
    details: { path: 'feeLimit.period' },
  },
  {
    error: JwksInvalidError,
    code: 'JWKS_INVALID',
    trigger: () => core.filterJwks({ keys: 'none' }),
  },
  {
    error: JwksUnavailableError,
    code: 'JWKS_UNAVAILABLE',
    trigger: () =>
      core.fetchJwks('https://idp.example/jwks', {
        fetch: async () => new Response('busy', { status: 503 }),
        timeoutMs: 1_000,
      }),
    details: { url: 'https://idp.example/jwks', kind: 'http', status: 503 },
  },
  {
    error: JwtKidUnknownError,
    code: 'JWT_KID_UNKNOWN',
    trigger: () =>
      new core.JwksCache({
        fetch: async () => Response.json({ keys: [] }),
        ttlMs: 60_000,
        minRefetchMs: 60_000,
        timeoutMs: 1_000,
        jwksUris: { 'https://idp.example': 'https://idp.example/jwks' },
      }).keysFor('https://idp.example', 'gone'),
    details: { iss: 'https://idp.example', kid: 'gone' },
  },
  {
    error: ProviderError,
    code: 'UNKNOWN_PROVIDER',
    trigger: () => core.getProvider('myspace' as never),
  },
];

/** What `trigger` throws, or its promise rejects with (the JWKS helpers fail asynchronously). */
async function thrown(trigger: () => unknown): Promise<unknown> {
  try {
    await trigger();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('@zksso/core errors', () => {
  it('has a case below for every exported ZkSsoError subclass', () => {
    const exported = Object.entries(core)
      .filter(([, value]) => typeof value === 'function' && value.prototype instanceof ZkSsoError)
      .map(([name]) => name)
      .sort();
    expect(CASES.map((c) => c.error.name).sort()).toEqual(exported);
  });

  it.each(CASES.map((c) => [c.error.name, c] as const))(
    '%s',
    async (_name, { error, code, trigger, details }) => {
      const caught = await thrown(trigger);
      expect(caught).toBeInstanceOf(error);
      expect(caught).toBeInstanceOf(ZkSsoError);
      const e = caught as ZkSsoError;
      expect(e.code).toBe(code);
      expect(e.code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/);
      expect(e.name).toBe(error.name);
      expect(e.message.length).toBeGreaterThan(0);
      expect(Object.isFrozen(e.details)).toBe(true);
      if (details) expect(e.details).toMatchObject(details);
    },
  );

  it('ZkSsoError keeps code, frozen details and cause', () => {
    const cause = new Error('inner');
    const e = new ZkSsoError('SOME_CODE', 'message', { cause, details: { n: 1 } });
    expect([e.code, e.message, e.name, e.cause, e.details]).toEqual([
      'SOME_CODE',
      'message',
      'ZkSsoError',
      cause,
      { n: 1 },
    ]);
    expect(() => {
      (e.details as Record<string, unknown>).n = 2;
    }).toThrow(TypeError);
  });

  it('never puts the token in an error about it', async () => {
    const secret = token({ ...claims, aud: ['a', 'b'] });
    const e = (await thrown(() => extractIdentityClaims(decodeJwt(secret)))) as ZkSsoError;
    expect(e.code).toBe('AUD_IS_ARRAY');
    expect(`${e.message} ${JSON.stringify(e.details)}`).not.toContain(secret.split('.')[1]);
  });
});
