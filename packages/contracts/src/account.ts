import { ZkSsoError } from '@zksso/core';
import {
  type Address,
  type Chain,
  type Client,
  encodeFunctionData,
  type Hex,
  hashTypedData,
  type JsonRpcAccount,
  type LocalAccount,
  parseAbi,
  type SignableMessage,
  type Transport,
  toPrefixedMessage,
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
import { type EphemeralSigner, secp256k1Ephemeral } from './ephemeral.ts';

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
  /** The ephemeral key the proof binds: a viem local account (secp256k1) or an {@link EphemeralSigner}. */
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
  /** ERC-1271 personal-message signing (validator prefix included); absent: {@link UnsupportedSigningError}. */
  signMessage?: (message: SignableMessage) => Promise<Hex>;
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
      if (!parameters.signMessage) throw new UnsupportedSigningError('ERC-1271 message signing');
      return parameters.signMessage(message);
    },
    async signTypedData() {
      throw new UnsupportedSigningError('ERC-7739 typed data signing');
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
 * The ERC-7739 nested personal-sign hash a zkSSO account checks for an ERC-1271 message signature
 * (docs/contracts.md §2): typed data `PersonalSign(bytes prefixed)` under the account's domain.
 *
 * @example
 * ```ts
 * const digest = erc7739PersonalSignHash({ message: 'hello', chainId: 31337, account: address });
 * ```
 */
export function erc7739PersonalSignHash(p: {
  message: SignableMessage;
  chainId: number;
  account: Address;
}): Hex {
  return hashTypedData({
    domain: { name: 'ZkSsoAccount', version: '1', chainId: p.chainId, verifyingContract: p.account },
    types: { PersonalSign: [{ name: 'prefixed', type: 'bytes' }] },
    primaryType: 'PersonalSign',
    message: { prefixed: toPrefixedMessage(p.message) },
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

  const signer =
    'keyType' in parameters.ephemeral ? parameters.ephemeral : secp256k1Ephemeral(parameters.ephemeral);
  const { keyType, keyBytes } = signer;
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
    sign: async (hash) => withSignature(await signer.signHash(hash)),
    // A real-shaped signature by the same key over another hash: same length and verification cost.
    stubSignature: async () => withSignature(await signer.signHash(zeroHash)),
    async signMessage(message) {
      const chainId = client.chain?.id ?? (await getChainId(client));
      const nested = erc7739PersonalSignHash({ message, chainId, account: address });
      return withValidator(
        zkLoginValidator,
        encodeKeySignature({ keyType, keyBytes, signature: await signer.signHash(nested) }),
      );
    },
  });
}
