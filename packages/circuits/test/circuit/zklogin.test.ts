// The zkLogin circuit at the 1,024-byte tier: witnesses for the seven providers' token shapes, and an
// adversarial corpus where a hostile prover controls the token layout and every private input.
import {
  buildPublicInputs,
  computeIdentityCommitment,
  computeNonce,
  hashIssuer,
  modulusFromJwk,
  modulusHash,
  utf8ToBytes,
} from '@zksso/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTierArtifacts } from '../../src/artifacts/cache.ts';
import { calculateWitness, WitnessError } from '../../src/build/index.ts';
import { buildZkLoginInputs, sha256Pad, type ZkLoginInputs } from '../../src/inputs/index.ts';
import { maxPaddedBytes } from '../../src/tiers.ts';
import {
  EPHEMERAL_KEY,
  EXPIRY,
  makeRsaKey,
  NONCE,
  type ProviderToken,
  providerTokens,
  RANDOMNESS,
  SALT,
  signJwt,
  type TestRsaKey,
} from './fixtures.ts';

const TIER = 1024;
let wasmPath = '';
let key: TestRsaKey;
let otherKey: TestRsaKey;

beforeAll(async () => {
  key = makeRsaKey();
  otherKey = makeRsaKey();
  // The tier's cached build (shared with the proving test and the prover service): one compile per
  // circuit-source version, whichever test process gets there first.
  ({ wasmPath } = await ensureTierArtifacts(TIER, { log: (line) => console.log(`[tier ${TIER}] ${line}`) }));
}, 3_600_000);

type Inputs = ZkLoginInputs['inputs'];

function build(jwt: string, keyClaimName: 'sub' | 'email' = 'sub', signer: TestRsaKey = key): ZkLoginInputs {
  return buildZkLoginInputs({
    jwt,
    salt: SALT,
    ephemeralPublicKey: EPHEMERAL_KEY,
    expiry: EXPIRY,
    randomness: RANDOMNESS,
    keyClaimName,
    jwk: signer.jwk,
    tier: TIER,
  });
}

async function publicSignals(inputs: Inputs): Promise<bigint[]> {
  return (await calculateWitness(wasmPath, inputs)).slice(1, 7);
}

/** Asserts the circuit refuses `inputs`; returns the error so a case can check where it failed. */
async function expectRefused(inputs: Inputs, template?: RegExp): Promise<WitnessError> {
  const error = await calculateWitness(wasmPath, inputs).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the circuit accepted a forged witness').toBeInstanceOf(WitnessError);
  const witnessError = error as WitnessError;
  expect(witnessError.code).toBe('WITNESS_FAILED');
  if (template !== undefined) expect(String(witnessError.details.template)).toMatch(template);
  return witnessError;
}

const tamper = (inputs: Inputs, changes: Record<string, string | string[]>): Inputs => ({
  ...inputs,
  ...changes,
});
const plus = (value: string | string[] | undefined, delta: number | bigint) =>
  (BigInt(value as string) + BigInt(delta)).toString();
const jsonIndexOf = (payload: string, needle: string, from = 0) => {
  const bytes = utf8ToBytes(payload);
  const target = utf8ToBytes(needle);
  outer: for (let i = from; i <= bytes.length - target.length; i++) {
    for (let j = 0; j < target.length; j++) if (bytes[i + j] !== target[j]) continue outer;
    return i;
  }
  throw new Error(`${needle} not in payload`);
};

const HEADER = '{"alg":"RS256","kid":"test-key-1","typ":"JWT"}';
const basePayload = (extra = '') =>
  `{"iss":"https://accounts.example.com","aud":"client-app.example","sub":"user-1234",${extra}"nonce":"${NONCE}","iat":1732000000,"exp":1732003600}`;

describe('zkLogin circuit: providers', () => {
  const cases = providerTokens();
  it('covers base64url characters - and _ in the signed input', () => {
    const signed = cases
      .map((t) => signJwt(t.header, t.payload, key).split('.').slice(0, 2).join('.'))
      .join('');
    expect(signed).toMatch(/-/);
    expect(signed).toMatch(/_/);
  });

  it.each(cases.map((t) => [t.provider, t] as [string, ProviderToken]))(
    '%s-shaped token: witness succeeds, public signals = protocol §8',
    async (_, token) => {
      const jwt = signJwt(token.header, token.payload, key);
      const built = build(jwt, token.keyClaimName);
      const payload = JSON.parse(token.payload) as Record<string, string>;
      // Independently of the builder: the public inputs from the claims and @zksso/core.
      const expected = buildPublicInputs({
        ephemeralPublicKey: EPHEMERAL_KEY,
        issHash: hashIssuer(payload.iss as string),
        identityCommitment: computeIdentityCommitment({
          keyClaimName: token.keyClaimName,
          keyClaimValue: payload[token.keyClaimName] as string,
          aud: payload.aud as string,
          iss: payload.iss as string,
          salt: SALT,
        }),
        expiry: EXPIRY,
        modulusHash: modulusHash(modulusFromJwk(key.jwk)),
      });
      expect(built.publicInputs).toEqual(expected);
      expect(await publicSignals(built.inputs)).toEqual(expected);
    },
  );

  it('normalises a legacy issuer without scheme (accounts.google.com) and accepts JSON whitespace', async () => {
    const payload = `{ "iss" :\t"accounts.google.com",\n  "aud":  "app",\r\n "sub" : "42" , "nonce":"${NONCE}" }`;
    const built = build(signJwt(HEADER, payload, key));
    const signals = await publicSignals(built.inputs);
    expect(signals[0]).toBe(hashIssuer('https://accounts.google.com'));
    expect(signals).toEqual(built.publicInputs);
  });

  it('accepts a key claim value with non-ASCII UTF-8 and characters that need no escaping', async () => {
    const payload = basePayload().replace('"user-1234"', '"Zoë/ü~🦊 <x>"');
    const built = build(signJwt(HEADER, payload, key));
    expect(await publicSignals(built.inputs)).toEqual(built.publicInputs);
  });
});

describe('zkLogin circuit: adversarial corpus (each case must be refused)', () => {
  let valid: ZkLoginInputs;
  let validPayload: string;
  beforeAll(() => {
    validPayload = basePayload(
      '"name":"x \\"sub\\":\\"victim\\" y","desc":"sub","obj":{"sub":"nested"},"arr":[{"sub":"deep"}],',
    );
    valid = build(signJwt(HEADER, validPayload, key));
  });

  it('baseline: the untampered witness is accepted', async () => {
    expect(await publicSignals(valid.inputs)).toEqual(valid.publicInputs);
  });

  // ---- claim location (JSON structure) ----
  it('1. key claim pointed at "sub" text inside another string (escaped quotes) is refused', async () => {
    // `\"sub\"` inside the name value: its quote is inside a string, so it cannot start a member name.
    const index = jsonIndexOf(validPayload, '\\"sub\\"') + 1;
    await expectRefused(tamper(valid.inputs, { keyClaimIndex: String(index) }), /JsonStringMember/);
  });
  it('2. key claim pointed at the escaped quote itself (\\") is refused', async () => {
    const index = jsonIndexOf(validPayload, '\\"victim') + 1;
    await expectRefused(tamper(valid.inputs, { keyClaimIndex: String(index), keyClaimValueQuote: '1' }));
  });
  it('3. key claim pointed at a string VALUE "sub" (not a key: followed by a comma) is refused', async () => {
    const index = jsonIndexOf(validPayload, '"sub","obj"');
    await expectRefused(tamper(valid.inputs, { keyClaimIndex: String(index) }), /JsonStringMember/);
  });
  it('4. key claim pointed at a nested object member (depth 2) is refused', async () => {
    const index = jsonIndexOf(validPayload, '"sub":"nested"');
    await expectRefused(
      tamper(valid.inputs, { keyClaimIndex: String(index), keyClaimLength: '6' }),
      /JsonStringMember/,
    );
  });
  it('5. key claim pointed at a member of an object inside an array (depth 3) is refused', async () => {
    const index = jsonIndexOf(validPayload, '"sub":"deep"');
    await expectRefused(
      tamper(valid.inputs, { keyClaimIndex: String(index), keyClaimLength: '4' }),
      /JsonStringMember/,
    );
  });
  it('6. value offset moved onto the name\'s closing quote (value ":") is refused', async () => {
    await expectRefused(tamper(valid.inputs, { keyClaimValueQuote: '4', keyClaimLength: '1' }));
  });
  it('7. value offset moved inside the value (a suffix of the value) is refused', async () => {
    await expectRefused(
      tamper(valid.inputs, {
        keyClaimValueQuote: plus(valid.inputs.keyClaimValueQuote, 2),
        keyClaimLength: '7',
      }),
    );
  });
  it('8. a shorter value length (a prefix of the value) is refused: the closing quote must follow', async () => {
    await expectRefused(tamper(valid.inputs, { keyClaimLength: plus(valid.inputs.keyClaimLength, -1) }));
  });
  it('9. a longer value length (running past the closing quote) is refused', async () => {
    await expectRefused(tamper(valid.inputs, { issLength: plus(valid.inputs.issLength, 3) }));
  });
  it('10. key claim name switched to email on a token proved by sub is refused', async () => {
    await expectRefused(tamper(valid.inputs, { keyClaimIsEmail: '1' }));
  });
  it('11. nonce pointed at another claim is refused', async () => {
    await expectRefused(tamper(valid.inputs, { nonceIndex: valid.inputs.issIndex as string }));
  });
  it('12. a claim index beyond the decoded payload is refused', async () => {
    await expectRefused(tamper(valid.inputs, { audIndex: '5000' }));
  });
  it('13. a "negative" claim index reaching back into the header is refused', async () => {
    await expectRefused(tamper(valid.inputs, { audIndex: plus('0', -10n) }));
  });

  // ---- duplicate keys (non-canonical JSON): each name the proof uses occurs once at the top level ----
  /**
   * A token whose payload `duplicated` repeats a member name, with inputs the builder computed for
   * `picked`: the same text (same length, same offsets) where every occurrence but the one the attacker
   * picks is renamed. Public inputs, idc and every claim offset are therefore consistent with the picked
   * occurrence; only the duplicate is left for the circuit to find.
   */
  function pickOneOfDuplicates(
    duplicated: string,
    picked: string,
    keyClaimName: 'sub' | 'email' = 'sub',
  ): Inputs {
    expect(utf8ToBytes(picked)).toHaveLength(utf8ToBytes(duplicated).length);
    const jwt = signJwt(HEADER, duplicated, key);
    expect(() => build(jwt, keyClaimName)).toThrow(expect.objectContaining({ code: 'JWT_BAD_JSON' }));
    const { content, signedLength, signature } = rawInputs(jwt);
    return tamper(build(signJwt(HEADER, picked, key), keyClaimName).inputs, {
      content,
      signedLength,
      signature,
    });
  }
  const renameFirst = (text: string, name: string, to: string) => text.replace(`"${name}":`, `"${to}":`);
  const renameLast = (text: string, name: string, to: string) => {
    const at = text.lastIndexOf(`"${name}":`);
    return `${text.slice(0, at)}"${to}":${text.slice(at + name.length + 3)}`;
  };

  it('14. duplicated sub: builder JWT_BAD_JSON; the circuit refuses the first and the second occurrence', async () => {
    const duplicated = basePayload('"sub":"second",');
    // The attacker picks the second value (and proves its idc) ...
    await expectRefused(
      pickOneOfDuplicates(duplicated, renameFirst(duplicated, 'sub', 'xub')),
      /TopLevelNameOnce/,
    );
    // ... or the first: refused all the same, the token has two.
    await expectRefused(
      pickOneOfDuplicates(duplicated, renameLast(duplicated, 'sub', 'xub')),
      /TopLevelNameOnce/,
    );
  });
  it('44. duplicated aud (the second picked) is refused', async () => {
    const duplicated = basePayload('"aud":"attacker-app.example",');
    await expectRefused(
      pickOneOfDuplicates(duplicated, renameFirst(duplicated, 'aud', 'xud')),
      /TopLevelNameOnce/,
    );
  });
  it('45. duplicated iss (the second picked) is refused', async () => {
    const duplicated = basePayload('"iss":"https://evil.example",');
    await expectRefused(
      pickOneOfDuplicates(duplicated, renameFirst(duplicated, 'iss', 'xss')),
      /TopLevelNameOnce/,
    );
  });
  it('46. duplicated nonce (the one committing to this key picked) is refused', async () => {
    const otherNonce = computeNonce({
      ephemeralPublicKey: EPHEMERAL_KEY,
      expiry: EXPIRY,
      randomness: RANDOMNESS + 1n,
    });
    const duplicated = basePayload(`"nonce":"${otherNonce}",`);
    await expectRefused(
      pickOneOfDuplicates(duplicated, renameFirst(duplicated, 'nonce', 'xonce')),
      /TopLevelNameOnce/,
    );
  });
  it('47. duplicated email_verified (true, then false; true picked) is refused', async () => {
    const duplicated = basePayload('"email":"a@b.c","email_verified":true,"email_verified":false,');
    await expectRefused(
      pickOneOfDuplicates(duplicated, renameLast(duplicated, 'email_verified', 'xmail_verified'), 'email'),
      /TopLevelNameOnce/,
    );
    // Without the duplicate the same layout proves.
    const single = build(
      signJwt(HEADER, renameLast(duplicated, 'email_verified', 'xmail_verified'), key),
      'email',
    );
    expect(await publicSignals(single.inputs)).toEqual(single.publicInputs);
  });
  it('48. duplicated email (the key claim) is refused', async () => {
    const duplicated = basePayload('"email":"a@b.c","email_verified":true,"email":"x@y.z",');
    await expectRefused(
      pickOneOfDuplicates(duplicated, renameFirst(duplicated, 'email', 'xmail'), 'email'),
      /TopLevelNameOnce/,
    );
  });
  it('49. a duplicate written with an escape ("\\u0073ub") is refused: no \\u escape in a top-level name', async () => {
    const duplicated = basePayload('"\\u0073ub":"second",');
    // The builder sees the decoded duplicate; the circuit refuses the \u in a top-level name.
    await expectRefused(
      pickOneOfDuplicates(duplicated, duplicated.replace('"\\u0073ub":', '"xxxxxxxx":')),
      /PayloadJson/,
    );
  });
  it('50. the same names inside nested objects and arrays, and as string values, are accepted', async () => {
    const payload = basePayload(
      '"email":"a@b.c","email_verified":true,"o":{"iss":"x","aud":"y","sub":"z","email":"e","nonce":"n","email_verified":false},"a":[{"sub":"w"}],"v":"sub","w":"email_verified",',
    );
    for (const keyClaimName of ['sub', 'email'] as const) {
      const built = build(signJwt(HEADER, payload, key), keyClaimName);
      expect(await publicSignals(built.inputs)).toEqual(built.publicInputs);
    }
  });
  it('51. top-level names with escapes other than \\u (Slack\'s "https:\\/\\/slack.com\\/team_id") are accepted', async () => {
    const payload = basePayload('"https:\\/\\/slack.com\\/team_id":"T0R7GR","a\\"b\\\\c":1,');
    const built = build(signJwt(HEADER, payload, key));
    expect(await publicSignals(built.inputs)).toEqual(built.publicInputs);
  });
  it('52. a \\u escape in any top-level name (no duplicate): builder CLAIM_LAYOUT_UNSUPPORTED; circuit refuses', async () => {
    const payload = basePayload('"n\\u0061me":"x",');
    const jwt = signJwt(HEADER, payload, key);
    expect(() => build(jwt)).toThrow(expect.objectContaining({ code: 'CLAIM_LAYOUT_UNSUPPORTED' }));
    const clean = build(signJwt(HEADER, payload.replace('"n\\u0061me":', '"nxu0061me":'), key));
    const { content, signedLength, signature } = rawInputs(jwt);
    await expectRefused(tamper(clean.inputs, { content, signedLength, signature }), /PayloadJson/);
  });

  // ---- whitespace and layout ----
  it('15. whitespace: a gap of more than 8 bytes is refused by the builder (CLAIM_LAYOUT_UNSUPPORTED)', () => {
    const payload = basePayload().replace('"aud":', '"aud"         :');
    expect(() => build(signJwt(HEADER, payload, key))).toThrow(
      expect.objectContaining({ code: 'CLAIM_LAYOUT_UNSUPPORTED' }),
    );
  });
  it('16. whitespace: a value quote offset past the real gap is refused', async () => {
    await expectRefused(tamper(valid.inputs, { audValueQuote: plus(valid.inputs.audValueQuote, 1) }));
  });

  // ---- base64url split and alignment ----
  it('17. a different header/payload split (dotIndex - 1) is refused', async () => {
    await expectRefused(
      tamper(valid.inputs, { dotIndex: plus(valid.inputs.dotIndex, -1) }),
      /PayloadJson|Base64UrlChar/,
    );
  });
  it('18. a misaligned split keeping the same alignment (dotIndex + 4) is refused', async () => {
    await expectRefused(
      tamper(valid.inputs, { dotIndex: plus(valid.inputs.dotIndex, 4) }),
      /PayloadJson|Base64UrlChar/,
    );
  });
  it('19. a claim in the header cannot be reached: header "sub" is before the payload', async () => {
    const header = '{"alg":"RS256","sub":"victim","typ":"JWT"}';
    const built = build(signJwt(header, basePayload(), key));
    // Every index is relative to the payload start; wrapping below 0 fails the index range check.
    await expectRefused(tamper(built.inputs, { keyClaimIndex: plus('0', -30n) }));
    expect(await publicSignals(built.inputs)).toEqual(built.publicInputs);
  });

  // ---- RSA and content ----
  it('20. wrong RSA key (another modulus, its own modulusHash) is refused', async () => {
    const other = rawInputs(signJwt(HEADER, validPayload, otherKey), otherKey);
    await expectRefused(
      tamper(valid.inputs, { modulus: other.modulus, modulusHash: other.modulusHash }),
      /RSA|Fp|Big|Carry|Num2Bits/,
    );
  });
  it('21. a signature of another token under the same key is refused', async () => {
    const other = rawInputs(signJwt(HEADER, basePayload('"x":1,'), key));
    await expectRefused(tamper(valid.inputs, { signature: other.signature }));
  });
  it('22. one tampered payload byte (the sub value) is refused', async () => {
    const content = [...(valid.inputs.content as string[])];
    const at = Number(valid.inputs.dotIndex) + 10;
    content[at] = String(content[at] === '65' ? 66 : 65);
    await expectRefused(tamper(valid.inputs, { content }));
  });
  it("23. a modulusHash that is not the modulus' hash is refused", async () => {
    await expectRefused(tamper(valid.inputs, { modulusHash: plus(valid.inputs.modulusHash, 1) }), /ZkLogin/);
  });
  it('24. a signature limb above 121 bits (non-canonical limbs) is refused', async () => {
    const signature = [...(valid.inputs.signature as string[])];
    signature[0] = plus(signature[0], 1n << 121n);
    signature[1] = plus(signature[1], -1);
    await expectRefused(tamper(valid.inputs, { signature }));
  });

  // ---- SHA-256 padding and length ----
  it('25. signedLength + 1 (length field lies) is refused', async () => {
    await expectRefused(tamper(valid.inputs, { signedLength: plus(valid.inputs.signedLength, 1) }));
  });
  it('26. signedLength - 1 is refused', async () => {
    await expectRefused(tamper(valid.inputs, { signedLength: plus(valid.inputs.signedLength, -1) }));
  });
  it('27. extra non-zero data between the 0x80 marker and the length field is refused', async () => {
    const content = [...(valid.inputs.content as string[])];
    content[Number(valid.inputs.signedLength) + 1] = '1';
    await expectRefused(tamper(valid.inputs, { content }), /Sha256PaddingCheck/);
  });
  it('28. a wrong bit-length in the padding is refused', async () => {
    const content = [...(valid.inputs.content as string[])];
    const paddedEnd = Math.ceil((Number(valid.inputs.signedLength) + 9) / 64) * 64;
    content[paddedEnd - 1] = String((Number(content[paddedEnd - 1]) + 8) % 256);
    await expectRefused(tamper(valid.inputs, { content }), /Sha256PaddingCheck/);
  });
  it('29. a signed input longer than the tier is refused (builder JWT_TOO_LONG, circuit range check)', async () => {
    const long = basePayload(`"pad":"${'a'.repeat(900)}",`);
    expect(() => build(signJwt(HEADER, long, key))).toThrow(
      expect.objectContaining({ code: 'JWT_TOO_LONG' }),
    );
    await expectRefused(tamper(valid.inputs, { signedLength: String(TIER + 1) }));
  });

  // ---- secrets, nonce and public inputs ----
  it("30. another user's salt with this idc is refused", async () => {
    await expectRefused(tamper(valid.inputs, { salt: plus(valid.inputs.salt, 1) }), /ZkLogin/);
  });
  it('31. altered ephemeral key (ephLo) is refused: the nonce no longer matches', async () => {
    await expectRefused(tamper(valid.inputs, { ephLo: plus(valid.inputs.ephLo, 1) }));
  });
  it('32. altered expiry is refused', async () => {
    await expectRefused(tamper(valid.inputs, { expiry: plus(valid.inputs.expiry, 3600) }));
  });
  it('33. altered randomness is refused', async () => {
    await expectRefused(tamper(valid.inputs, { randomness: plus(valid.inputs.randomness, 1) }));
  });
  it('34. salt >= 2^128 is refused', async () => {
    await expectRefused(tamper(valid.inputs, { salt: (1n << 128n).toString() }));
  });
  it('35. expiry >= 2^48 is refused', async () => {
    await expectRefused(tamper(valid.inputs, { expiry: (1n << 48n).toString() }));
  });
  it('36. ephHi >= 2^128 is refused', async () => {
    await expectRefused(tamper(valid.inputs, { ephHi: plus(valid.inputs.ephHi, 1n << 128n) }));
  });
  it('37. issHash of the raw (unnormalised) or another issuer is refused', async () => {
    await expectRefused(
      tamper(valid.inputs, { issHash: hashIssuer('https://evil.example').toString() }),
      /ZkLogin/,
    );
  });
  it('38. a token whose nonce commits to another key: builder NONCE_MISMATCH; circuit refuses', async () => {
    const last = NONCE.endsWith('A') ? 'E' : 'A';
    const jwt = signJwt(HEADER, validPayload.replace(NONCE, `${NONCE.slice(0, 42)}${last}`), key);
    expect(() => build(jwt)).toThrow(expect.objectContaining({ code: 'NONCE_MISMATCH' }));
    await expectRefused(tamper(valid.inputs, rawInputs(jwt)), /NonceMatches|ZkLogin/);
  });

  // ---- email key claim ----
  it('39. email without email_verified: builder EMAIL_NOT_VERIFIED, circuit refuses', async () => {
    const payload = basePayload('"email":"a@b.c",');
    const jwt = signJwt(HEADER, payload, key);
    expect(() => build(jwt, 'email')).toThrow(expect.objectContaining({ code: 'EMAIL_NOT_VERIFIED' }));
    const base = build(jwt, 'sub').inputs;
    await expectRefused(
      tamper(base, {
        keyClaimIsEmail: '1',
        keyClaimIndex: String(jsonIndexOf(payload, '"email"')),
        keyClaimValueQuote: '8',
        keyClaimLength: '5',
        idc: computeIdentityCommitment({
          keyClaimName: 'email',
          keyClaimValue: 'a@b.c',
          aud: 'client-app.example',
          iss: 'https://accounts.example.com',
          salt: SALT,
        }).toString(),
      }),
      /EmailVerifiedMember/,
    );
  });
  it('40. email_verified false: builder EMAIL_NOT_VERIFIED, circuit refuses', async () => {
    const payload = basePayload('"email":"a@b.c","email_verified":false,');
    const jwt = signJwt(HEADER, payload, key);
    expect(() => build(jwt, 'email')).toThrow(expect.objectContaining({ code: 'EMAIL_NOT_VERIFIED' }));
    const verified = basePayload('"email":"a@b.c","email_verified":true ,');
    const ok = build(signJwt(HEADER, verified, key), 'email');
    expect(await publicSignals(ok.inputs)).toEqual(ok.publicInputs);
    const jwtInputs = rawInputs(jwt);
    await expectRefused(
      tamper(ok.inputs, {
        content: jwtInputs.content,
        signedLength: jwtInputs.signedLength,
        signature: jwtInputs.signature,
      }),
    );
  });
  it('41. email_verified "false" (string) is refused', async () => {
    const payload = basePayload('"email":"a@b.c","email_verified":"false",');
    expect(() => build(signJwt(HEADER, payload, key), 'email')).toThrow(
      expect.objectContaining({ code: 'EMAIL_NOT_VERIFIED' }),
    );
  });

  // ---- aud array and escapes ----
  it('42. aud array: builder AUD_IS_ARRAY; circuit refuses a value that is not a string', async () => {
    const payload = basePayload().replace('"aud":"client-app.example"', '"aud":["client-app.example"]');
    const jwt = signJwt(HEADER, payload, key);
    expect(() => build(jwt)).toThrow(expect.objectContaining({ code: 'AUD_IS_ARRAY' }));
    const base = build(signJwt(HEADER, basePayload(), key)).inputs;
    const raw = rawInputs(jwt);
    await expectRefused(
      tamper(base, {
        content: raw.content,
        signedLength: raw.signedLength,
        signature: raw.signature,
        audValueQuote: '7',
        keyClaimIndex: String(jsonIndexOf(payload, '"sub"')),
        nonceIndex: String(jsonIndexOf(payload, '"nonce"')),
      }),
    );
  });
  it('43. a claim value with an escape: builder CLAIM_HAS_ESCAPE; circuit refuses', async () => {
    const payload = basePayload().replace('"user-1234"', '"user\\u002d1234"');
    const jwt = signJwt(HEADER, payload, key);
    expect(() => build(jwt)).toThrow(expect.objectContaining({ code: 'CLAIM_HAS_ESCAPE' }));
    const base = build(signJwt(HEADER, basePayload(), key)).inputs;
    await expectRefused(
      tamper(base, {
        ...rawInputs(jwt),
        keyClaimLength: String('user\\u002d1234'.length),
        nonceIndex: String(jsonIndexOf(payload, '"nonce"')),
      }),
      /JsonStringMember/,
    );
  });
});

/** The content, length and RSA signals of a token, without the builder's checks (to splice into tampered inputs). */
type RawInputs = {
  content: string[];
  signedLength: string;
  dotIndex: string;
  signature: string[];
  modulus: string[];
  modulusHash: string;
};

function rawInputs(jwt: string, signer: TestRsaKey = key): RawInputs {
  const [h, p, s] = jwt.split('.') as [string, string, string];
  const signed = utf8ToBytes(`${h}.${p}`);
  const modulus = modulusFromJwk(signer.jwk);
  const signature = BigInt(`0x${Buffer.from(s, 'base64url').toString('hex')}`);
  const mask = (1n << 121n) - 1n;
  const limbs = (x: bigint) =>
    Array.from({ length: 17 }, (_, i) => ((x >> BigInt(121 * i)) & mask).toString());
  return {
    content: Array.from(sha256Pad(signed, maxPaddedBytes(TIER)), String),
    signedLength: String(signed.length),
    dotIndex: String(h.length),
    signature: limbs(signature),
    modulus: limbs(modulus),
    modulusHash: modulusHash(modulus).toString(),
  };
}
