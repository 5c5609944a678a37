import { fetchJwks, hashIssuer } from '@zksso/core';
import { type Abi, type Address, createPublicClient, http } from 'viem';
import { loadArtifact } from './deploy/artifacts.ts';

/** An RS256 key of an issuer, as the JwkRegistry stores it. */
export interface RegistryKey {
  readonly kid: string | undefined;
  readonly issHash: bigint;
  readonly modulusHash: bigint;
}

/**
 * Fetches an issuer's JWKS and returns the keys zksso/v1 can use (`@zksso/core`'s `fetchJwks`, the rule the
 * prover and the JWK oracle apply) as `(issHash, modulusHash)` pairs (protocol §8).
 *
 * @example
 * ```ts
 * const keys = await issuerRegistryKeys('http://127.0.0.1:5556', 'http://127.0.0.1:5556/jwks');
 * ```
 */
export async function issuerRegistryKeys(issuer: string, jwksUri: string): Promise<RegistryKey[]> {
  const { keys } = await fetchJwks(jwksUri, { fetch, timeoutMs: 5_000 });
  const issHash = hashIssuer(issuer);
  return keys.map((k) => ({ kid: k.kid, issHash, modulusHash: k.modulusHash }));
}

function registryAbi(): Abi {
  return loadArtifact('JwkRegistry').abi;
}

/**
 * Whether the JwkRegistry accepts `(issHash, modulusHash)` now (`isValidKey`).
 *
 * @example
 * ```ts
 * await isKeyRegistered(rpcUrl, registry, key); // true once the oracle has registered it
 * ```
 */
export async function isKeyRegistered(rpcUrl: string, registry: Address, key: RegistryKey): Promise<boolean> {
  const client = createPublicClient({ transport: http(rpcUrl) });
  return (await client.readContract({
    address: registry,
    abi: registryAbi(),
    functionName: 'isValidKey',
    args: [key.issHash, key.modulusHash],
  })) as boolean;
}
