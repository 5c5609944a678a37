import { type Address, parseAbi, type TypedDataDomain } from 'viem';

/**
 * The part of `JwkRegistry` (packages/contracts/src/registry/JwkRegistry.sol) the oracle uses, errors
 * included so that viem decodes a revert into its name. Written out here so that the oracle runs without
 * the contracts' build output.
 *
 * @example
 * ```ts
 * await client.readContract({ address, abi: jwkRegistryAbi, functionName: 'keysOf', args: [issHash] });
 * ```
 */
export const jwkRegistryAbi = parseAbi([
  'struct JwkUpdate { uint8 action; uint256 issHash; uint256 modulusHash; uint256 replacement; }',
  'function isValidKey(uint256 issHash, uint256 modulusHash) view returns (bool)',
  'function keyStatus(uint256 issHash, uint256 modulusHash) view returns (uint8 status, uint256 replacedBy)',
  'function keysOf(uint256 issHash) view returns (uint256[] modulusHashes, uint8[] statuses)',
  'function oracles() view returns (address[])',
  'function threshold() view returns (uint256)',
  'function nonce() view returns (uint256)',
  'function owner() view returns (address)',
  'function batchDigest(JwkUpdate[] updates, uint256 batchNonce) view returns (bytes32)',
  'function applyUpdates(JwkUpdate[] updates)',
  'function applyOracleBatch(JwkUpdate[] updates, uint256 batchNonce, bytes[] signatures)',
  'event JwkAdded(uint256 indexed issHash, uint256 indexed modulusHash)',
  'event JwkRotated(uint256 indexed issHash, uint256 indexed modulusHash, uint256 indexed replacement)',
  'event JwkRevoked(uint256 indexed issHash, uint256 indexed modulusHash)',
  'event BatchApplied(uint256 indexed nonce, uint256 updates)',
  'error UnknownJwk(uint256 issHash, uint256 modulusHash)',
  'error RevokedJwk(uint256 issHash, uint256 modulusHash)',
  'error RotatedJwk(uint256 issHash, uint256 modulusHash, uint256 replacedBy)',
  'error JwkAlreadyRegistered(uint256 issHash, uint256 modulusHash, uint8 status)',
  'error JwkNotActive(uint256 issHash, uint256 modulusHash, uint8 status)',
  'error ZeroHash()',
  'error InvalidNonce(uint256 expected, uint256 provided)',
  'error NotEnoughSignatures(uint256 valid, uint256 required)',
  'error InvalidOracleSignature(uint256 index, address recovered)',
  'error InvalidOracleSet(uint256 oracles, uint256 threshold)',
  'error OwnableUnauthorizedAccount(address account)',
]);

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
