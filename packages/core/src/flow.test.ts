import { concat, encodeAbiParameters, keccak256, parseAbiParameters, toHex } from 'viem';
import { describe, expect, it } from 'vitest';
import { b64 } from '../test/jwt-fixtures.ts';
import {
  EXPECTED,
  VECTOR_AUD,
  VECTOR_CREDENTIAL_ID,
  VECTOR_EXPIRY,
  VECTOR_ISS,
  VECTOR_MODULUS,
  VECTOR_P256_KEY,
  VECTOR_RANDOMNESS,
  VECTOR_SALT,
  VECTOR_SECP256K1_KEY,
  VECTOR_SUB,
} from '../test/vectors.ts';
import {
  ACCOUNT_KIND_OPENID,
  ACCOUNT_KIND_PASSKEY,
  assertInRange,
  BYTES_PER_CHUNK,
  buildPublicInputs,
  computeIdentityCommitment,
  computeNonce,
  createP256EphemeralKey,
  createSecp256k1EphemeralKey,
  DEFAULT_MAX_SIGNED_INPUT_LENGTH,
  type DecodedJwt,
  type DecodeJwtOptions,
  decodeJwt,
  type EphemeralKeyType,
  type EphemeralPublicKey,
  type EphemeralSigner,
  type ExtractIdentityClaimsOptions,
  ephemeralKeyId,
  ephemeralKeyType,
  extractIdentityClaims,
  hashBytes,
  hashIssuer,
  type IdentityClaims,
  type IdentityCommitmentInput,
  type KeyClaimName,
  MAX_AUD_LENGTH,
  MODULUS_LIMB_BITS,
  MODULUS_LIMB_COUNT,
  modulusHash,
  modulusLimbs,
  type NonceInput,
  openIdAccountSalt,
  type P256EphemeralKey,
  PUBLIC_INPUT_NAMES,
  type PublicInputName,
  type PublicInputs,
  type PublicInputsInput,
  packBytes,
  parsePublicInputs,
  passkeyAccountSalt,
  poseidonHash,
  type RawJsonMember,
  RSA_MODULUS_BITS,
  rawJsonMembers,
  type Secp256k1EphemeralKey,
  SUPPORTED_JWT_ALG,
  SUPPORTED_KEY_CLAIM_NAMES,
  verifyEphemeralSignature,
} from './index.ts';

// The exported types and constants, each used in a step of a login whose results are known answers
// (test/vectors.ts), so a change to any of them shows up as a wrong value.

const payload = {
  iss: VECTOR_ISS,
  aud: VECTOR_AUD,
  sub: VECTOR_SUB,
  nonce: EXPECTED.nonceSecp256k1,
};
const token = `${b64(JSON.stringify({ alg: SUPPORTED_JWT_ALG, kid: 'k' }))}.${b64(JSON.stringify(payload))}.${b64('sig')}`;

describe('a login, step by step, through the exported types', () => {
  it('nonce: NonceInput → the §13 nonce', () => {
    const input: NonceInput = {
      ephemeralPublicKey: VECTOR_SECP256K1_KEY,
      expiry: VECTOR_EXPIRY,
      randomness: VECTOR_RANDOMNESS,
    };
    expect(computeNonce(input)).toBe(EXPECTED.nonceSecp256k1);
    const byKeyId: NonceInput = {
      keyId: EXPECTED.keyIdSecp256k1,
      expiry: VECTOR_EXPIRY,
      randomness: VECTOR_RANDOMNESS,
    };
    expect(computeNonce(byKeyId)).toBe(EXPECTED.nonceSecp256k1);
  });

  it('token: DecodeJwtOptions, DecodedJwt, RawJsonMember, ExtractIdentityClaimsOptions, IdentityClaims', () => {
    expect(SUPPORTED_JWT_ALG).toBe('RS256');
    expect(DEFAULT_MAX_SIGNED_INPUT_LENGTH).toBe(1600); // protocol §7/§8: the largest tier
    const signedLength = token.lastIndexOf('.');
    const exact: DecodeJwtOptions = { maxSignedInputLength: signedLength };
    const decoded: DecodedJwt = decodeJwt(token, exact);
    expect(decoded.header.alg).toBe(SUPPORTED_JWT_ALG);
    expect(decoded.signedInput.length).toBe(token.lastIndexOf('.'));
    expect(() => decodeJwt(token, { maxSignedInputLength: signedLength - 1 })).toThrow(
      expect.objectContaining({ code: 'JWT_TOO_LONG' }),
    );
    const sub: RawJsonMember | undefined = rawJsonMembers(decoded.payloadJson).members.get('sub');
    expect(sub).toEqual({ rawName: 'sub', rawValue: `"${VECTOR_SUB}"` });
    const options: ExtractIdentityClaimsOptions = { keyClaimName: 'sub' };
    const claims: IdentityClaims = extractIdentityClaims(decoded, options);
    const name: KeyClaimName = claims.keyClaimName;
    expect([name, claims.keyClaimValue, claims.aud, claims.iss]).toEqual([
      'sub',
      VECTOR_SUB,
      VECTOR_AUD,
      VECTOR_ISS,
    ]);
    expect(claims.nonceField).toBe(EXPECTED.nonceFieldSecp256k1);
    expect([...SUPPORTED_KEY_CLAIM_NAMES]).toEqual(['sub', 'email']);
    // email is a supported key claim (this token simply has none); other names are not.
    expect(() => extractIdentityClaims(decoded, { keyClaimName: SUPPORTED_KEY_CLAIM_NAMES[1] })).toThrow(
      expect.objectContaining({ code: 'CLAIM_MISSING', details: { claim: 'email' } }),
    );
    expect(() => extractIdentityClaims(decoded, { keyClaimName: 'name' })).toThrow(
      expect.objectContaining({ code: 'KEY_CLAIM_UNSUPPORTED' }),
    );
  });

  it('identity: IdentityCommitmentInput → the §13 idc, and the account salt with ACCOUNT_KIND_OPENID', () => {
    const claims = extractIdentityClaims(decodeJwt(token));
    const input: IdentityCommitmentInput = { ...claims, salt: VECTOR_SALT };
    const idc = computeIdentityCommitment(input);
    expect(idc).toBe(EXPECTED.idcSub);
    const salt = keccak256(
      encodeAbiParameters(parseAbiParameters('uint8, uint256, uint256'), [
        ACCOUNT_KIND_OPENID,
        hashIssuer(VECTOR_ISS),
        idc,
      ]),
    );
    expect(salt).toBe(EXPECTED.openIdAccountSalt);
    expect(openIdAccountSalt({ issHash: EXPECTED.issHash, identityCommitment: idc })).toBe(salt);
  });

  it('passkey account salt uses ACCOUNT_KIND_PASSKEY', () => {
    expect([ACCOUNT_KIND_OPENID, ACCOUNT_KIND_PASSKEY]).toEqual([1, 2]);
    const salt = keccak256(
      encodeAbiParameters(parseAbiParameters('uint8, bytes32, uint256, uint256'), [
        ACCOUNT_KIND_PASSKEY,
        keccak256(VECTOR_CREDENTIAL_ID),
        VECTOR_P256_KEY.x,
        VECTOR_P256_KEY.y,
      ]),
    );
    expect(salt).toBe(EXPECTED.passkeyAccountSalt);
    expect(
      passkeyAccountSalt({ credentialId: VECTOR_CREDENTIAL_ID, x: VECTOR_P256_KEY.x, y: VECTOR_P256_KEY.y }),
    ).toBe(salt);
  });

  it('ephemeral keys: EphemeralPublicKey, EphemeralKeyType and both signer types', async () => {
    const keys: [EphemeralPublicKey, EphemeralKeyType, string][] = [
      [VECTOR_SECP256K1_KEY, 1, EXPECTED.keyIdSecp256k1],
      [VECTOR_P256_KEY, 2, EXPECTED.keyIdP256],
    ];
    for (const [key, type, keyId] of keys) {
      expect(ephemeralKeyType(key)).toBe(type);
      expect(ephemeralKeyId(key)).toBe(keyId);
    }
    const secp: Secp256k1EphemeralKey = createSecp256k1EphemeralKey();
    const p256: P256EphemeralKey = await createP256EphemeralKey();
    expect(p256.keyPair.privateKey.extractable).toBe(false);
    expect(secp.privateKey).toMatch(/^0x[0-9a-f]{64}$/);
    const hash = keccak256(toHex('user operation'));
    for (const signer of [secp, p256] as EphemeralSigner[]) {
      const signature = await signer.sign(hash);
      expect(await verifyEphemeralSignature({ publicKey: signer.publicKey, hash, signature })).toBe(true);
      expect(
        await verifyEphemeralSignature({ publicKey: signer.publicKey, hash: keccak256(hash), signature }),
      ).toBe(false);
    }
  });

  it('public inputs: PublicInputsInput → PublicInputs, named by PublicInputName in §8 order', () => {
    const input: PublicInputsInput = {
      issHash: EXPECTED.issHash,
      identityCommitment: EXPECTED.idcSub,
      keyId: EXPECTED.keyIdSecp256k1,
      expiry: VECTOR_EXPIRY,
      modulusHash: EXPECTED.modulusHash,
    };
    const signals = buildPublicInputs(input);
    const parsed: PublicInputs = parsePublicInputs(signals.map(String));
    const names: readonly PublicInputName[] = PUBLIC_INPUT_NAMES;
    expect(names).toEqual(['issHash', 'idc', 'ephHi', 'ephLo', 'expiry', 'modulusHash']);
    expect(parsed).toMatchObject({ ...input, ephHi: signals[2], ephLo: signals[3] });
    expect(BigInt(concat([toHex(parsed.ephHi, { size: 16 }), toHex(parsed.ephLo, { size: 16 })]))).toBe(
      BigInt(EXPECTED.keyIdSecp256k1),
    );
  });

  it('RSA modulus: RSA_MODULUS_BITS split into MODULUS_LIMB_COUNT limbs of MODULUS_LIMB_BITS', () => {
    expect([RSA_MODULUS_BITS, MODULUS_LIMB_COUNT, MODULUS_LIMB_BITS]).toEqual([2048, 16, 128]);
    expect(MODULUS_LIMB_COUNT * MODULUS_LIMB_BITS).toBe(RSA_MODULUS_BITS);
    const limbs = modulusLimbs(VECTOR_MODULUS);
    expect(limbs).toHaveLength(MODULUS_LIMB_COUNT);
    expect(limbs.every((l) => l < 1n << BigInt(MODULUS_LIMB_BITS))).toBe(true);
    expect(limbs.reduce((n, l) => (n << BigInt(MODULUS_LIMB_BITS)) + l, 0n)).toBe(VECTOR_MODULUS);
    expect(modulusHash(VECTOR_MODULUS)).toBe(EXPECTED.modulusHash);
    expect(() => modulusLimbs(1n << BigInt(RSA_MODULUS_BITS))).toThrow(
      expect.objectContaining({ code: 'OUT_OF_RANGE' }),
    );
  });

  it('string packing: BYTES_PER_CHUNK-byte big-endian chunks, then the length, into Poseidon', () => {
    expect(BYTES_PER_CHUNK).toBe(31);
    const chunks = packBytes(new TextEncoder().encode(VECTOR_AUD), MAX_AUD_LENGTH);
    expect(chunks).toHaveLength(MAX_AUD_LENGTH / BYTES_PER_CHUNK);
    expect(chunks.every((c) => c < 1n << BigInt(8 * BYTES_PER_CHUNK))).toBe(true);
    expect(poseidonHash([...chunks, BigInt(VECTOR_AUD.length)])).toBe(hashBytes(VECTOR_AUD, MAX_AUD_LENGTH));
  });

  it('assertInRange accepts min..maxExclusive-1 and throws OUT_OF_RANGE with the bounds outside', () => {
    expect(() => assertInRange(0n, 0n, 10n, 'x')).not.toThrow();
    expect(() => assertInRange(9n, 0n, 10n, 'x')).not.toThrow();
    for (const value of [-1n, 10n]) {
      expect(() => assertInRange(value, 0n, 10n, 'x')).toThrow(
        expect.objectContaining({
          code: 'OUT_OF_RANGE',
          details: { name: 'x', min: '0', maxExclusive: '10' },
        }),
      );
    }
    expect(() => assertInRange(1 as never, 0n, 10n, 'x')).toThrow(
      expect.objectContaining({ code: 'INVALID_INTEGER' }),
    );
  });
});
