import { createP256EphemeralKey, createSecp256k1EphemeralKey, ephemeralKeyBytes } from '@zksso/core';
import { bytesToHex } from 'viem';
import { describe, expect, it } from 'vitest';
import type { ZkLoginSession } from '../zklogin-session.ts';
import { sessionSigner } from './zklogin-account.ts';

const base = {
  version: 1,
  chainId: 31337,
  address: '0x1111111111111111111111111111111111111111',
  issuer: 'http://127.0.0.1:1003',
  clientId: 'zksso-dev',
  issHash: '123',
  idc: '456',
  expiry: '1900000000',
  tier: 576,
  proof: `0x${'00'.repeat(256)}`,
  modulusHash: '789',
} as const satisfies Omit<ZkLoginSession, 'ephemeralPrivateKey'>;

describe('sessionSigner', () => {
  it('a secp256k1 session signs with its own key, or with the same key passed in', () => {
    const key = createSecp256k1EphemeralKey();
    const session: ZkLoginSession = { ...base, ephemeralPrivateKey: key.privateKey };
    expect(sessionSigner(session).publicKey).toEqual(key.publicKey);
    expect(sessionSigner(session, key)).toBe(key);
  });

  it('a P-256 session needs its WebCrypto key, and only that key', async () => {
    const key = await createP256EphemeralKey();
    const session: ZkLoginSession = {
      ...base,
      ephemeralKeyType: 'p256',
      ephemeralPublicKey: bytesToHex(ephemeralKeyBytes(key.publicKey)),
    };
    expect(sessionSigner(session, key)).toBe(key);
    expect(() => sessionSigner(session)).toThrow(/pass ephemeralKey/);
    const other = await createP256EphemeralKey();
    expect(() => sessionSigner(session, other)).toThrow(/not the key this login session was proved for/);
    expect(() =>
      sessionSigner({ ...base, ephemeralPrivateKey: createSecp256k1EphemeralKey().privateKey }, key),
    ).toThrow(/not the key/);
  });
});
