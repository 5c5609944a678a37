import {
  accountFactoryAbi,
  encodeKeySignature,
  encodeProveSignature,
  toZkSsoSmartAccount,
  withValidator,
} from '@zksso/contracts';
import {
  createSecp256k1EphemeralKey,
  type EphemeralSigner,
  ephemeralKeyBytes,
  ephemeralKeyId,
  ephemeralKeyType,
  InvalidEphemeralKeyError,
} from '@zksso/core';
import { bytesToHex, encodeFunctionData, type Hex, parseAbi, zeroHash } from 'viem';
import type { SmartAccount } from 'viem/account-abstraction';
import type { ZkSsoClients } from '../clients.ts';
import type { ZkSsoNetwork } from '../network.ts';
import { proofPartsOf, type ZkLoginSession } from '../zklogin-session.ts';

/** The ZkLoginValidator view that tells whether an ephemeral key is registered for an account. @example `readContract(client, { address: zkLoginValidator, abi: zkLoginValidatorKeyAbi, functionName: 'keyOf', args: [account, keyId] })` */
export const zkLoginValidatorKeyAbi = parseAbi([
  'function keyOf(address account, bytes32 keyId) view returns (uint48 expiry, bool revoked)',
]);

/** How the account signs its next user operation: with the proof (mode 0x01) or the registered key (0x02). @example `(await account.signatureMode()) === 'key'` */
export type ZkLoginSignatureMode = 'prove' | 'key';

/**
 * A viem SmartAccount of a zkSSO OpenID login, plus the login (`session`, SECRET) and what it signs with.
 *
 * @example
 * ```ts
 * const { account } = await createZkLoginAccount({ network, source: { kind: 'dev', user: 'alice' } });
 * await account.signatureMode(); // 'prove' until the first operation registers the key, then 'key'
 * ```
 */
export type ZkLoginSmartAccount = SmartAccount & {
  session: ZkLoginSession;
  /** The ephemeral key the login's proof binds (a WebCrypto P-256 key or a secp256k1 key). */
  ephemeralKey: EphemeralSigner;
  /** keccak256(keyType ‖ keyBytes) of the ephemeral key (protocol §5). */
  keyId: Hex;
  /** Reads the chain: `key` once the ephemeral key is registered for the account, else `prove`. */
  signatureMode(): Promise<ZkLoginSignatureMode>;
};

/**
 * The ephemeral signer of a login session: `ephemeralKey` when given (it must be the session's key), else the
 * session's own secp256k1 private key. A P-256 session has no private key in it: its WebCrypto key must be
 * passed.
 *
 * @throws InvalidEphemeralKeyError (code INVALID_EPHEMERAL_KEY) when the key is missing or is another key.
 * @example
 * ```ts
 * const signer = sessionSigner(session, await p256EphemeralKeyFromKeyPair(storedKeyPair));
 * ```
 */
export function sessionSigner(session: ZkLoginSession, ephemeralKey?: EphemeralSigner): EphemeralSigner {
  const signer =
    ephemeralKey ??
    (session.ephemeralPrivateKey
      ? createSecp256k1EphemeralKey({ privateKey: session.ephemeralPrivateKey })
      : undefined);
  if (!signer) throw new InvalidEphemeralKeyError('a P-256 login needs its WebCrypto key: pass ephemeralKey');
  const expected =
    session.ephemeralKeyType === 'p256'
      ? session.ephemeralPublicKey?.toLowerCase()
      : session.ephemeralPrivateKey
        ? createSecp256k1EphemeralKey({
            privateKey: session.ephemeralPrivateKey,
          }).publicKey.address.toLowerCase()
        : undefined;
  if (bytesToHex(ephemeralKeyBytes(signer.publicKey)).toLowerCase() !== expected)
    throw new InvalidEphemeralKeyError('ephemeralKey is not the key this login session was proved for');
  return signer;
}

/**
 * Builds the SmartAccount of a login session on {@link toZkSsoSmartAccount}: mode 0x01 (proof, registers the
 * key; the first operation also deploys the account) until the key is registered on chain, then mode 0x02.
 * ERC-1271 signatures (messages, ERC-7739 typed data) use the same modes, so they verify before the key is
 * registered too (ERC-6492-wrapped by viem while the account is not deployed).
 *
 * @example
 * ```ts
 * const account = await toZkLoginSmartAccount({ network, clients, session });
 * ```
 */
export async function toZkLoginSmartAccount(p: {
  network: ZkSsoNetwork;
  clients: ZkSsoClients;
  session: ZkLoginSession;
  /** Required for a P-256 session (its non-extractable WebCrypto key); default: the session's secp256k1 key. */
  ephemeralKey?: EphemeralSigner;
}): Promise<ZkLoginSmartAccount> {
  const { network, session } = p;
  const client = p.clients.publicClient;
  const { zkLoginValidator } = network.addresses;
  const signer = sessionSigner(session, p.ephemeralKey);
  const keyType = ephemeralKeyType(signer.publicKey);
  const keyBytes = bytesToHex(ephemeralKeyBytes(signer.publicKey));
  const keyId = ephemeralKeyId(signer.publicKey);
  const proof = proofPartsOf(session);
  const issHash = BigInt(session.issHash);
  const idc = BigInt(session.idc);

  // Once registered a key stays registered (until revoked): no need to ask again.
  let registered = false;
  const signatureMode = async (): Promise<ZkLoginSignatureMode> => {
    if (!registered) {
      const [expiry, revoked] = await client.readContract({
        address: zkLoginValidator,
        abi: zkLoginValidatorKeyAbi,
        functionName: 'keyOf',
        args: [session.address, keyId],
      });
      registered = expiry > 0 && !revoked;
    }
    return registered ? 'key' : 'prove';
  };
  const encode = async (hash: Hex): Promise<Hex> => {
    const signature = await signer.sign(hash);
    const validatorSignature =
      (await signatureMode()) === 'key'
        ? encodeKeySignature({ keyType, keyBytes, signature })
        : encodeProveSignature({ ...proof, keyType, keyBytes, signature });
    return withValidator(zkLoginValidator, validatorSignature);
  };

  const account = await toZkSsoSmartAccount({
    client,
    entryPoint: network.addresses.entryPoint,
    address: session.address,
    factoryArgs: {
      factory: network.addresses.factory,
      factoryData: encodeFunctionData({
        abi: accountFactoryAbi,
        functionName: 'createOpenIdAccount',
        args: [issHash, idc],
      }),
    },
    sign: encode,
    // A real-shaped signature by the same key over another hash: same length and verification cost.
    stubSignature: () => encode(zeroHash),
    signDigest: encode,
  });
  return Object.assign(account, { session, ephemeralKey: signer, keyId, signatureMode });
}
