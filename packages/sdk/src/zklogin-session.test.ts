import { concat, type Hex, numberToHex } from 'viem';
import { describe, expect, it } from 'vitest';
import { decodeSolidityProof } from './contracts/index.ts';
import { parseZkLoginSession, proofPartsOf, type ZkLoginSession } from './zklogin-session.ts';

const words = Array.from({ length: 8 }, (_, i) => numberToHex(BigInt(i + 1) * 1000n, { size: 32 }));
const session: ZkLoginSession = {
  version: 1,
  chainId: 31337,
  address: '0x1111111111111111111111111111111111111111',
  issuer: 'http://127.0.0.1:1003',
  clientId: 'zksso-dev',
  issHash: '123',
  idc: '456',
  ephemeralPrivateKey: `0x${'11'.repeat(32)}`,
  expiry: '1900000000',
  tier: 576,
  proof: concat(words),
  modulusHash: '789',
};

describe('parseZkLoginSession', () => {
  it('accepts a session that went through JSON', () => {
    expect(parseZkLoginSession(JSON.parse(JSON.stringify(session)))).toEqual(session);
  });

  it('names a bad field without showing its value', () => {
    expect(() => parseZkLoginSession({ ...session, expiry: 19 })).toThrow(/bad expiry/);
    const error = (() => {
      try {
        parseZkLoginSession({ ...session, ephemeralPrivateKey: '0x1234' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/bad ephemeralPrivateKey/);
    expect(error?.message).not.toMatch(/1234/);
    expect(() => parseZkLoginSession({ ...session, proof: '0x00' })).toThrow(/bad proof/);
  });

  it('a P-256 login holds only the public key (its private key stays in WebCrypto)', () => {
    const { ephemeralPrivateKey: _secret, ...rest } = session;
    const p256Session = { ...rest, ephemeralKeyType: 'p256', ephemeralPublicKey: `0x${'22'.repeat(64)}` };
    expect(parseZkLoginSession(JSON.parse(JSON.stringify(p256Session)))).toEqual(p256Session);
    expect(() => parseZkLoginSession({ ...p256Session, ephemeralPublicKey: `0x${'22'.repeat(32)}` })).toThrow(
      /bad ephemeralPublicKey/,
    );
    expect(() =>
      parseZkLoginSession({ ...p256Session, ephemeralPrivateKey: `0x${'11'.repeat(32)}` }),
    ).toThrow(/bad ephemeralPrivateKey/);
    expect(() => parseZkLoginSession({ ...p256Session, ephemeralKeyType: 'ed25519' })).toThrow(
      /bad ephemeralKeyType/,
    );
  });

  it('keeps the genesis hash of the chain the login was made on, and accepts older files without it', () => {
    const withGenesis = { ...session, genesisHash: `0x${'ab'.repeat(32)}` as Hex };
    expect(parseZkLoginSession(JSON.parse(JSON.stringify(withGenesis))).genesisHash).toBe(
      withGenesis.genesisHash,
    );
    expect(parseZkLoginSession(session).genesisHash).toBeUndefined();
    expect(() => parseZkLoginSession({ ...session, genesisHash: '0x1234' })).toThrow(/bad genesisHash/);
  });
});

describe('decodeSolidityProof (from @zksso/contracts) on a saved proof', () => {
  it('splits a ‖ b ‖ c in protocol §8 order', () => {
    expect(decodeSolidityProof(session.proof as Hex)).toEqual({
      a: [1000n, 2000n],
      b: [
        [3000n, 4000n],
        [5000n, 6000n],
      ],
      c: [7000n, 8000n],
    });
  });

  it('gives the mode 0x01 parts of a session', () => {
    expect(proofPartsOf(session)).toMatchObject({ tier: 576, modulusHash: 789n, expiry: 1_900_000_000n });
  });
});
