import { type EphemeralSigner, ephemeralKeyBytes, ephemeralKeyType, ZkSsoError } from '@zksso/core';
import {
  type Address,
  bytesToHex,
  type Chain,
  type Client,
  encodeFunctionData,
  type Hex,
  type JsonRpcAccount,
  type LocalAccount,
  parseAbi,
  type Transport,
  zeroHash,
} from 'viem';
import { entryPoint08Abi, getUserOperationHash, toSmartAccount } from 'viem/account-abstraction';
import { getChainId, readContract } from 'viem/actions';
import {
  encodeExecute,
  encodeKeySignature,
  encodeProveSignature,
  type Groth16SolidityProof,
  withValidator,
} from './encoding.ts';
import {
  type Erc7739TypedData,
  erc7739PersonalSignHash,
  erc7739TypedDataSignHash,
  wrapErc7739TypedDataSignature,
} from './erc7739.ts';

/** The factory ABI fragment the account helpers use. @example `await readContract(client, { address: factory, abi: accountFactoryAbi, functionName: 'getOpenIdAccountAddress', args: [issHash, idc] })` */
export const accountFactoryAbi = parseAbi([
  'function createOpenIdAccount(uint256 issHash, uint256 idc) returns (address)',
  'function getOpenIdAccountAddress(uint256 issHash, uint256 idc) view returns (address)',
  'function createPasskeyAccount(bytes credentialId, uint256 x, uint256 y, string origin, bytes32 rpIdHash) returns (address)',
  'function getPasskeyAccountAddress(bytes credentialId, uint256 x, uint256 y) view returns (address)',
  'function accountInitCodeHash() view returns (bytes32)',
]);

/** A zkLogin proof ready for a mode 0x01 signature. */
export interface ZkLoginProofParts {
  tier: number;
  proof: Groth16SolidityProof;
  modulusHash: bigint;
  expiry: bigint;
}

/** Parameters of {@link toZkSsoOpenIdAccount}. */
export interface ZkSsoOpenIdAccountParameters {
  client: Client<Transport, Chain | undefined, JsonRpcAccount | LocalAccount | undefined>;
  entryPoint: Address;
  factory: Address;
  zkLoginValidator: Address;
  issHash: bigint;
  idc: bigint;
  /**
   * The ephemeral key the proof binds: a viem local account (secp256k1) or a `@zksso/core` `EphemeralSigner`
   * (`createSecp256k1EphemeralKey`, `createP256EphemeralKey`, `p256EphemeralKeyFromKeyPair`).
   */
  ephemeral: LocalAccount | EphemeralSigner;
  /** When present, user operations carry the proof (mode 0x01); otherwise the key alone (mode 0x02). */
  proof?: ZkLoginProofParts;
}

/**
 * ERC-7739 typed data is not implemented by this helper yet (personal messages are).
 *
 * @example
 * ```ts
 * await account.signTypedData(data); // throws UnsupportedSigningError (code UNSUPPORTED_SIGNING)
 * ```
 */
export class UnsupportedSigningError extends ZkSsoError {
  constructor(what: string) {
    super('UNSUPPORTED_SIGNING', `${what} is not supported by this account helper`, { details: { what } });
  }
}

/** The client a zkSSO smart account reads the chain through (nonce, chain id). @example `const client: ZkSsoAccountClient = publicClient;` */
export type ZkSsoAccountClient = Client<
  Transport,
  Chain | undefined,
  JsonRpcAccount | LocalAccount | undefined
>;

/** Parameters of {@link toZkSsoSmartAccount}. */
export interface ZkSsoSmartAccountParameters {
  client: ZkSsoAccountClient;
  entryPoint: Address;
  /** The account's (counterfactual) address. */
  address: Address;
  /** Present while the account is not deployed yet: its first user operation deploys it through `initCode`. */
  factoryArgs?: { factory: Address; factoryData: Hex };
  /** The full `userOp.signature` for a userOpHash: validator prefix (20 bytes) ‖ validator signature. */
  sign: (userOpHash: Hex) => Promise<Hex>;
  /**
   * A signature for gas estimation, of the real one's length and verification cost. Default: `sign(zeroHash)`
   * (a real signature over another hash, which the zkSSO validators refuse without reverting).
   */
  stubSignature?: () => Promise<Hex>;
  /**
   * ERC-1271 signing: the full signature (validator prefix ‖ validator signature) over an ERC-7739 nested
   * digest (`PersonalSign` for messages, `TypedDataSign` for typed data). Absent: messages and typed data
   * throw {@link UnsupportedSigningError}. Before deployment viem wraps the result in ERC-6492.
   */
  signDigest?: (digest: Hex) => Promise<Hex>;
}

/**
 * The one viem SmartAccount scaffold of zkSSO (ERC-4337 v0.8, ERC-7579 `execute`): every zkSSO account kind
 * (zkLogin, passkey, session key) is this plus its own `sign`. Calls are encoded as `execute(single|batch)`,
 * the nonce is read from the EntryPoint (key 0), and the user-operation hash is signed through `sign`.
 *
 * @example
 * ```ts
 * const account = await toZkSsoSmartAccount({
 *   client: publicClient,
 *   entryPoint: deployment.entryPoint,
 *   address,
 *   sign: async (hash) => withValidator(webAuthnValidator, encodeWebAuthnSignature(await passkey.sign(hash))),
 * });
 * await bundlerClient.sendUserOperation({ account, calls: [{ to, value: 1n }] });
 * ```
 */
export async function toZkSsoSmartAccount(parameters: ZkSsoSmartAccountParameters) {
  const { client, address, sign } = parameters;
  const chainId = async () => client.chain?.id ?? (await getChainId(client));
  return toSmartAccount({
    client,
    entryPoint: { abi: entryPoint08Abi, address: parameters.entryPoint, version: '0.8' },
    async getAddress() {
      return address;
    },
    async encodeCalls(calls) {
      return encodeExecute(calls.map((c) => ({ to: c.to, value: c.value, data: c.data })));
    },
    async getFactoryArgs() {
      return parameters.factoryArgs ?? { factory: undefined, factoryData: undefined };
    },
    async getNonce() {
      return readContract(client, {
        address: parameters.entryPoint,
        abi: entryPoint08Abi,
        functionName: 'getNonce',
        args: [address, 0n],
      });
    },
    async getStubSignature() {
      return parameters.stubSignature ? parameters.stubSignature() : sign(zeroHash);
    },
    async signMessage({ message }) {
      if (!parameters.signDigest) throw new UnsupportedSigningError('ERC-1271 message signing');
      return parameters.signDigest(
        erc7739PersonalSignHash({ message, chainId: await chainId(), account: address }),
      );
    },
    async signTypedData(typedData) {
      if (!parameters.signDigest) throw new UnsupportedSigningError('ERC-1271 typed data signing');
      const data = typedData as unknown as Erc7739TypedData;
      const digest = erc7739TypedDataSignHash({
        typedData: data,
        chainId: await chainId(),
        account: address,
      });
      // `validator ‖ inner` then the ERC-7739 tail: the account reads the validator from the first 20 bytes
      // and decodes `inner ‖ appSeparator ‖ contentsHash ‖ contentsDescr ‖ uint16(len)` from the rest.
      return wrapErc7739TypedDataSignature({
        typedData: data,
        signature: await parameters.signDigest(digest),
      });
    },
    async signUserOperation(userOperation) {
      const hash = getUserOperationHash({
        userOperation: { ...userOperation, sender: address, signature: '0x' },
        entryPointAddress: parameters.entryPoint,
        entryPointVersion: '0.8',
        chainId: await chainId(),
      });
      return sign(hash);
    },
  });
}

/**
 * A viem SmartAccount for a zkSSO OpenID account signed by an ephemeral key (secp256k1 or P-256): user operations carry
 * `zkLoginValidator ‖ (mode 0x01 proof ‖ signature | mode 0x02 key ‖ signature)`; messages are ERC-7739
 * nested personal-sign signatures (mode 0x02, the key must be registered). A thin wrapper on
 * {@link toZkSsoSmartAccount}.
 *
 * @example
 * ```ts
 * const account = await toZkSsoOpenIdAccount({ client, entryPoint, factory, zkLoginValidator, issHash, idc, ephemeral, proof });
 * await bundlerClient.sendUserOperation({ account, calls: [{ to, data }] });
 * ```
 */
export async function toZkSsoOpenIdAccount(parameters: ZkSsoOpenIdAccountParameters) {
  const { client, factory, zkLoginValidator, issHash, idc, proof } = parameters;
  const address = await readContract(client, {
    address: factory,
    abi: accountFactoryAbi,
    functionName: 'getOpenIdAccountAddress',
    args: [issHash, idc],
  });

  const signer = toEphemeralSigner(parameters.ephemeral);
  const keyType = ephemeralKeyType(signer.publicKey);
  const keyBytes = bytesToHex(ephemeralKeyBytes(signer.publicKey));
  const withSignature = (signature: Hex): Hex =>
    withValidator(
      zkLoginValidator,
      proof
        ? encodeProveSignature({ ...proof, keyType, keyBytes, signature })
        : encodeKeySignature({ keyType, keyBytes, signature }),
    );

  return toZkSsoSmartAccount({
    client,
    entryPoint: parameters.entryPoint,
    address,
    factoryArgs: {
      factory,
      factoryData: encodeFunctionData({
        abi: accountFactoryAbi,
        functionName: 'createOpenIdAccount',
        args: [issHash, idc],
      }),
    },
    sign: async (hash) => withSignature(await signer.sign(hash)),
    // A real-shaped signature by the same key over another hash: same length and verification cost.
    stubSignature: async () => withSignature(await signer.sign(zeroHash)),
    // ERC-1271 in the same mode as user operations: with the proof it verifies statelessly, so also before the
    // key is registered and (ERC-6492-wrapped by viem) before the account is deployed.
    signDigest: async (digest) => withSignature(await signer.sign(digest)),
  });
}

/** A viem local account as a secp256k1 ephemeral key (signing the digest itself, no EIP-191), or the key as is. */
function toEphemeralSigner(ephemeral: LocalAccount | EphemeralSigner): EphemeralSigner {
  if (typeof ephemeral.publicKey === 'object') return ephemeral as EphemeralSigner;
  const account = ephemeral as LocalAccount;
  const sign = account.sign;
  if (!sign) throw new TypeError('the ephemeral key needs a local account with `sign`');
  return { publicKey: { type: 'secp256k1', address: account.address }, sign: (hash) => sign({ hash }) };
}
