import { keccak256, stringToBytes } from 'viem';
import { describe, expect, it } from 'vitest';
import { recoverWebAuthnPublicKeys } from '../contracts/index.ts';
import { createSoftwareAuthenticator } from './software-authenticator.ts';

const ORIGIN = 'http://localhost';
const HASH = keccak256(stringToBytes('user operation'));

describe('software authenticator saved between runs (development only)', () => {
  it('a device restored from its export signs with the same credential and key, and keeps the user handle', async () => {
    const device = createSoftwareAuthenticator({ origin: ORIGIN });
    const created = await device.create({
      rpId: 'localhost',
      name: 'alice',
      challenge: HASH,
      userId: '0x0a0b',
      userVerification: 'preferred',
    });
    const saved = device.exportCredentials();
    expect(saved).toHaveLength(1);
    expect(saved[0]?.privateKey).toMatch(/^0x[0-9a-f]{64}$/);
    // Through JSON, as a file would keep it.
    const restored = createSoftwareAuthenticator({
      origin: ORIGIN,
      credentials: JSON.parse(JSON.stringify(saved)),
    });
    const assertion = await restored.get({
      rpId: 'localhost',
      challenge: HASH,
      allowCredentials: [],
      userVerification: 'preferred',
    });
    expect(assertion.credentialId).toBe(created.credentialId);
    expect(assertion.userHandle).toBe('0x0a0b');
    expect(recoverWebAuthnPublicKeys(assertion)).toContainEqual(created.publicKey);
    expect(restored.exportCredentials()).toEqual(saved);
  });

  it('a fresh device holds nothing to export, and each new key differs', async () => {
    const device = createSoftwareAuthenticator({ origin: ORIGIN });
    expect(device.exportCredentials()).toEqual([]);
    const options = {
      rpId: 'localhost',
      name: 'a',
      challenge: HASH,
      userId: '0x01',
      userVerification: 'preferred',
    } as const;
    await device.create(options);
    await device.create(options);
    const [a, b] = device.exportCredentials();
    expect(a?.privateKey).not.toBe(b?.privateKey);
    expect(a?.credentialId).not.toBe(b?.credentialId);
  });
});
