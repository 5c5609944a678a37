import { bytesToHex, concat, type Hex, hexToBytes, type LocalAccount, numberToHex, slice } from 'viem';
import { KEY_TYPE_P256, KEY_TYPE_SECP256K1 } from './encoding.ts';

/** Order n of the P-256 group. */
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** An ephemeral key as ZkLoginValidator sees it (protocol §5). */
export interface EphemeralSigner {
  keyType: typeof KEY_TYPE_SECP256K1 | typeof KEY_TYPE_P256;
  /** 20-byte address (secp256k1) or 64-byte `x ‖ y` (P-256). */
  keyBytes: Hex;
  /** Signs a 32-byte digest: 65-byte `r ‖ s ‖ v` (secp256k1, raw) or 64-byte `r ‖ s` over SHA-256 (P-256), low-s. */
  signHash: (hash: Hex) => Promise<Hex>;
}

/**
 * A secp256k1 ephemeral key (keyType 1) from a viem local account: signs the digest directly (no EIP-191).
 *
 * @example
 * ```ts
 * const ephemeral = secp256k1Ephemeral(privateKeyToAccount(generatePrivateKey()));
 * ```
 */
export function secp256k1Ephemeral(account: LocalAccount): EphemeralSigner {
  const sign = account.sign;
  if (!sign) throw new TypeError('secp256k1Ephemeral needs a local account with `sign`');
  return { keyType: KEY_TYPE_SECP256K1, keyBytes: account.address, signHash: (hash) => sign({ hash }) };
}

/**
 * A P-256 ephemeral key (keyType 2) from a WebCrypto ECDSA key pair, which may be non-extractable: signs
 * SHA-256(digest) as `crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, digest)` does and normalises s.
 *
 * @example
 * ```ts
 * const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
 * const ephemeral = await p256Ephemeral(pair);
 * ```
 */
export async function p256Ephemeral(keyPair: CryptoKeyPair): Promise<EphemeralSigner> {
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', keyPair.publicKey));
  // raw = 0x04 ‖ x ‖ y (uncompressed point).
  const keyBytes = bytesToHex(raw.slice(1));
  return {
    keyType: KEY_TYPE_P256,
    keyBytes,
    async signHash(hash) {
      const rs = new Uint8Array(
        await crypto.subtle.sign(
          { name: 'ECDSA', hash: 'SHA-256' },
          keyPair.privateKey,
          new Uint8Array(hexToBytes(hash)),
        ),
      );
      // WebCrypto returns IEEE P1363 `r ‖ s` (64 bytes), not DER.
      const signature = bytesToHex(rs);
      const s = BigInt(slice(signature, 32, 64));
      const lowS = s > P256_N / 2n ? P256_N - s : s;
      return concat([slice(signature, 0, 32), numberToHex(lowS, { size: 32 })]);
    },
  };
}
