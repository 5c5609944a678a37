import { createHash } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { ZkSsoError } from '@zksso/core';
import { decodeAbiParameters, hexToBytes, keccak256, sha256, stringToBytes, toHex } from 'viem';
import { describe, expect, it } from 'vitest';
import {
  AUTHENTICATOR_FLAGS,
  createSoftwarePasskey,
  encodeWebAuthnInstallData,
  encodeWebAuthnSignature,
  findClientDataIndices,
  P256_N,
  parseP256Signature,
  rpIdHash,
  webAuthnChallenge,
  webAuthnInstallDataAbi,
  webAuthnSignatureAbi,
} from './webauthn.ts';

const RP_ID = 'wallet.zksso.test';
const ORIGIN = 'https://wallet.zksso.test';
const HASH = keccak256(stringToBytes('user operation'));

describe('webAuthnChallenge', () => {
  it('is the unpadded base64url of the 32 bytes', () => {
    const challenge = webAuthnChallenge(HASH);
    expect(challenge).toHaveLength(43);
    expect(challenge).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(toHex(Buffer.from(challenge, 'base64url'))).toBe(HASH);
  });

  it('uses - and _ where standard base64 has + and /', () => {
    const hash = `0xfbff${'00'.repeat(30)}` as const;
    const challenge = webAuthnChallenge(hash);
    expect(challenge.startsWith('-_8')).toBe(true);
    expect(Buffer.from(hexToBytes(hash)).toString('base64').startsWith('+/8')).toBe(true);
  });
});

describe('rpIdHash', () => {
  it('is sha256 of the rpId', () => {
    expect(rpIdHash(RP_ID)).toBe(`0x${createHash('sha256').update(RP_ID).digest('hex')}`);
  });
});

describe('createSoftwarePasskey', () => {
  it('signs sha256(authenticatorData ‖ sha256(clientDataJSON)) with its key, UP and UV set', () => {
    const passkey = createSoftwarePasskey({ rpId: RP_ID, origin: ORIGIN });
    const assertion = passkey.sign(HASH);
    const authData = hexToBytes(assertion.authenticatorData);
    expect(toHex(authData.slice(0, 32))).toBe(rpIdHash(RP_ID));
    expect(authData[32]).toBe(AUTHENTICATOR_FLAGS.userPresent | AUTHENTICATOR_FLAGS.userVerified);
    const client = JSON.parse(assertion.clientDataJSON);
    expect(client).toMatchObject({
      type: 'webauthn.get',
      challenge: webAuthnChallenge(HASH),
      origin: ORIGIN,
    });

    const message = hexToBytes(
      `0x${assertion.authenticatorData.slice(2)}${sha256(stringToBytes(assertion.clientDataJSON)).slice(2)}`,
    );
    const publicKey = new p256.Point(passkey.publicKey.x, passkey.publicKey.y, 1n).toBytes(false);
    expect(
      p256.verify(hexToBytes(assertion.signature), message, publicKey, { format: 'der', lowS: false }),
    ).toBe(true);
  });
});

describe('parseP256Signature', () => {
  const key = p256.utils.randomSecretKey();
  const low = p256.Signature.fromBytes(p256.sign(new Uint8Array([1, 2, 3]), key, { lowS: true }), 'compact');

  it('normalises a high-s DER signature to low s', () => {
    const high = new p256.Signature(low.r, P256_N - low.s).toBytes('der');
    expect(parseP256Signature(toHex(high))).toEqual({ r: low.r, s: low.s });
  });

  it('accepts 64-byte r ‖ s', () => {
    expect(parseP256Signature(toHex(low.toBytes('compact')))).toEqual({ r: low.r, s: low.s });
  });

  it('refuses garbage with INVALID_WEBAUTHN_ASSERTION', () => {
    try {
      parseP256Signature('0x3001ff');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ZkSsoError);
      expect((error as ZkSsoError).code).toBe('INVALID_WEBAUTHN_ASSERTION');
    }
  });
});

describe('findClientDataIndices', () => {
  it('returns UTF-8 byte offsets, not UTF-16 string offsets', () => {
    const json = '{"type":"webauthn.get","challenge":"abc","extra":"ééé","origin":"https://a.test"}';
    const bytes = Buffer.from(json, 'utf8');
    const indices = findClientDataIndices(json);
    expect(indices.typeIndex).toBe(bytes.indexOf('"type":"'));
    expect(indices.challengeIndex).toBe(bytes.indexOf('"challenge":"'));
    expect(indices.originIndex).toBe(bytes.indexOf('"origin":"'));
    expect(indices.originIndex).not.toBe(json.indexOf('"origin":"'));
  });

  it('refuses clientDataJSON without an origin member', () => {
    expect(() => findClientDataIndices('{"type":"webauthn.get","challenge":"abc"}')).toThrow(/"origin"/);
  });

  it('does not take topOrigin for origin', () => {
    const json =
      '{"type":"webauthn.get","challenge":"x","topOrigin":"https://evil.test","origin":"https://a.test"}';
    expect(findClientDataIndices(json).originIndex).toBe(json.indexOf(',"origin"') + 1);
  });
});

describe('encodeWebAuthnSignature', () => {
  it('encodes the validator layout with indices that point at the members and a low-s signature', () => {
    const passkey = createSoftwarePasskey({ rpId: RP_ID, origin: ORIGIN });
    for (let i = 0; i < 8; i++) {
      const hash = keccak256(toHex(i));
      const assertion = passkey.sign(hash);
      const [
        credentialIdHash,
        authenticatorData,
        clientDataJSON,
        challengeIndex,
        typeIndex,
        originIndex,
        r,
        s,
      ] = decodeAbiParameters(webAuthnSignatureAbi, encodeWebAuthnSignature(assertion));
      expect(credentialIdHash).toBe(keccak256(passkey.credentialId));
      expect(authenticatorData).toBe(assertion.authenticatorData);
      const bytes = Buffer.from(clientDataJSON, 'utf8');
      const at = (index: bigint, text: string) =>
        bytes.subarray(Number(index), Number(index) + text.length).toString('utf8');
      expect(at(challengeIndex, `"challenge":"${webAuthnChallenge(hash)}"`)).toBe(
        `"challenge":"${webAuthnChallenge(hash)}"`,
      );
      expect(at(typeIndex, '"type":"webauthn.get"')).toBe('"type":"webauthn.get"');
      expect(at(originIndex, `"origin":"${ORIGIN}"`)).toBe(`"origin":"${ORIGIN}"`);
      expect(s <= P256_N / 2n).toBe(true);
      const digest = sha256(
        `0x${authenticatorData.slice(2)}${sha256(stringToBytes(clientDataJSON)).slice(2)}`,
      );
      const publicKey = new p256.Point(passkey.publicKey.x, passkey.publicKey.y, 1n).toBytes(false);
      const compact = new p256.Signature(r, s).toBytes('compact');
      expect(p256.verify(compact, hexToBytes(digest), publicKey, { prehash: false })).toBe(true);
    }
  });
});

describe('encodeWebAuthnInstallData', () => {
  it('encodes (credentialId, x, y, origin, rpIdHash)', () => {
    const passkey = createSoftwarePasskey({ rpId: RP_ID, origin: ORIGIN });
    const data = encodeWebAuthnInstallData({ ...passkey, publicKey: passkey.publicKey });
    expect(decodeAbiParameters(webAuthnInstallDataAbi, data)).toEqual([
      passkey.credentialId,
      passkey.publicKey.x,
      passkey.publicKey.y,
      ORIGIN,
      rpIdHash(RP_ID),
    ]);
  });
});
