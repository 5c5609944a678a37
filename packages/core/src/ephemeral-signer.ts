import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { type Hex, hexToBytes, isAddressEqual, isHex, recoverAddress } from 'viem';
import { generatePrivateKey, privateKeyToAccount, sign } from 'viem/accounts';
import { type EphemeralPublicKey, ephemeralKeyBytes } from './ephemeral-key.ts';
import { InvalidEphemeralKeyError, InvalidLengthError, ZkSsoError } from './errors.ts';
import { bytesToBigInt, toBytes32 } from './field.ts';

/**
 * An ephemeral key that signs 32-byte digests (user-operation hashes) as protocol §5 prescribes.
 * @example
 * ```ts
 * const signer: EphemeralSigner = await createP256EphemeralKey();
 * const signature = await signer.sign(userOpHash);
 * ```
 */
export type EphemeralSigner = {
  publicKey: EphemeralPublicKey;
  /** Signs a 32-byte digest: 65-byte `r ‖ s ‖ v` (secp256k1) or 64-byte low-s `r ‖ s` (P-256). */
  sign(hash: Hex): Promise<Hex>;
};

/**
 * A secp256k1 ephemeral key. `privateKey` is a secret: store it only where the session lives, never log it.
 * @example
 * ```ts
 * const key: Secp256k1EphemeralKey = createSecp256k1EphemeralKey();
 * sessionStorage.setItem('ephemeral', key.privateKey); // survive the OpenID redirect
 * ```
 */
export type Secp256k1EphemeralKey = EphemeralSigner & { publicKey: { type: 'secp256k1' }; privateKey: Hex };

/**
 * A P-256 ephemeral key held by WebCrypto (storable in IndexedDB as a CryptoKeyPair).
 * @example
 * ```ts
 * const key: P256EphemeralKey = await createP256EphemeralKey();
 * await idb.put('ephemeral', key.keyPair); // CryptoKeyPair is structured-cloneable
 * ```
 */
export type P256EphemeralKey = EphemeralSigner & { publicKey: { type: 'p256' }; keyPair: CryptoKeyPair };

/**
 * A signature does not have the shape protocol §5 requires (code INVALID_SIGNATURE).
 *
 * @example
 * ```ts
 * normalizeP256Signature('0x1234'); // throws InvalidSignatureError
 * ```
 */
export class InvalidSignatureError extends ZkSsoError {
  constructor(reason: string) {
    super('INVALID_SIGNATURE', `invalid signature: ${reason}`, { details: { reason } });
  }
}

function digestBytes(hash: Hex): Uint8Array<ArrayBuffer> {
  if (!isHex(hash, { strict: true }) || hash.length !== 66)
    throw new InvalidLengthError('hash', (hash?.length ?? 2) / 2 - 1, '32 bytes');
  return Uint8Array.from(hexToBytes(hash));
}

function toHex(bytes: Uint8Array): Hex {
  let hex = '0x';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex as Hex;
}

/**
 * Creates (or restores from `privateKey`) a secp256k1 ephemeral key whose `sign` produces a 65-byte
 * `r ‖ s ‖ v` signature over the digest itself, without the EIP-191 prefix, low-s (protocol §5).
 *
 * @example
 * ```ts
 * const key = createSecp256k1EphemeralKey();
 * const nonce = computeNonce({ ephemeralPublicKey: key.publicKey, expiry, randomness });
 * const signature = await key.sign(userOpHash);
 * ```
 */
export function createSecp256k1EphemeralKey(options: { privateKey?: Hex } = {}): Secp256k1EphemeralKey {
  const privateKey = options.privateKey ?? generatePrivateKey();
  let address: Hex;
  try {
    address = privateKeyToAccount(privateKey).address;
  } catch {
    throw new InvalidEphemeralKeyError('not a valid secp256k1 private key');
  }
  return {
    publicKey: { type: 'secp256k1', address },
    privateKey,
    sign: async (hash) => sign({ hash: toHex(digestBytes(hash)), privateKey, to: 'hex' }),
  };
}

const P256_N = p256.Point.CURVE().n;
const SECP256K1_N = secp256k1.Point.CURVE().n;

/**
 * Converts a 64-byte P-256 `r ‖ s` signature to low-s (`s <= n/2`, replacing s by n − s), as
 * OpenZeppelin's P256 verifier requires. WebCrypto signatures are high-s half the time.
 *
 * @throws {InvalidSignatureError} unless 64 bytes with `0 < r, s < n`.
 * @example
 * ```ts
 * const raw = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, digest));
 * const signature = normalizeP256Signature(raw);
 * ```
 */
export function normalizeP256Signature(signature: Hex | Uint8Array): Hex {
  const bytes =
    typeof signature === 'string'
      ? isHex(signature, { strict: true })
        ? hexToBytes(signature)
        : new Uint8Array()
      : signature;
  if (bytes.length !== 64) throw new InvalidSignatureError('a P-256 signature is 64 bytes r ‖ s');
  const r = bytesToBigInt(bytes.subarray(0, 32));
  let s = bytesToBigInt(bytes.subarray(32));
  if (r === 0n || r >= P256_N || s === 0n || s >= P256_N)
    throw new InvalidSignatureError('r or s out of range');
  if (s > P256_N / 2n) s = P256_N - s;
  return toHex(new Uint8Array([...toBytes32(r), ...toBytes32(s)]));
}

/**
 * Wraps an existing WebCrypto ECDSA P-256 key pair (e.g. one restored from IndexedDB) as an ephemeral key.
 *
 * @example
 * ```ts
 * const key = await p256EphemeralKeyFromKeyPair(await idb.get('ephemeral-key'));
 * ```
 */
export async function p256EphemeralKeyFromKeyPair(keyPair: CryptoKeyPair): Promise<P256EphemeralKey> {
  const raw = new Uint8Array(await globalThis.crypto.subtle.exportKey('raw', keyPair.publicKey));
  if (raw.length !== 65 || raw[0] !== 4)
    throw new InvalidEphemeralKeyError('expected an uncompressed P-256 point');
  const publicKey = {
    type: 'p256' as const,
    x: bytesToBigInt(raw.subarray(1, 33)),
    y: bytesToBigInt(raw.subarray(33)),
  };
  ephemeralKeyBytes(publicKey); // checks the point is on the curve
  return {
    publicKey,
    keyPair,
    sign: async (hash) => {
      const signature = await globalThis.crypto.subtle.sign(
        { name: 'ECDSA', hash: 'SHA-256' },
        keyPair.privateKey,
        digestBytes(hash),
      );
      return normalizeP256Signature(new Uint8Array(signature));
    },
  };
}

/**
 * Creates a P-256 ephemeral key with WebCrypto. The private key is non-extractable by default, so page
 * scripts can use it but never read it. `sign` is ECDSA over SHA-256 of the 32-byte digest, low-s
 * `r ‖ s` (protocol §5).
 *
 * @example
 * ```ts
 * const key = await createP256EphemeralKey();
 * const signature = await key.sign(userOpHash); // 64 bytes
 * ```
 */
export async function createP256EphemeralKey(
  options: { extractable?: boolean } = {},
): Promise<P256EphemeralKey> {
  const keyPair = (await globalThis.crypto.subtle.generateKey(
    { name: 'ECDSA', namedCurve: 'P-256' },
    options.extractable ?? false,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  return p256EphemeralKeyFromKeyPair(keyPair);
}

/**
 * Checks an ephemeral signature over a 32-byte digest the way the validator does (protocol §5): secp256k1
 * 65 bytes recovering the key's address, P-256 64 bytes over SHA-256(hash); both must be low-s.
 *
 * @example
 * ```ts
 * await verifyEphemeralSignature({ publicKey: key.publicKey, hash, signature: await key.sign(hash) }); // true
 * ```
 */
export async function verifyEphemeralSignature(args: {
  publicKey: EphemeralPublicKey;
  hash: Hex;
  signature: Hex;
}): Promise<boolean> {
  const digest = digestBytes(args.hash);
  if (!isHex(args.signature, { strict: true })) return false;
  const sig = hexToBytes(args.signature);
  if (args.publicKey.type === 'secp256k1') {
    if (sig.length !== 65) return false;
    const s = bytesToBigInt(sig.subarray(32, 64));
    if (s === 0n || s > SECP256K1_N / 2n) return false;
    try {
      const recovered = await recoverAddress({ hash: toHex(digest), signature: args.signature });
      return isAddressEqual(recovered, args.publicKey.address);
    } catch {
      return false;
    }
  }
  if (sig.length !== 64) return false;
  const keyBytes = ephemeralKeyBytes(args.publicKey);
  const point = new Uint8Array(65);
  point[0] = 4;
  point.set(keyBytes, 1);
  try {
    return p256.verify(sig, digest, point, { prehash: true, lowS: true, format: 'compact' });
  } catch {
    return false;
  }
}
