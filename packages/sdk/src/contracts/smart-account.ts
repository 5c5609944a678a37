import { ZkSsoError } from '@zksso/core';
import {
  type Address,
  type Chain,
  type Client,
  type Hex,
  type JsonRpcAccount,
  type LocalAccount,
  type Transport,
  zeroHash,
} from 'viem';
import { entryPoint08Abi, getUserOperationHash, toSmartAccount } from 'viem/account-abstraction';
import { getChainId, readContract } from 'viem/actions';
import { encodeExecute } from './encoding.ts';
import {
  type Erc7739TypedData,
  erc7739PersonalSignHash,
  erc7739TypedDataSignHash,
  wrapErc7739TypedDataSignature,
} from './erc7739.ts';

/**
 * The account was built without `signDigest`: it cannot sign messages or typed data (ERC-1271).
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
