import type { Address, Hex, TypedDataDefinition } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { jwkBatchTypes } from './registry-abi.ts';

/**
 * The typed data of one oracle batch, as an {@link OracleSigner} receives it.
 *
 * @example
 * ```ts
 * const signature = await account.signTypedData(typedData satisfies JwkBatchTypedData);
 * ```
 */
export type JwkBatchTypedData = TypedDataDefinition<typeof jwkBatchTypes, 'JwkBatch'>;

/**
 * Something that signs oracle batches: a key held by this process, or a remote peer oracle (an HTTP call to
 * another instance that recomputes the batch itself and signs only what it agrees with).
 *
 * @example
 * ```ts
 * const peer: OracleSigner = {
 *   address: '0xPeer…',
 *   signBatch: async (typedData) => (await postJson('https://oracle-2.internal/sign', typedData)).signature,
 * };
 * ```
 */
export interface OracleSigner {
  address: Address;
  signBatch(typedData: JwkBatchTypedData): Promise<Hex>;
}

/**
 * An {@link OracleSigner} over a private key held by this process (EIP-712 `signTypedData`).
 *
 * @example
 * ```ts
 * const signer = localOracleSigner(process.env.ZKSSO_ORACLE_PRIVATE_KEY as Hex);
 * ```
 */
export function localOracleSigner(privateKey: Hex): OracleSigner {
  const account = privateKeyToAccount(privateKey);
  return { address: account.address, signBatch: (typedData) => account.signTypedData(typedData) };
}
