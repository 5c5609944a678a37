// Test fixtures: RSA keys, JWT signing with exact JSON text, and token shapes of the seven providers
// (claim order, typical lengths, base64url characters). Everything is generated locally; no real tokens.
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  bytesToBase64Url,
  computeNonce,
  type EphemeralPublicKey,
  type RsaJwk,
  utf8ToBytes,
} from '@zksso/core';
import { buildZkLoginInputs, type ZkLoginInputs } from '../../src/inputs/index.ts';

export interface TestRsaKey {
  privateKey: KeyObject;
  jwk: RsaJwk;
}

/** A fresh RSA-2048 (e = 65537) key pair with its public JWK. */
export function makeRsaKey(): TestRsaKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicExponent: 65537,
  });
  return { privateKey, jwk: publicKey.export({ format: 'jwk' }) as RsaJwk };
}

const b64 = (text: string) => bytesToBase64Url(utf8ToBytes(text));

/** Signs `b64url(header).b64url(payload)` with RS256, keeping the JSON texts byte for byte. */
export function signJwt(headerJson: string, payloadJson: string, key: TestRsaKey): string {
  const signingInput = `${b64(headerJson)}.${b64(payloadJson)}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(key.privateKey);
  return `${signingInput}.${bytesToBase64Url(new Uint8Array(signature))}`;
}

export const EPHEMERAL_KEY: EphemeralPublicKey = {
  type: 'secp256k1',
  address: '0x8ba1f109551bD432803012645Ac136ddd64DBA72',
};
export const EXPIRY = 1_900_000_000n;
export const RANDOMNESS = 0x1f2e3d4c5b6a79880123456789abcdefn;
export const SALT = 0x0123456789abcdef0011223344556677n;
export const NONCE = computeNonce({
  ephemeralPublicKey: EPHEMERAL_KEY,
  expiry: EXPIRY,
  randomness: RANDOMNESS,
});

/** One provider's token shape: header and payload JSON texts, and the key claim a wallet uses. */
export interface ProviderToken {
  provider: string;
  header: string;
  payload: string;
  keyClaimName: 'sub' | 'email';
}

const json = (value: unknown) => JSON.stringify(value);

/** Token shapes modelled on each provider's real ID tokens (values invented, lengths and order typical). */
export function providerTokens(nonce: string = NONCE): ProviderToken[] {
  const now = 1_732_000_000;
  return [
    {
      provider: 'google',
      keyClaimName: 'sub',
      header: json({ alg: 'RS256', kid: 'c8ab71530972bba20b49f78a09c9852c43ff9118', typ: 'JWT' }),
      payload: json({
        iss: 'https://accounts.google.com',
        azp: '575519204237-msop9ep45u2uo98hapqmngv8d84qdc8k.apps.googleusercontent.com',
        aud: '575519204237-msop9ep45u2uo98hapqmngv8d84qdc8k.apps.googleusercontent.com',
        sub: '110169484474386276334',
        email: 'alice.example@gmail.com',
        email_verified: true,
        at_hash: 'HK6E_P6Dh8Y93mRNtsDB1Q',
        nonce,
        name: 'Alice Exämple ~ ???',
        picture: 'https://lh3.googleusercontent.com/a/ACg8ocJ-3x_Qm8Zf1-bYk2W_q0lJ=s96-c',
        given_name: 'Alice',
        family_name: 'Example',
        iat: now,
        exp: now + 3600,
      }),
    },
    {
      provider: 'apple',
      keyClaimName: 'email',
      header: json({ kid: 'W6WcOKB', alg: 'RS256' }),
      payload: json({
        iss: 'https://appleid.apple.com',
        aud: 'com.example.wallet.web',
        exp: now + 86400,
        iat: now,
        sub: '001234.8f7e6d5c4b3a29180716253443526170.1234',
        nonce,
        c_hash: 'k-Zy3_xq5wQAbcd9PvQ2Ew',
        email: 'x7k2m9p4qz@privaterelay.appleid.com',
        email_verified: 'true',
        is_private_email: 'true',
        auth_time: now,
        nonce_supported: true,
      }),
    },
    {
      provider: 'microsoft',
      keyClaimName: 'sub',
      header: json({ typ: 'JWT', alg: 'RS256', kid: 'L1KfKFI_jnXbwWc22xZxw1sUHH0' }),
      payload: json({
        aud: '6cb04018-a3f5-46a7-b995-940c78f5aef3',
        iss: 'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0',
        iat: now,
        nbf: now,
        exp: now + 3600,
        name: 'Alice Example',
        nonce,
        oid: '00000000-0000-0000-66f3-3332eca7ea81',
        preferred_username: 'alice@outlook.com',
        rh: '0.AQUA-Sd_pZ_ZbEa5lZQMePWu8xhAsGz1o6dGuZWUDHj1rvMFAAA.',
        sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
        tid: '9188040d-6c67-4c5b-b112-36a304b66dad',
        uti: 'Tz-7L2bSa0mUZ4rJ8qD_AA',
        ver: '2.0',
      }),
    },
    {
      provider: 'facebook',
      keyClaimName: 'sub',
      header: json({ kid: 'e83d2e1c8bfa0d4e4d0d8ea1d6ea0f3bd3c4a9d1', typ: 'JWT', alg: 'RS256' }),
      payload: json({
        iss: 'https://www.facebook.com',
        aud: '1122334455667788',
        sub: '10223344556677889',
        iat: now,
        exp: now + 3600,
        jti: 'f1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8',
        nonce,
        email: 'alice\u0040example.com',
        given_name: 'Alice',
        family_name: 'Example',
        name: 'Alice Example',
        picture:
          'https://platform-lookaside.fbsbx.com/platform/profilepic/?asid=10223344556677889&height=100&width=100&ext=1734592000&hash=AbZ-9_kQ&q=???>>>',
      }),
    },
    {
      provider: 'twitch',
      keyClaimName: 'sub',
      header: json({ alg: 'RS256', typ: 'JWT', kid: '1' }),
      payload: json({
        aud: 'hof5gwx0su6owfnys0nyan9c87zr6t',
        exp: now + 900,
        iat: now,
        iss: 'https://id.twitch.tv/oauth2',
        sub: '713936733',
        azp: 'hof5gwx0su6owfnys0nyan9c87zr6t',
        nonce,
        preferred_username: 'alice_streams',
      }),
    },
    {
      provider: 'kakao',
      keyClaimName: 'sub',
      header: json({ kid: '3f96980381e451efad0d2ddd30e3d3', typ: 'JWT', alg: 'RS256' }),
      payload: json({
        aud: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
        sub: '3141592653',
        auth_time: now,
        iss: 'https://kauth.kakao.com',
        nickname: '앨리스',
        exp: now + 21600,
        iat: now,
        nonce,
        email: 'alice@kakao.com',
      }),
    },
    {
      provider: 'slack',
      keyClaimName: 'sub',
      header: json({ typ: 'JWT', alg: 'RS256', kid: 'mB2MAyKSn555isd0EbdhKx6nkyAi9xLq8rvCEb_nOyY' }),
      payload: json({
        iss: 'https://slack.com',
        sub: 'U0R7JM',
        aud: '25259531569.1115258246291',
        exp: now + 3600,
        iat: now,
        auth_time: now,
        nonce,
        at_hash: 'uso7rRwP-fFLUcVU_2qLlA',
        'https://slack.com/team_id': 'T0R7GR',
        'https://slack.com/user_id': 'U0R7JM',
        email: 'alice@example.com',
        email_verified: true,
        date_email_verified: now - 86400,
        locale: 'en-US',
        name: 'Alice',
        given_name: '',
        family_name: '',
        'https://slack.com/team_name': 'Example Team',
        'https://slack.com/team_domain': 'example',
      }),
    },
  ];
}

/**
 * Circuit inputs for benchmarking a tier: the Google token shape where it fits, else the longest shape that
 * does (576 is below Google's), signed with a fresh key. One choice for the circuits and engines benches, so
 * both measure the same token.
 */
export function benchTierToken(tier: number): {
  provider: string;
  signedLength: number;
  inputs: ZkLoginInputs['inputs'];
  publicInputs: ZkLoginInputs['publicInputs'];
} {
  const key = makeRsaKey();
  const fitting = providerTokens()
    .map((shape) => ({ shape, jwt: signJwt(shape.header, shape.payload, key) }))
    .map((t) => ({ ...t, signedLength: t.jwt.lastIndexOf('.') }))
    .filter((t) => t.signedLength <= tier)
    .sort((a, b) => b.signedLength - a.signedLength);
  const token = fitting.find((t) => t.shape.provider === 'google') ?? fitting[0];
  if (!token) throw new Error(`no token shape fits tier ${tier}`);
  const { inputs, publicInputs } = buildZkLoginInputs({
    jwt: token.jwt,
    keyClaimName: token.shape.keyClaimName,
    salt: SALT,
    ephemeralPublicKey: EPHEMERAL_KEY,
    expiry: EXPIRY,
    randomness: RANDOMNESS,
    jwk: key.jwk,
    tier,
  });
  return { provider: token.shape.provider, signedLength: token.signedLength, inputs, publicInputs };
}
