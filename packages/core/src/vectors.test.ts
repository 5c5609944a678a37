// Known-answer vectors: every literal in ../test/vectors.ts is checked here twice, against the library and
// against an independent computation (circomlibjs Poseidon, viem keccak/ABI, Node base64url).
import { concat, encodePacked, keccak256, pad, toHex } from 'viem';
import { describe, expect, it } from 'vitest';
import { referenceHashBytes, referenceIdentityCommitment, referencePoseidon } from '../test/reference.ts';
import * as v from '../test/vectors.ts';
import { openIdAccountSalt, passkeyAccountSalt } from './address.ts';
import { ephemeralKeyId, splitKeyId } from './ephemeral-key.ts';
import { toBytes32 } from './field.ts';
import { hashBytes } from './hash-bytes.ts';
import { computeIdentityCommitment, hashSalt } from './identity.ts';
import { hashIssuer } from './issuer.ts';
import { computeNonce, computeNonceField, decodeNonce } from './nonce.ts';
import { poseidonHash } from './poseidon.ts';
import { modulusHash, modulusLimbs } from './rsa.ts';

const E = v.EXPECTED;
const enc = new TextEncoder();

describe('known-answer vectors', () => {
  it('Poseidon', async () => {
    for (const { inputs, output } of v.POSEIDON_VECTORS) {
      expect(await referencePoseidon(inputs)).toBe(output);
      expect(poseidonHash(inputs)).toBe(output);
    }
  });

  it('hashBytes', async () => {
    for (const { value, maxLen, output } of v.HASH_BYTES_VECTORS) {
      expect(await referenceHashBytes(enc.encode(value), maxLen)).toBe(output);
      expect(hashBytes(value, maxLen)).toBe(output);
    }
  });

  it('issHash, saltHash, identity commitments', async () => {
    expect(await referenceHashBytes(enc.encode(v.VECTOR_ISS), 124)).toBe(E.issHash);
    expect(hashIssuer(v.VECTOR_ISS)).toBe(E.issHash);
    expect(hashIssuer('accounts.google.com')).toBe(E.issHash);
    expect(await referencePoseidon([v.VECTOR_SALT])).toBe(E.saltHash);
    expect(hashSalt(v.VECTOR_SALT)).toBe(E.saltHash);
    const sub = {
      keyClaimName: 'sub',
      keyClaimValue: v.VECTOR_SUB,
      aud: v.VECTOR_AUD,
      iss: v.VECTOR_ISS,
      salt: v.VECTOR_SALT,
    };
    expect(await referenceIdentityCommitment(sub)).toBe(E.idcSub);
    expect(computeIdentityCommitment(sub)).toBe(E.idcSub);
    const email = {
      ...sub,
      keyClaimName: 'email',
      keyClaimValue: v.VECTOR_EMAIL,
      iss: 'accounts.google.com',
    };
    expect(await referenceIdentityCommitment(email)).toBe(E.idcEmail);
    expect(computeIdentityCommitment(email)).toBe(E.idcEmail);
  });

  it('keyIds and nonces', async () => {
    const k1 = v.VECTOR_SECP256K1_KEY;
    const k2 = v.VECTOR_P256_KEY;
    expect(keccak256(encodePacked(['uint8', 'address'], [1, k1.address]))).toBe(E.keyIdSecp256k1);
    expect(ephemeralKeyId(k1)).toBe(E.keyIdSecp256k1);
    expect(keccak256(encodePacked(['uint8', 'uint256', 'uint256'], [2, k2.x, k2.y]))).toBe(E.keyIdP256);
    expect(ephemeralKeyId(k2)).toBe(E.keyIdP256);

    const id1 = BigInt(E.keyIdSecp256k1);
    const ref1 = await referencePoseidon([
      id1 >> 128n,
      id1 % 2n ** 128n,
      v.VECTOR_EXPIRY,
      v.VECTOR_RANDOMNESS,
    ]);
    expect(ref1).toBe(E.nonceFieldSecp256k1);
    const input1 = { ephemeralPublicKey: k1, expiry: v.VECTOR_EXPIRY, randomness: v.VECTOR_RANDOMNESS };
    expect(computeNonceField(input1)).toBe(E.nonceFieldSecp256k1);
    expect(Buffer.from(ref1.toString(16).padStart(64, '0'), 'hex').toString('base64url')).toBe(
      E.nonceSecp256k1,
    );
    expect(computeNonce(input1)).toBe(E.nonceSecp256k1);
    expect(decodeNonce(E.nonceSecp256k1)).toBe(E.nonceFieldSecp256k1);

    const { hi, lo } = splitKeyId(E.keyIdP256);
    const ref2 = await referencePoseidon([hi, lo, v.VECTOR_EXPIRY, 0n]);
    expect(Buffer.from(toBytes32(ref2)).toString('base64url')).toBe(E.nonceP256);
    expect(computeNonce({ ephemeralPublicKey: k2, expiry: v.VECTOR_EXPIRY, randomness: 0n })).toBe(
      E.nonceP256,
    );
  });

  it('modulusHash', async () => {
    const hex = v.VECTOR_MODULUS.toString(16).padStart(512, '0');
    const refLimbs = Array.from({ length: 16 }, (_, i) => BigInt(`0x${hex.slice(i * 32, i * 32 + 32)}`));
    expect(modulusLimbs(v.VECTOR_MODULUS)).toEqual(refLimbs);
    expect(await referencePoseidon(refLimbs)).toBe(E.modulusHash);
    expect(modulusHash(v.VECTOR_MODULUS)).toBe(E.modulusHash);
  });

  it('account salts', () => {
    expect(keccak256(concat([pad(toHex(1)), pad(toHex(E.issHash)), pad(toHex(E.idcSub))]))).toBe(
      E.openIdAccountSalt,
    );
    expect(openIdAccountSalt({ issHash: E.issHash, identityCommitment: E.idcSub })).toBe(E.openIdAccountSalt);
    const k2 = v.VECTOR_P256_KEY;
    expect(
      keccak256(
        concat([pad(toHex(2)), keccak256(v.VECTOR_CREDENTIAL_ID), pad(toHex(k2.x)), pad(toHex(k2.y))]),
      ),
    ).toBe(E.passkeyAccountSalt);
    expect(passkeyAccountSalt({ credentialId: v.VECTOR_CREDENTIAL_ID, x: k2.x, y: k2.y })).toBe(
      E.passkeyAccountSalt,
    );
  });
});
