import type { Address, Chain, Client, Hex, JsonRpcAccount, LocalAccount, Transport } from 'viem';
import { entryPoint08Abi, getUserOperationHash, toSmartAccount } from 'viem/account-abstraction';
import { readContract } from 'viem/actions';
import { encodeExecute } from '../../src/encoding.ts';

// A minimal viem SmartAccount for a zkSSO account whose user operations are signed by one validator
// (passkey, session key...): the bench only needs "sign this userOpHash", the rest is the same for all.

/** Parameters of {@link toValidatorSignedAccount}. */
export interface ValidatorSignedAccountParameters {
  client: Client<Transport, Chain, JsonRpcAccount | LocalAccount | undefined>;
  entryPoint: Address;
  address: Address;
  /** Present while the account is not deployed yet (the first operation deploys it). */
  factory?: { factory: Address; factoryData: Hex };
  /** The full `userOp.signature` (validator prefix included) for a userOpHash. */
  sign: (userOpHash: Hex) => Promise<Hex>;
}

/**
 * A viem SmartAccount for a zkSSO account signed through `sign` (e.g. a passkey with WebAuthnValidator).
 *
 * @example
 * const account = await toValidatorSignedAccount({ client, entryPoint, address, factory, sign: async (h) => withValidator(webAuthnValidator, encodeWebAuthnSignature(passkey.sign(h))) });
 */
export async function toValidatorSignedAccount(parameters: ValidatorSignedAccountParameters) {
  const { client, address, sign } = parameters;
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
      return parameters.factory ?? { factory: undefined, factoryData: undefined };
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
      // A real signature over another hash: same length and verification cost, fails without reverting.
      return sign(`0x${'00'.repeat(32)}`);
    },
    async signMessage() {
      throw new Error('not used by the bench');
    },
    async signTypedData() {
      throw new Error('not used by the bench');
    },
    async signUserOperation(userOperation) {
      const hash = getUserOperationHash({
        userOperation: { ...userOperation, sender: address, signature: '0x' },
        entryPointAddress: parameters.entryPoint,
        entryPointVersion: '0.8',
        chainId: client.chain.id,
      });
      return sign(hash);
    },
  });
}
