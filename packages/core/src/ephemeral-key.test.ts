import { p256 } from '@noble/curves/nist.js';
import fc from 'fast-check';
import { encodePacked, keccak256 } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import {
  ephemeralKeyBytes,
  ephemeralKeyFromBytes,
  ephemeralKeyId,
  ephemeralKeyType,
  joinKeyId,
  KEY_TYPE_P256,
  KEY_TYPE_SECP256K1,
  splitKeyId,
} from './ephemeral-key.ts';
import { bytesToBigInt } from './field.ts';

function randomP256(): { x: bigint; y: bigint } {
  const pub = p256.getPublicKey(p256.utils.randomSecretKey(), false);
  return { x: bytesToBigInt(pub.subarray(1, 33)), y: bytesToBigInt(pub.subarray(33, 65)) };
}

describe('ephemeral keys', () => {
  it('secp256k1: keyBytes is the address; keyId = keccak256(0x01 ‖ address)', () => {
    const { address } = privateKeyToAccount(generatePrivateKey());
    const key = { type: 'secp256k1', address } as const;
    expect(ephemeralKeyType(key)).toBe(KEY_TYPE_SECP256K1);
    expect(ephemeralKeyBytes(key).length).toBe(20);
    expect(ephemeralKeyId(key)).toBe(keccak256(encodePacked(['uint8', 'address'], [1, address])));
    // The address's checksum case does not matter.
    expect(ephemeralKeyId({ type: 'secp256k1', address: address.toLowerCase() as `0x${string}` })).toBe(
      ephemeralKeyId(key),
    );
  });

  it('P-256: keyBytes is x ‖ y; keyId = keccak256(0x02 ‖ x ‖ y)', () => {
    const { x, y } = randomP256();
    const key = { type: 'p256', x, y } as const;
    expect(ephemeralKeyType(key)).toBe(KEY_TYPE_P256);
    expect(ephemeralKeyBytes(key).length).toBe(64);
    expect(ephemeralKeyId(key)).toBe(keccak256(encodePacked(['uint8', 'uint256', 'uint256'], [2, x, y])));
  });

  it('ephemeralKeyFromBytes inverts ephemeralKeyBytes', () => {
    const { address } = privateKeyToAccount(generatePrivateKey());
    const k1 = { type: 'secp256k1', address } as const;
    expect(ephemeralKeyFromBytes(1, ephemeralKeyBytes(k1))).toEqual(k1);
    const k2 = { type: 'p256', ...randomP256() } as const;
    expect(ephemeralKeyFromBytes(2, ephemeralKeyBytes(k2))).toEqual(k2);
  });

  it('refuses invalid keys with INVALID_EPHEMERAL_KEY', () => {
    const code = expect.objectContaining({ code: 'INVALID_EPHEMERAL_KEY' });
    expect(() => ephemeralKeyBytes({ type: 'p256', x: 1n, y: 1n })).toThrow(code);
    expect(() => ephemeralKeyBytes({ type: 'secp256k1', address: '0x1234' })).toThrow(code);
    expect(() => ephemeralKeyBytes({ type: 'ed25519' } as never)).toThrow(code);
    expect(() => ephemeralKeyFromBytes(1, new Uint8Array(21))).toThrow(code);
    expect(() => ephemeralKeyFromBytes(2, new Uint8Array(64))).toThrow(code);
    expect(() => ephemeralKeyFromBytes(3, new Uint8Array(20))).toThrow(code);
    expect(() => splitKeyId('0x1234')).toThrow(code);
    expect(() => joinKeyId({ hi: 2n ** 128n, lo: 0n })).toThrow(code);
  });

  it('splitKeyId / joinKeyId round-trip (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), (v) => {
        const keyId = `0x${v.toString(16).padStart(64, '0')}` as const;
        const { hi, lo } = splitKeyId(keyId);
        return (
          hi < 2n ** 128n && lo < 2n ** 128n && (hi << 128n) + lo === v && joinKeyId({ hi, lo }) === keyId
        );
      }),
    );
  });
});
