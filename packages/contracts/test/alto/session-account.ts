import { type SessionSpec, sessionSpecAbi } from '@zksso/core';
import {
  type Address,
  type Chain,
  type Client,
  decodeErrorResult,
  encodeAbiParameters,
  type Hex,
  type JsonRpcAccount,
  type LocalAccount,
  type Transport,
  zeroHash,
} from 'viem';
import { entryPoint08Abi, getUserOperationHash, toSmartAccount } from 'viem/account-abstraction';
import type { PrivateKeyAccount } from 'viem/accounts';
import { readContract } from 'viem/actions';
import { loadArtifact } from '../../src/artifacts.ts';
import { encodeExecute, withValidator } from '../../src/encoding.ts';

// A viem SmartAccount that signs an already deployed zkSSO account's user operations with a SESSION key:
// `sessionKeyValidator ‖ abi.encode(bytes ecdsaSig, SessionSpec spec, uint48 validAt)` (docs/contracts.md §7).
// Test-only: the SDK's session account lives elsewhere; this one exists to drive Alto end to end.

/** Parameters of {@link toSessionKeyAccount}. */
export interface SessionKeyAccountParameters {
  client: Client<Transport, Chain, JsonRpcAccount | LocalAccount | undefined>;
  entryPoint: Address;
  /** The deployed account the session belongs to. */
  address: Address;
  sessionKeyValidator: Address;
  /** The session's secp256k1 key (`spec.signer`). */
  sessionKey: PrivateKeyAccount;
  spec: SessionSpec;
  /** The time the operation claims (chain time, seconds): picks each Allowance limit's period. */
  validAt: bigint;
}

/**
 * The validator signature of a session operation (without the 20-byte validator prefix).
 *
 * @example
 * const sig = encodeSessionSignature(await sessionKey.sign({ hash: userOpHash }), spec, validAt);
 */
export function encodeSessionSignature(ecdsaSignature: Hex, spec: SessionSpec, validAt: bigint): Hex {
  return encodeAbiParameters(
    [{ type: 'bytes' }, sessionSpecAbi, { type: 'uint48' }],
    [ecdsaSignature, spec as never, Number(validAt)],
  );
}

/**
 * A viem SmartAccount whose user operations are signed by a session key through SessionKeyValidator.
 * The account must already be deployed (sessions are created by a deployed account).
 *
 * @example
 * const session = await toSessionKeyAccount({ client, entryPoint, address, sessionKeyValidator, sessionKey, spec, validAt });
 * await bundlerClient.sendUserOperation({ account: session, calls: [{ to, value: 1n }] });
 */
export async function toSessionKeyAccount(parameters: SessionKeyAccountParameters) {
  const { client, address, sessionKeyValidator, sessionKey, spec, validAt } = parameters;
  const sign = async (hash: Hex): Promise<Hex> =>
    withValidator(
      sessionKeyValidator,
      encodeSessionSignature(await sessionKey.sign({ hash }), spec, validAt),
    );

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
      return { factory: undefined, factoryData: undefined };
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
      // Same length and recovery cost as the real one; the validator returns 1 (no revert) for a wrong key.
      return sign(zeroHash);
    },
    async signMessage() {
      throw new Error('session keys do not sign ERC-1271 messages');
    },
    async signTypedData() {
      throw new Error('session keys do not sign ERC-1271 messages');
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

/**
 * Finds SessionKeyValidator revert data (the `inner` of `FailedOpWithRevert`) in a bundler error message and
 * decodes it with the validator's artifact ABI. Returns undefined when none is recognised.
 *
 * @example
 * const decoded = decodeSessionRevert((error as Error).message);
 * decoded?.errorName; // 'SessionLimitExceeded'
 */
export function decodeSessionRevert(
  message: string,
): { errorName: string; args: readonly unknown[] } | undefined {
  const abi = loadArtifact('SessionKeyValidator').abi;
  for (const match of message.matchAll(/0x[0-9a-fA-F]{8,}/g)) {
    const hex = match[0];
    // The inner error may sit anywhere inside a longer blob (FailedOpWithRevert's ABI encoding): try each
    // 4-byte-aligned offset after the selector-sized prefix as well as the whole match.
    for (let start = 2; start + 8 <= hex.length; start += 2) {
      try {
        const { errorName, args } = decodeErrorResult({ abi, data: `0x${hex.slice(start)}` as Hex });
        return { errorName, args: args ?? [] };
      } catch {
        // Not a validator error at this offset.
      }
    }
  }
  return undefined;
}
