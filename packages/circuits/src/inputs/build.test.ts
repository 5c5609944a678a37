import {
  computeNonce,
  decodeJwt,
  extractIdentityClaims,
  modulusFromJwk,
  parsePublicInputs,
  utf8ToBytes,
} from '@zksso/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  EPHEMERAL_KEY,
  EXPIRY,
  makeRsaKey,
  NONCE,
  RANDOMNESS,
  SALT,
  signJwt,
  type TestRsaKey,
} from '../../test/circuit/fixtures.ts';
import { buildCheckedZkLoginInputs, buildZkLoginInputs } from './build.ts';
import { locateClaims } from './json-layout.ts';
import { toLimbs, verifyRs256 } from './rsa.ts';
import { sha256Pad } from './sha-padding.ts';

const HEADER = '{"alg":"RS256","typ":"JWT"}';
const payload = (extra = '') =>
  `{"iss":"https://id.example","aud":"app","sub":"u1",${extra}"nonce":"${NONCE}","exp":1}`;

let key: TestRsaKey;
beforeAll(() => {
  key = makeRsaKey();
});

const args = (jwt: string, extra: Partial<Parameters<typeof buildZkLoginInputs>[0]> = {}) =>
  ({
    jwt,
    salt: SALT,
    ephemeralPublicKey: EPHEMERAL_KEY,
    expiry: EXPIRY,
    randomness: RANDOMNESS,
    jwk: key.jwk,
    ...extra,
  }) as Parameters<typeof buildZkLoginInputs>[0];

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('buildZkLoginInputs', () => {
  it('picks the smallest tier that fits and fills every signal', () => {
    const built = buildZkLoginInputs(args(signJwt(HEADER, payload(), key)));
    expect(built.tier).toBe(576);
    expect(built.inputs.content).toHaveLength(640);
    expect(built.inputs.signature).toHaveLength(17);
    expect(built.publicInputs).toHaveLength(6);
    expect(built.inputs.keyClaimIsEmail).toBe('0');
    const big = buildZkLoginInputs(args(signJwt(HEADER, payload(`"pad":"${'x'.repeat(500)}",`), key)));
    expect(big.tier).toBe(1024);
  });

  it('refuses every token the circuit cannot prove, with a typed code', () => {
    const jwt = (p: string, h = HEADER) => signJwt(h, p, key);
    expect(codeOf(() => buildZkLoginInputs(args(jwt(payload(`"pad":"${'x'.repeat(1300)}",`)))))).toBe(
      'JWT_TOO_LONG',
    );
    expect(
      codeOf(() => buildZkLoginInputs(args(jwt(payload(`"pad":"${'x'.repeat(700)}",`)), { tier: 576 }))),
    ).toBe('JWT_TOO_LONG');
    expect(codeOf(() => buildZkLoginInputs(args(jwt(payload(), '{"alg":"RS384"}'))))).toBe(
      'JWT_UNSUPPORTED_ALG',
    );
    expect(codeOf(() => buildZkLoginInputs(args(jwt(payload().replace('"sub":"u1",', '')))))).toBe(
      'CLAIM_MISSING',
    );
    expect(codeOf(() => buildZkLoginInputs(args(jwt(payload().replace('"app"', '["app"]')))))).toBe(
      'AUD_IS_ARRAY',
    );
    expect(codeOf(() => buildZkLoginInputs(args(jwt(payload().replace('"u1"', '"u\\"1"')))))).toBe(
      'CLAIM_HAS_ESCAPE',
    );
    expect(
      codeOf(() => buildZkLoginInputs(args(jwt(payload().replace('"u1"', `"${'u'.repeat(125)}"`))))),
    ).toBe('CLAIM_TOO_LONG');
    expect(
      codeOf(() => buildZkLoginInputs(args(jwt(payload('"email":"a@b.c",')), { keyClaimName: 'email' }))),
    ).toBe('EMAIL_NOT_VERIFIED');
    expect(codeOf(() => buildZkLoginInputs(args(jwt(payload()), { randomness: RANDOMNESS + 1n })))).toBe(
      'NONCE_MISMATCH',
    );
    expect(codeOf(() => buildZkLoginInputs(args(jwt(payload()), { jwk: makeRsaKey().jwk })))).toBe(
      'JWT_SIGNATURE_INVALID',
    );
    expect(codeOf(() => buildZkLoginInputs(args(jwt(payload().replace('"aud":', '"aud"          :')))))).toBe(
      'CLAIM_LAYOUT_UNSUPPORTED',
    );
  });

  it('accepts email with email_verified "true" (Apple) and true', () => {
    for (const verified of ['"true"', 'true']) {
      const built = buildZkLoginInputs(
        args(signJwt(HEADER, payload(`"email":"a@b.c","email_verified":${verified},`), key), {
          keyClaimName: 'email',
        }),
      );
      expect(built.inputs.keyClaimIsEmail).toBe('1');
      expect(built.inputs.emailVerifiedQuoted).toBe(verified === 'true' ? '0' : '1');
    }
  });

  it('takes the modulus directly as well as a JWK', () => {
    const jwt = signJwt(HEADER, payload(), key);
    const viaModulus = buildZkLoginInputs({ ...args(jwt), modulus: modulusFromJwk(key.jwk) } as never);
    expect(viaModulus.publicInputs).toEqual(buildZkLoginInputs(args(jwt)).publicInputs);
  });
});

describe('buildCheckedZkLoginInputs', () => {
  it('builds from an already decoded and checked token exactly what buildZkLoginInputs builds', () => {
    for (const [extra, keyClaimName] of [
      ['', 'sub'],
      ['"email":"a@b.c","email_verified":true,', 'email'],
    ] as const) {
      const jwt = signJwt(HEADER, payload(extra), key);
      const decoded = decodeJwt(jwt);
      const checked = buildCheckedZkLoginInputs({
        decoded,
        claims: extractIdentityClaims(decoded, { keyClaimName }),
        salt: SALT,
        ephemeralPublicKey: EPHEMERAL_KEY,
        expiry: EXPIRY,
        randomness: RANDOMNESS,
        modulus: modulusFromJwk(key.jwk),
        tier: 576,
      });
      expect(checked).toEqual(buildZkLoginInputs(args(jwt, { keyClaimName, tier: 576 })));
    }
  });

  it('names the public inputs as core does (parsePublicInputs of the ordered list)', () => {
    const built = buildZkLoginInputs(args(signJwt(HEADER, payload(), key)));
    expect(built.publicInputsByName).toEqual(parsePublicInputs(built.publicInputs));
    expect(built.publicInputsByName.expiry).toBe(EXPIRY);
    expect(built.publicInputsByName.modulusHash).toBe(BigInt(built.inputs.modulusHash as string));
  });

  it('refuses a token longer than the tier it is given', () => {
    const jwt = signJwt(HEADER, payload(`"pad":"${'x'.repeat(700)}",`), key);
    const decoded = decodeJwt(jwt);
    const run = () =>
      buildCheckedZkLoginInputs({
        decoded,
        claims: extractIdentityClaims(decoded),
        salt: SALT,
        ephemeralPublicKey: EPHEMERAL_KEY,
        expiry: EXPIRY,
        randomness: RANDOMNESS,
        modulus: modulusFromJwk(key.jwk),
        tier: 576,
      });
    expect(codeOf(run)).toBe('JWT_TOO_LONG');
  });
});

describe('locateClaims', () => {
  it('finds top-level members only, skipping strings and nested objects', () => {
    const json = utf8ToBytes(
      '{"a":"\\"sub\\":\\"x\\"","o":{"sub":"y"}, "sub" :\t"z","email_verified":"true"}',
    );
    const layout = locateClaims(json);
    const sub = layout.string('sub');
    expect(new TextDecoder().decode(json.subarray(sub.index, sub.index + 5))).toBe('"sub"');
    expect(sub.valueQuote).toBe(8);
    expect(sub.valueLength).toBe(1);
    expect(layout.emailVerified()).toMatchObject({ quoted: true, valueStart: 17 });
    expect(codeOf(() => layout.string('aud'))).toBe('CLAIM_MISSING');
  });

  it('refuses a top-level name with a \\u escape (the circuit does) but accepts other escapes and nested ones', () => {
    const locate = (text: string) => codeOf(() => locateClaims(utf8ToBytes(text)).string('sub'));
    expect(locate('{"n\\u0061me":"x","sub":"z"}')).toBe('CLAIM_LAYOUT_UNSUPPORTED');
    // An escaped backslash followed by u is not an escape of u.
    expect(locate('{"n\\\\u":"x","sub":"z"}')).toBeUndefined();
    // Slack writes "https:\/\/slack.com\/team_id": \/ cannot spell a letter, so it is accepted.
    expect(locate('{"https:\\/\\/slack.com\\/team_id":"T","sub":"z"}')).toBeUndefined();
    expect(locate('{"o":{"s\\u0075b":"y"},"v":"\\u0073","sub":"z"}')).toBeUndefined();
  });
});

describe('sha256Pad, toLimbs, verifyRs256', () => {
  it('pads like SHA-256: 0x80, zeros, 64-bit big-endian bit length, then zeros to the total', () => {
    const message = utf8ToBytes('abc');
    const padded = sha256Pad(message, 128);
    expect(padded[3]).toBe(0x80);
    expect(padded[63]).toBe(24);
    expect(padded.subarray(64).every((b) => b === 0)).toBe(true);
    expect(() => sha256Pad(new Uint8Array(56), 64)).toThrow(RangeError);
  });

  it('splits into 121-bit limbs, least significant first, and refuses overflow', () => {
    expect(toLimbs((1n << 121n) + 5n, 121, 17).slice(0, 2)).toEqual([5n, 1n]);
    expect(() => toLimbs(1n << 2057n, 121, 17)).toThrow(RangeError);
  });

  it('verifies RS256 signatures like node:crypto', () => {
    const jwt = signJwt(HEADER, payload(), key);
    const [h, p, s] = jwt.split('.') as [string, string, string];
    const signature = BigInt(`0x${Buffer.from(s, 'base64url').toString('hex')}`);
    const modulus = modulusFromJwk(key.jwk);
    expect(() => verifyRs256(utf8ToBytes(`${h}.${p}`), signature, modulus)).not.toThrow();
    expect(() => verifyRs256(utf8ToBytes(`${h}.${p}x`), signature, modulus)).toThrow(/signature mismatch/);
    expect(computeNonce({ ephemeralPublicKey: EPHEMERAL_KEY, expiry: EXPIRY, randomness: RANDOMNESS })).toBe(
      NONCE,
    );
  });
});
