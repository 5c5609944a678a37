import { zkLoginValidatorAbi, zkSsoAccountFactoryAbi } from '@zksso/contracts';
import {
  createSecp256k1EphemeralKey,
  type EphemeralSigner,
  ephemeralKeyBytes,
  ephemeralKeyId,
  ephemeralKeyType,
  InvalidEphemeralKeyError,
} from '@zksso/core';
import { type Address, bytesToHex, encodeFunctionData, type Hex, type LocalAccount, zeroHash } from 'viem';
import { readContract } from 'viem/actions';
import type { ZkSsoClients } from '../clients.ts';
import {
  encodeKeySignature,
  encodeProveSignature,
  withValidator,
  type ZkLoginProofParts,
} from '../contracts/encoding.ts';
import { toZkSsoSmartAccount, type ZkSsoAccountClient } from '../contracts/smart-account.ts';
import type { ZkSsoNetwork } from '../network.ts';
import { proofPartsOf, type ZkLoginSession } from '../zklogin-session.ts';

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
export type ZkLoginSmartAccount = ZkSsoOpenIdAccount & { session: ZkLoginSession };

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

/** Parameters of {@link toZkSsoOpenIdAccount}. */
export interface ZkSsoOpenIdAccountParameters {
  client: ZkSsoAccountClient;
  entryPoint: Address;
  factory: Address;
  zkLoginValidator: Address;
  issHash: bigint;
  idc: bigint;
  /** The account's address when known (a login session holds it); default: asked from the factory. */
  address?: Address;
  /**
   * The ephemeral key the proof binds: a viem local account (secp256k1) or a `@zksso/core` `EphemeralSigner`
   * (`createSecp256k1EphemeralKey`, `createP256EphemeralKey`, `p256EphemeralKeyFromKeyPair`).
   */
  ephemeral: LocalAccount | EphemeralSigner;
  /** The zkLogin proof of the key: needed for mode 0x01 (`prove`, and `auto` until the key is registered). */
  proof?: ZkLoginProofParts;
  /**
   * How user operations and ERC-1271 signatures are signed: `prove` (mode 0x01, with the proof: registers the
   * key, and the first operation deploys the account), `key` (mode 0x02, the key registered before), or `auto`
   * (reads the ZkLoginValidator: `prove` until the key is registered, then `key`). Default: `prove` when a
   * proof is given, else `key`.
   */
  signatureMode?: ZkLoginSignatureMode | 'auto';
}

/**
 * A viem SmartAccount of a zkSSO OpenID account, with the ephemeral key it signs with.
 *
 * @example
 * ```ts
 * const account: ZkSsoOpenIdAccount = await toZkSsoOpenIdAccount(parameters);
 * account.keyId; // keccak256(keyType ‖ keyBytes)
 * ```
 */
export type ZkSsoOpenIdAccount = Awaited<ReturnType<typeof toZkSsoSmartAccount>> & {
  /** The ephemeral key the proof binds (a WebCrypto P-256 key or a secp256k1 key). */
  ephemeralKey: EphemeralSigner;
  /** keccak256(keyType ‖ keyBytes) of the ephemeral key (protocol §5). */
  keyId: Hex;
  /** The mode of the next signature (`auto` reads the chain: `key` once the key is registered, else `prove`). */
  signatureMode(): Promise<ZkLoginSignatureMode>;
};

/**
 * The one builder of a zkSSO OpenID account on {@link toZkSsoSmartAccount}, signed by an ephemeral key
 * (secp256k1 or P-256): user operations carry `zkLoginValidator ‖ (mode 0x01 proof ‖ signature | mode 0x02
 * key ‖ signature)`. ERC-1271 signatures (messages, ERC-7739 typed data) use the same mode, so with the proof
 * they verify before the key is registered too (ERC-6492-wrapped by viem while the account is not deployed).
 *
 * @throws TypeError when the mode needs the proof (`prove`, `auto`) and none is given.
 * @example
 * ```ts
 * const account = await toZkSsoOpenIdAccount({ client, entryPoint, factory, zkLoginValidator, issHash, idc, ephemeral, proof });
 * await bundlerClient.sendUserOperation({ account, calls: [{ to, data }] });
 * ```
 */
export async function toZkSsoOpenIdAccount(
  parameters: ZkSsoOpenIdAccountParameters,
): Promise<ZkSsoOpenIdAccount> {
  const { client, factory, zkLoginValidator, issHash, idc, proof } = parameters;
  const mode = parameters.signatureMode ?? (proof ? 'prove' : 'key');
  if (mode !== 'key' && !proof) throw new TypeError(`signatureMode '${mode}' needs the zkLogin proof`);
  const address =
    parameters.address ??
    (await readContract(client, {
      address: factory,
      abi: zkSsoAccountFactoryAbi,
      functionName: 'getOpenIdAccountAddress',
      args: [issHash, idc],
    }));

  const signer = toEphemeralSigner(parameters.ephemeral);
  const keyType = ephemeralKeyType(signer.publicKey);
  const keyBytes = bytesToHex(ephemeralKeyBytes(signer.publicKey));
  const keyId = ephemeralKeyId(signer.publicKey);

  // Once registered a key stays registered (until revoked): no need to ask again.
  let registered = false;
  const signatureMode = async (): Promise<ZkLoginSignatureMode> => {
    if (mode !== 'auto') return mode;
    if (!registered) {
      const [expiry, revoked] = await readContract(client, {
        address: zkLoginValidator,
        abi: zkLoginValidatorAbi,
        functionName: 'keyOf',
        args: [address, keyId],
      });
      registered = expiry > 0 && !revoked;
    }
    return registered ? 'key' : 'prove';
  };
  const encode = async (hash: Hex): Promise<Hex> => {
    const signature = await signer.sign(hash);
    const validatorSignature =
      (await signatureMode()) === 'key' || !proof
        ? encodeKeySignature({ keyType, keyBytes, signature })
        : encodeProveSignature({ ...proof, keyType, keyBytes, signature });
    return withValidator(zkLoginValidator, validatorSignature);
  };

  const account = await toZkSsoSmartAccount({
    client,
    entryPoint: parameters.entryPoint,
    address,
    factoryArgs: {
      factory,
      factoryData: encodeFunctionData({
        abi: zkSsoAccountFactoryAbi,
        functionName: 'createOpenIdAccount',
        args: [issHash, idc],
      }),
    },
    sign: encode,
    // A real-shaped signature by the same key over another hash: same length and verification cost.
    stubSignature: () => encode(zeroHash),
    signDigest: encode,
  });
  return Object.assign(account, { ephemeralKey: signer, keyId, signatureMode });
}

/** A viem local account as a secp256k1 ephemeral key (signing the digest itself, no EIP-191), or the key as is. */
function toEphemeralSigner(ephemeral: LocalAccount | EphemeralSigner): EphemeralSigner {
  if (typeof ephemeral.publicKey === 'object') return ephemeral as EphemeralSigner;
  const account = ephemeral as LocalAccount;
  const sign = account.sign;
  if (!sign) throw new TypeError('the ephemeral key needs a local account with `sign`');
  return { publicKey: { type: 'secp256k1', address: account.address }, sign: (hash) => sign({ hash }) };
}

/**
 * The SmartAccount of a login session: {@link toZkSsoOpenIdAccount} in `auto` mode, mode 0x01 (proof,
 * registers the key; the first operation also deploys the account) until the key is registered on chain,
 * then mode 0x02.
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
  const account = await toZkSsoOpenIdAccount({
    client: p.clients.publicClient,
    entryPoint: network.addresses.entryPoint,
    factory: network.addresses.factory,
    zkLoginValidator: network.addresses.zkLoginValidator,
    issHash: BigInt(session.issHash),
    idc: BigInt(session.idc),
    address: session.address,
    ephemeral: sessionSigner(session, p.ephemeralKey),
    proof: proofPartsOf(session),
    signatureMode: 'auto',
  });
  return Object.assign(account, { session });
}
