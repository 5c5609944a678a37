import { createSign, generateKeyPairSync } from 'node:crypto';
import {
  buildZkLoginInputs,
  compileVerifierContract,
  proveZkLogin,
  type TierArtifacts,
} from '@zksso/circuits';
import { bytesToBase64Url, computeNonce, parsePublicInputs, type RsaJwk, utf8ToBytes } from '@zksso/core';
import { decodeSolidityProof, type ZkLoginProofParts } from '@zksso/sdk';
import type { Address, Hex } from 'viem';

// Real zkLogin proofs for integration tests: a tier's DEVELOPMENT-key verifier compiled with solc-js, a
// Google-shaped RS256 ID token signed by a throwaway RSA key, and a snarkjs proof of it (protocol §8, §10).

/** Google's issuer and a client id shaped like Google's (values invented). */
const GOOGLE_ISS = 'https://accounts.google.com';
const GOOGLE_AUD = '575519204237-msop9ep45u2uo98hapqmngv8d84qdc8k.apps.googleusercontent.com';

/**
 * Compiles a tier's development-key Groth16 verifier for `deploy({ verifiers })` (see
 * `compileVerifierContract` in @zksso/circuits).
 *
 * @example
 * const bytecode = await compileTierVerifier(await ensureTierArtifacts(1024));
 * const chain = await startTestChain({ verifiers: [{ tier: 1024, bytecode }] });
 */
export function compileTierVerifier(
  artifacts: Pick<TierArtifacts, 'tier' | 'verifierSolPath'>,
): Promise<Hex> {
  return compileVerifierContract(artifacts);
}

/** A real proof binding an ephemeral secp256k1 key to a Google-shaped identity, ready for mode 0x01. */
export interface RealZkLogin {
  /** Public input 0 (protocol §8): the account's issuer hash. */
  issHash: bigint;
  /** Public input 1: the identity commitment the account is derived from. */
  idc: bigint;
  /** Mode 0x01 parts: tier, proof, modulusHash, expiry. */
  proofParts: ZkLoginProofParts;
  /** The 256-byte proof as the prover returns it. */
  encodedProof: Hex;
}

/**
 * Signs a Google-shaped RS256 ID token (fresh RSA-2048 key) whose nonce commits to `ephemeral` until
 * `expiry`, builds the circuit inputs and proves them with the tier's development key (checked against
 * its vkey). A snarkjs proof takes a minute or more on 2 cores.
 *
 * @example
 * const login = await proveRealZkLogin({ artifacts, ephemeral: account.address, expiry });
 * await addJwk(chain, login.issHash, login.proofParts.modulusHash);
 */
export async function proveRealZkLogin(options: {
  artifacts: TierArtifacts;
  ephemeral: Address;
  expiry: bigint;
}): Promise<RealZkLogin> {
  const { artifacts, expiry } = options;
  const ephemeralPublicKey = { type: 'secp256k1' as const, address: options.ephemeral };
  // Fixed test secrets: nothing here protects value beyond this throwaway chain.
  const randomness = 0x1f2e3d4c5b6a79880123456789abcdefn;
  const salt = 0x0123456789abcdef0011223344556677n;
  const nonce = computeNonce({ ephemeralPublicKey, expiry, randomness });

  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicExponent: 65537,
  });
  const now = Math.floor(Date.now() / 1000);
  const header = JSON.stringify({ alg: 'RS256', kid: 'zksso-test-key', typ: 'JWT' });
  const payload = JSON.stringify({
    iss: GOOGLE_ISS,
    azp: GOOGLE_AUD,
    aud: GOOGLE_AUD,
    sub: '110169484474386276334',
    email: 'alice.example@gmail.com',
    email_verified: true,
    nonce,
    iat: now,
    exp: now + 3600,
  });
  const b64 = (text: string) => bytesToBase64Url(utf8ToBytes(text));
  const signingInput = `${b64(header)}.${b64(payload)}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(privateKey);
  const jwt = `${signingInput}.${bytesToBase64Url(new Uint8Array(signature))}`;

  const built = buildZkLoginInputs({
    jwt,
    salt,
    ephemeralPublicKey,
    expiry,
    randomness,
    jwk: publicKey.export({ format: 'jwk' }) as RsaJwk,
    tier: artifacts.tier,
  });
  const proved = await proveZkLogin({ artifacts, input: built.inputs, vkey: artifacts.vkey });
  const { issHash, identityCommitment, modulusHash } = parsePublicInputs(built.publicInputs);
  return {
    issHash,
    idc: identityCommitment,
    encodedProof: proved.proof,
    proofParts: { tier: artifacts.tier, proof: decodeSolidityProof(proved.proof), modulusHash, expiry },
  };
}
