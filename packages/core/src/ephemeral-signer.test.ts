import { p256 } from '@noble/curves/nist.js';
import { keccak256, recoverAddress, toHex } from 'viem';
import { describe, expect, it } from 'vitest';
import {
  createP256EphemeralKey,
  createSecp256k1EphemeralKey,
  InvalidSignatureError,
  normalizeP256Signature,
  p256EphemeralKeyFromKeyPair,
  verifyEphemeralSignature,
} from './ephemeral-signer.ts';
import { bytesToBigInt } from './field.ts';

const N = p256.Point.CURVE().n;
const hashes = Array.from({ length: 24 }, (_, i) => keccak256(toHex(`user op ${i}`)));

describe('secp256k1 ephemeral key', () => {
  it('signs the raw digest (no EIP-191) as 65-byte r ‖ s ‖ v, low-s', async () => {
    const key = createSecp256k1EphemeralKey();
    for (const hash of hashes.slice(0, 8)) {
      const signature = await key.sign(hash);
      expect(signature).toMatch(/^0x[0-9a-f]{130}$/);
      expect(await recoverAddress({ hash, signature })).toBe(key.publicKey.address);
      const s = BigInt(`0x${signature.slice(66, 130)}`);
      expect(s <= 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n).toBe(true);
      expect(await verifyEphemeralSignature({ publicKey: key.publicKey, hash, signature })).toBe(true);
    }
  });

  it('restores from its private key', async () => {
    const key = createSecp256k1EphemeralKey();
    const again = createSecp256k1EphemeralKey({ privateKey: key.privateKey });
    expect(again.publicKey).toEqual(key.publicKey);
    expect(await again.sign(hashes[0] as `0x${string}`)).toBe(await key.sign(hashes[0] as `0x${string}`));
  });

  it('rejects a signature over another digest or by another key', async () => {
    const key = createSecp256k1EphemeralKey();
    const other = createSecp256k1EphemeralKey();
    const [h0, h1] = hashes as [`0x${string}`, `0x${string}`];
    const signature = await key.sign(h0);
    expect(await verifyEphemeralSignature({ publicKey: key.publicKey, hash: h1, signature })).toBe(false);
    expect(await verifyEphemeralSignature({ publicKey: other.publicKey, hash: h0, signature })).toBe(false);
  });

  it('refuses a digest that is not 32 bytes with INVALID_LENGTH', async () => {
    const key = createSecp256k1EphemeralKey();
    await expect(key.sign('0x1234')).rejects.toMatchObject({ code: 'INVALID_LENGTH' });
  });
});

describe('P-256 ephemeral key (WebCrypto)', () => {
  it('signs SHA-256(hash) as 64-byte low-s r ‖ s that noble p256 verifies', async () => {
    const key = await createP256EphemeralKey();
    expect(key.keyPair.privateKey.extractable).toBe(false);
    const pub = new Uint8Array([4, ...hexBytes(key.publicKey.x), ...hexBytes(key.publicKey.y)]);
    for (const hash of hashes) {
      const signature = await key.sign(hash);
      expect(signature).toMatch(/^0x[0-9a-f]{128}$/);
      const s = BigInt(`0x${signature.slice(66)}`);
      expect(s <= N / 2n).toBe(true);
      const digest = Buffer.from(hash.slice(2), 'hex');
      expect(
        p256.verify(Buffer.from(signature.slice(2), 'hex'), digest, pub, { prehash: true, lowS: true }),
      ).toBe(true);
      expect(await verifyEphemeralSignature({ publicKey: key.publicKey, hash, signature })).toBe(true);
    }
  });

  it('can be extractable and restored from its CryptoKeyPair', async () => {
    const key = await createP256EphemeralKey({ extractable: true });
    expect(key.keyPair.privateKey.extractable).toBe(true);
    const again = await p256EphemeralKeyFromKeyPair(key.keyPair);
    expect(again.publicKey).toEqual(key.publicKey);
    const hash = hashes[0] as `0x${string}`;
    expect(
      await verifyEphemeralSignature({ publicKey: key.publicKey, hash, signature: await again.sign(hash) }),
    ).toBe(true);
  });

  it('normalizeP256Signature maps high s to n − s and keeps low s', () => {
    const r = 12345n;
    const low = 777n;
    const high = N - low;
    const enc = (a: bigint, b: bigint) =>
      `0x${a.toString(16).padStart(64, '0')}${b.toString(16).padStart(64, '0')}` as const;
    expect(normalizeP256Signature(enc(r, high))).toBe(enc(r, low));
    expect(normalizeP256Signature(enc(r, low))).toBe(enc(r, low));
    expect(normalizeP256Signature(Buffer.from(enc(r, high).slice(2), 'hex'))).toBe(enc(r, low));
  });

  it('a high-s signature fails verification; its normalised form passes', async () => {
    const key = await createP256EphemeralKey();
    const hash = hashes[1] as `0x${string}`;
    const lowSig = await key.sign(hash);
    const r = BigInt(lowSig.slice(0, 66));
    const s = BigInt(`0x${lowSig.slice(66)}`);
    const highSig = `0x${r.toString(16).padStart(64, '0')}${(N - s).toString(16).padStart(64, '0')}` as const;
    expect(await verifyEphemeralSignature({ publicKey: key.publicKey, hash, signature: highSig })).toBe(
      false,
    );
    expect(
      await verifyEphemeralSignature({
        publicKey: key.publicKey,
        hash,
        signature: normalizeP256Signature(highSig),
      }),
    ).toBe(true);
  });

  it('refuses malformed signatures with INVALID_SIGNATURE', () => {
    expect(() => normalizeP256Signature('0x1234')).toThrow(InvalidSignatureError);
    expect(() => normalizeP256Signature(`0x${'00'.repeat(64)}`)).toThrow(
      expect.objectContaining({ code: 'INVALID_SIGNATURE' }),
    );
    expect(() => normalizeP256Signature(`0x${'ff'.repeat(64)}`)).toThrow(
      expect.objectContaining({ code: 'INVALID_SIGNATURE' }),
    );
  });
});

function hexBytes(v: bigint): Uint8Array {
  return Buffer.from(v.toString(16).padStart(64, '0'), 'hex');
}

// keep bytesToBigInt import meaningful: the public key coordinates match WebCrypto's raw export
describe('P-256 public key', () => {
  it('matches the WebCrypto raw export', async () => {
    const key = await createP256EphemeralKey();
    const raw = new Uint8Array(await crypto.subtle.exportKey('raw', key.keyPair.publicKey));
    expect(bytesToBigInt(raw.subarray(1, 33))).toBe(key.publicKey.x);
    expect(bytesToBigInt(raw.subarray(33))).toBe(key.publicKey.y);
  });
});
