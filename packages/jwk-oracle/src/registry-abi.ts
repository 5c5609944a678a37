import type { Address, TypedDataDomain } from 'viem';

/**
 * The JwkRegistry ABI, generated from the compiled contract (@zksso/contracts): errors included, so that viem
 * decodes a revert into its name.
 *
 * @example
 * ```ts
 * await client.readContract({ address, abi: jwkRegistryAbi, functionName: 'keysOf', args: [issHash] });
 * ```
 */
export { jwkRegistryAbi } from '@zksso/contracts';

/**
 * `JwkRegistry.KeyStatus`.
 *
 * @example
 * ```ts
 * const [status] = await client.readContract({ ..., functionName: 'keyStatus', args: [iss, mod] });
 * status === KeyStatus.Active;
 * ```
 */
export const KeyStatus = { Unknown: 0, Active: 1, Rotated: 2, Revoked: 3 } as const;
/** A `KeyStatus` value. @example `const s: KeyStatusValue = KeyStatus.Active;` */
export type KeyStatusValue = (typeof KeyStatus)[keyof typeof KeyStatus];

/**
 * `JwkRegistry.Action`. The oracle uses Add and Revoke only: a provider keeps its previous key published for
 * a while after rotating, so the old key is revoked when it leaves the JWKS, not rotated out at once.
 *
 * @example
 * ```ts
 * const update: JwkUpdate = { action: Action.Add, issHash, modulusHash, replacement: 0n };
 * ```
 */
export const Action = { Add: 0, Rotate: 1, Revoke: 2 } as const;

/** One registry update (the EIP-712 `JwkUpdate`). @example `{ action: Action.Revoke, issHash, modulusHash, replacement: 0n }` */
export interface JwkUpdate {
  action: number;
  issHash: bigint;
  modulusHash: bigint;
  replacement: bigint;
}

/**
 * The EIP-712 types oracles sign (`JwkBatch`), matching `JWK_BATCH_TYPEHASH`.
 *
 * @example
 * ```ts
 * await account.signTypedData({ domain: jwkRegistryDomain(chainId, registry), types: jwkBatchTypes, primaryType: 'JwkBatch', message: { updates, nonce } });
 * ```
 */
export const jwkBatchTypes = {
  JwkUpdate: [
    { name: 'action', type: 'uint8' },
    { name: 'issHash', type: 'uint256' },
    { name: 'modulusHash', type: 'uint256' },
    { name: 'replacement', type: 'uint256' },
  ],
  JwkBatch: [
    { name: 'updates', type: 'JwkUpdate[]' },
    { name: 'nonce', type: 'uint256' },
  ],
} as const;

/**
 * The registry's EIP-712 domain (`EIP712("ZkSsoJwkRegistry", "1")`).
 *
 * @example
 * ```ts
 * const domain = jwkRegistryDomain(31337, '0x5FbDB2315678afecb367f032d93F642f64180aa3');
 * ```
 */
export function jwkRegistryDomain(chainId: number, registry: Address): TypedDataDomain {
  return { name: 'ZkSsoJwkRegistry', version: '1', chainId, verifyingContract: registry };
}
