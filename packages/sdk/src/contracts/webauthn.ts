import { p256 } from '@noble/curves/nist.js';
import { ZkSsoError } from '@zksso/core';
import {
  bytesToHex,
  concat,
  encodeAbiParameters,
  type Hex,
  hexToBytes,
  keccak256,
  numberToHex,
  sha256,
  stringToBytes,
  toHex,
} from 'viem';

/** Order of the P-256 group; signatures with s > n/2 are refused on chain (OpenZeppelin P256). @example `const lowS = s > P256_N / 2n ? P256_N - s : s;` */
export const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** authenticatorData flag bits (WebAuthn §6.1). @example `const verified = (authenticatorData[32] & AUTHENTICATOR_FLAGS.userVerified) !== 0;` */
export const AUTHENTICATOR_FLAGS = {
  userPresent: 0x01,
  userVerified: 0x04,
  backupEligible: 0x08,
  backupState: 0x10,
} as const;

/** ABI of WebAuthnValidator's install data and `addPasskey` arguments. @example `encodeAbiParameters(webAuthnInstallDataAbi, [credentialId, x, y, origin, rpIdHash(rpId)])` */
export const webAuthnInstallDataAbi = [
  { name: 'credentialId', type: 'bytes' },
  { name: 'x', type: 'uint256' },
  { name: 'y', type: 'uint256' },
  { name: 'origin', type: 'string' },
  { name: 'rpIdHash', type: 'bytes32' },
] as const;

/** ABI of the WebAuthnValidator signature (without the account's 20-byte validator prefix). @example `decodeAbiParameters(webAuthnSignatureAbi, validatorSignature)` */
export const webAuthnSignatureAbi = [
  { name: 'credentialIdHash', type: 'bytes32' },
  { name: 'authenticatorData', type: 'bytes' },
  { name: 'clientDataJSON', type: 'string' },
  { name: 'challengeIndex', type: 'uint256' },
  { name: 'typeIndex', type: 'uint256' },
  { name: 'originIndex', type: 'uint256' },
  { name: 'r', type: 'uint256' },
  { name: 's', type: 'uint256' },
] as const;

/**
 * A WebAuthn assertion could not be encoded for the validator: clientDataJSON lacks a member the validator
 * reads, or the signature is neither DER nor 64-byte `r ‖ s`.
 *
 * @example
 * ```ts
 * encodeWebAuthnSignature({ ...assertion, clientDataJSON: '{}' }); // throws (code INVALID_WEBAUTHN_ASSERTION)
 * ```
 */
export class InvalidWebAuthnAssertionError extends ZkSsoError {
  constructor(reason: string) {
    super('INVALID_WEBAUTHN_ASSERTION', `WebAuthn assertion cannot be used: ${reason}`, {
      details: { reason },
    });
  }
}

/** A P-256 public key as the validator stores it. */
export interface P256PublicKey {
  x: bigint;
  y: bigint;
}

/** What `navigator.credentials.get()` returns, in the parts the validator needs. */
export interface WebAuthnAssertion {
  /** The credential's raw id (`PublicKeyCredential.rawId`). */
  credentialId: Hex;
  /** `response.authenticatorData`. */
  authenticatorData: Hex;
  /** `response.clientDataJSON`, decoded as UTF-8 (exactly the signed bytes). */
  clientDataJSON: string;
  /** `response.signature`: DER (as browsers return it) or 64-byte `r ‖ s`. */
  signature: Hex;
}

/**
 * `sha256(rpId)`, the first 32 bytes of authenticatorData.
 *
 * @example
 * ```ts
 * rpIdHash('wallet.example'); // 0x…
 * ```
 */
export function rpIdHash(rpId: string): Hex {
  return sha256(stringToBytes(rpId));
}

/**
 * The WebAuthn challenge the validator expects for a 32-byte hash: base64url without padding (43 characters).
 *
 * @example
 * ```ts
 * const challenge = webAuthnChallenge(userOpHash); // pass as `challenge` to navigator.credentials.get
 * ```
 */
export function webAuthnChallenge(hash: Hex): string {
  return base64UrlEncode(hexToBytes(hash));
}

/**
 * Encodes WebAuthnValidator install data (also the arguments of `addPasskey`).
 * `origin` binds the passkey to one web origin; `''` accepts any origin of the rpId.
 *
 * @example
 * ```ts
 * const data = encodeWebAuthnInstallData({ credentialId, publicKey, origin: 'https://wallet.example', rpId: 'wallet.example' });
 * ```
 */
export function encodeWebAuthnInstallData(params: {
  credentialId: Hex;
  publicKey: P256PublicKey;
  origin: string;
  rpId: string;
}): Hex {
  return encodeAbiParameters(webAuthnInstallDataAbi, [
    params.credentialId,
    params.publicKey.x,
    params.publicKey.y,
    params.origin,
    rpIdHash(params.rpId),
  ]);
}

/**
 * Parses a P-256 signature (DER, as WebAuthn returns it, or 64-byte `r ‖ s`) and normalises s to the low half,
 * which the validator requires.
 *
 * @example
 * ```ts
 * const { r, s } = parseP256Signature(assertion.signature);
 * ```
 */
export function parseP256Signature(signature: Hex): { r: bigint; s: bigint } {
  const bytes = hexToBytes(signature);
  let parsed: { r: bigint; s: bigint };
  try {
    parsed = p256.Signature.fromBytes(bytes, bytes.length === 64 ? 'compact' : 'der');
  } catch (cause) {
    throw new InvalidWebAuthnAssertionError(
      `signature is neither DER nor r ‖ s (${bytes.length} bytes): ${cause}`,
    );
  }
  const s = parsed.s > P256_N / 2n ? P256_N - parsed.s : parsed.s;
  return { r: parsed.r, s };
}

/**
 * Byte offsets of `"challenge":"`, `"type":"` and `"origin":"` in clientDataJSON (UTF-8 bytes, as the contract
 * indexes it).
 *
 * @example
 * ```ts
 * findClientDataIndices('{"type":"webauthn.get","challenge":"…","origin":"https://a.b"}'); // { typeIndex: 1, … }
 * ```
 */
export function findClientDataIndices(clientDataJSON: string): {
  challengeIndex: number;
  typeIndex: number;
  originIndex: number;
} {
  const bytes = stringToBytes(clientDataJSON);
  const find = (key: string): number => {
    const index = indexOfBytes(bytes, stringToBytes(`"${key}":"`));
    if (index < 0) throw new InvalidWebAuthnAssertionError(`clientDataJSON has no "${key}" string member`);
    return index;
  };
  return { challengeIndex: find('challenge'), typeIndex: find('type'), originIndex: find('origin') };
}

/**
 * Encodes an assertion as the WebAuthnValidator signature (field layout in docs/contracts.md). Prefix it with the
 * validator address (`withValidator`) for a user operation or an ERC-1271 signature.
 *
 * @example
 * ```ts
 * const sig = encodeWebAuthnSignature({ credentialId, authenticatorData, clientDataJSON, signature });
 * userOp.signature = withValidator(webAuthnValidator, sig);
 * ```
 */
export function encodeWebAuthnSignature(assertion: WebAuthnAssertion): Hex {
  const { challengeIndex, typeIndex, originIndex } = findClientDataIndices(assertion.clientDataJSON);
  const { r, s } = parseP256Signature(assertion.signature);
  return encodeAbiParameters(webAuthnSignatureAbi, [
    keccak256(assertion.credentialId),
    assertion.authenticatorData,
    assertion.clientDataJSON,
    BigInt(challengeIndex),
    BigInt(typeIndex),
    BigInt(originIndex),
    r,
    s,
  ]);
}

/** A passkey held in memory (tests, scripts): signs assertions the way an authenticator and browser do. */
export interface SoftwarePasskey {
  credentialId: Hex;
  publicKey: P256PublicKey;
  rpId: string;
  origin: string;
  /** Produces a `navigator.credentials.get()`-like assertion over `challenge` (a 32-byte hash). */
  sign(challenge: Hex, options?: { flags?: number; signCount?: number }): WebAuthnAssertion;
}

/**
 * Creates a software passkey (P-256 key in memory). Never use it for real funds: the key is extractable.
 *
 * @example
 * ```ts
 * const passkey = createSoftwarePasskey({ rpId: 'wallet.example', origin: 'https://wallet.example' });
 * const sig = encodeWebAuthnSignature(passkey.sign(userOpHash));
 * ```
 */
export function createSoftwarePasskey(params: {
  rpId: string;
  origin: string;
  privateKey?: Uint8Array;
  credentialId?: Hex;
}): SoftwarePasskey {
  const secretKey = params.privateKey ?? p256.utils.randomSecretKey();
  const point = p256.Point.fromBytes(p256.getPublicKey(secretKey, false));
  const credentialId = params.credentialId ?? bytesToHex(p256.utils.randomSecretKey().slice(0, 16));
  return {
    credentialId,
    publicKey: { x: point.x, y: point.y },
    rpId: params.rpId,
    origin: params.origin,
    sign(challenge, options = {}) {
      const flags = options.flags ?? AUTHENTICATOR_FLAGS.userPresent | AUTHENTICATOR_FLAGS.userVerified;
      const authenticatorData = concat([
        rpIdHash(params.rpId),
        numberToHex(flags, { size: 1 }),
        numberToHex(options.signCount ?? 0, { size: 4 }),
      ]);
      const clientDataJSON = JSON.stringify({
        type: 'webauthn.get',
        challenge: webAuthnChallenge(challenge),
        origin: params.origin,
        crossOrigin: false,
      });
      const signed = concat([authenticatorData, sha256(stringToBytes(clientDataJSON))]);
      // Authenticators sign sha256(authenticatorData ‖ sha256(clientDataJSON)) and return DER.
      const signature = p256.sign(hexToBytes(signed), secretKey, {
        prehash: true,
        lowS: false,
        format: 'der',
      });
      return { credentialId, authenticatorData, clientDataJSON, signature: toHex(signature) };
    },
  };
}

/**
 * The P-256 public keys that could have signed `assertion` (ECDSA public-key recovery: one candidate per
 * recovery bit, so at most two). Used to find a passkey's account from an assertion alone, without a server:
 * a second assertion over another challenge leaves one common candidate.
 *
 * @example
 * ```ts
 * const candidates = recoverWebAuthnPublicKeys(assertion); // [{ x, y }, { x, y }]
 * ```
 */
export function recoverWebAuthnPublicKeys(assertion: WebAuthnAssertion): P256PublicKey[] {
  const message = sha256(
    concat([assertion.authenticatorData, sha256(stringToBytes(assertion.clientDataJSON))]),
  );
  const { r, s } = parseP256Signature(assertion.signature);
  const keys: P256PublicKey[] = [];
  for (const bit of [0, 1]) {
    try {
      const point = new p256.Signature(r, s).addRecoveryBit(bit).recoverPublicKey(hexToBytes(message));
      keys.push({ x: point.x, y: point.y });
    } catch {
      // No point on the curve for this recovery bit: one candidate only.
    }
  }
  return keys;
}

function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function base64UrlEncode(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
