import { concat, keccak256, numberToHex, stringToBytes } from 'viem';
import { describe, expect, it } from 'vitest';
import { P256_N, parseP256Signature, recoverWebAuthnPublicKeys } from '../contracts/index.ts';
import { checkAssertion } from './assertion.ts';
import { PasskeyAssertionRefusedError, PasskeyNotFoundError } from './errors.ts';
import { createSoftwareAuthenticator } from './software-authenticator.ts';

const RP_ID = 'wallet.zksso.test';
const ORIGIN = 'https://wallet.zksso.test';
const HASH = keccak256(stringToBytes('user operation'));
const get = { rpId: RP_ID, challenge: HASH, allowCredentials: [], userVerification: 'preferred' } as const;
const create = {
  rpId: RP_ID,
  name: 'alice',
  challenge: HASH,
  userId: '0x01',
  userVerification: 'preferred',
} as const;

describe('software authenticator and assertion checks', () => {
  it('answers with the newest credential of the rpId and the user handle given at creation', async () => {
    const device = createSoftwareAuthenticator({ origin: ORIGIN });
    await device.create(create);
    const newest = await device.create({ ...create, userId: '0x02' });
    const assertion = await device.get(get);
    expect(assertion.credentialId).toBe(newest.credentialId);
    expect(assertion.userHandle).toBe('0x02');
    expect(() => checkAssertion(assertion, { credentialId: newest.credentialId })).not.toThrow();
  });

  it('recovers the public key among at most two candidates, and a high-s signature is normalised to low s', async () => {
    const device = createSoftwareAuthenticator({ origin: ORIGIN });
    const { publicKey } = await device.create(create);
    for (let i = 0; i < 4; i++) {
      const assertion = await device.get({ ...get, challenge: keccak256(stringToBytes(`op ${i}`)) });
      const candidates = recoverWebAuthnPublicKeys(assertion);
      expect(candidates.length).toBeGreaterThan(0);
      expect(candidates.length).toBeLessThanOrEqual(2);
      expect(candidates).toContainEqual(publicKey);

      // The same signature with s in the high half (as authenticators may return it): same key, low s out.
      const { r, s } = parseP256Signature(assertion.signature);
      const high = concat([numberToHex(r, { size: 32 }), numberToHex(P256_N - s, { size: 32 })]);
      expect(P256_N - s > P256_N / 2n).toBe(true);
      expect(parseP256Signature(high)).toEqual({ r, s });
      expect(recoverWebAuthnPublicKeys({ ...assertion, signature: high })).toContainEqual(publicKey);
    }
  });

  it('refuses an assertion without UV, from another credential, or made cross-origin', async () => {
    const lax = createSoftwareAuthenticator({ origin: ORIGIN, userVerified: false });
    const { credentialId } = await lax.create(create);
    const unverified = await lax.get(get);
    expect(() => checkAssertion(unverified, { credentialId })).toThrow(/user verification/);

    const device = createSoftwareAuthenticator({ origin: ORIGIN });
    await device.create(create);
    const assertion = await device.get(get);
    expect(() => checkAssertion(assertion, { credentialId })).toThrow(PasskeyAssertionRefusedError);

    const crossOrigin = {
      ...assertion,
      clientDataJSON: assertion.clientDataJSON.replace('"crossOrigin":false', '"crossOrigin":true'),
    };
    expect(() => checkAssertion(crossOrigin, {})).toThrow(/cross-origin/);
    expect(() => checkAssertion(crossOrigin, { allowCrossOrigin: true })).not.toThrow();
    const created = {
      ...assertion,
      clientDataJSON: assertion.clientDataJSON.replace('webauthn.get', 'webauthn.create'),
    };
    expect(() => checkAssertion(created, {})).toThrow(/webauthn.get/);
  });

  it('has nothing to answer for an rpId it holds no passkey for, or after the passkey is forgotten', async () => {
    const device = createSoftwareAuthenticator({ origin: ORIGIN });
    const { credentialId } = await device.create(create);
    await expect(device.get({ ...get, rpId: 'other.example' })).rejects.toBeInstanceOf(PasskeyNotFoundError);
    device.forget(credentialId);
    await expect(device.get(get)).rejects.toBeInstanceOf(PasskeyNotFoundError);
  });
});
