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

/** The factory ABI fragment the account helpers use. */
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

/**
 * A viem SmartAccount for a zkSSO OpenID account signed by an ephemeral key (secp256k1 or P-256): user operations carry
 * `zkLoginValidator ‖ (mode 0x01 proof ‖ signature | mode 0x02 key ‖ signature)`; messages are ERC-7739
 * nested personal-sign signatures (mode 0x02, the key must be registered).
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
  const sign = (signature: Hex): Hex =>
    withValidator(
      zkLoginValidator,
      proof
        ? encodeProveSignature({ ...proof, keyType, keyBytes, signature })
        : encodeKeySignature({ keyType, keyBytes, signature }),
    );
  const signHash = (hash: Hex): Promise<Hex> => signer.signHash(hash);

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
      return {
        factory,
        factoryData: encodeFunctionData({
          abi: accountFactoryAbi,
          functionName: 'createOpenIdAccount',
          args: [issHash, idc],
        }),
      };
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
      // A real-shaped signature by the same key over another hash: same length and verification cost.
      return sign(await signHash(zeroHash));
    },
    async signMessage({ message }) {
      const chainId = client.chain?.id ?? (await getChainId(client));
      const nested = hashTypedData({
        domain: { name: 'ZkSsoAccount', version: '1', chainId, verifyingContract: address },
        types: { PersonalSign: [{ name: 'prefixed', type: 'bytes' }] },
        primaryType: 'PersonalSign',
        message: { prefixed: toPrefixedMessage(message) },
      });
      return withValidator(
        zkLoginValidator,
        encodeKeySignature({ keyType, keyBytes, signature: await signHash(nested) }),
      );
    },
    async signTypedData() {
      throw new UnsupportedSigningError('ERC-7739 typed data signing');
    },
    async signUserOperation(userOperation) {
      const chainId = client.chain?.id ?? (await getChainId(client));
      const hash = getUserOperationHash({
        userOperation: { ...userOperation, sender: address, signature: '0x' },
        entryPointAddress: parameters.entryPoint,
        entryPointVersion: '0.8',
        chainId,
      });
      return sign(await signHash(hash));
    },
  });
}
