import { loadArtifact } from '@zksso/contracts';
import { hashIssuer, modulusFromJwk, modulusHash, type RsaJwk } from '@zksso/core';
import {
  type Abi,
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

/** An RS256 key of an issuer, as the JwkRegistry stores it. */
export interface RegistryKey {
  readonly kid: string | undefined;
  readonly issHash: bigint;
  readonly modulusHash: bigint;
}

interface Jwk {
  kid?: string;
  kty?: string;
  alg?: string;
  n?: string;
  e?: string;
}

/**
 * Fetches an issuer's JWKS and returns its RS256 keys as `(issHash, modulusHash)` pairs (protocol §8).
 *
 * @example
 * ```ts
 * const keys = await issuerRegistryKeys('http://127.0.0.1:5556', 'http://127.0.0.1:5556/jwks');
 * ```
 */
export async function issuerRegistryKeys(issuer: string, jwksUri: string): Promise<RegistryKey[]> {
  const response = await fetch(jwksUri, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`GET ${jwksUri} answered ${response.status}`);
  const { keys } = (await response.json()) as { keys: Jwk[] };
  const issHash = hashIssuer(issuer);
  return keys
    .filter((k) => k.kty === 'RSA' && (k.alg === undefined || k.alg === 'RS256') && k.n && k.e)
    .map((k) => ({
      kid: k.kid,
      issHash,
      modulusHash: modulusHash(modulusFromJwk(k as RsaJwk)),
    }));
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

/**
 * Registers keys directly as the registry owner (`addKey`), skipping those already valid. The stack uses it
 * only when @zksso/jwk-oracle cannot be loaded.
 *
 * @example
 * ```ts
 * await addKeysAsOwner(rpcUrl, registry, ownerKey, keys);
 * ```
 */
export async function addKeysAsOwner(
  rpcUrl: string,
  registry: Address,
  ownerKey: Hex,
  keys: readonly RegistryKey[],
): Promise<number> {
  const publicClient = createPublicClient({ transport: http(rpcUrl) });
  const chainId = await publicClient.getChainId();
  const chain = defineChain({
    id: chainId,
    name: 'zksso-dev',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const wallet = createWalletClient({
    account: privateKeyToAccount(ownerKey),
    chain,
    transport: http(rpcUrl),
  });
  let added = 0;
  for (const key of keys) {
    if (await isKeyRegistered(rpcUrl, registry, key)) continue;
    const hash = await wallet.writeContract({
      address: registry,
      abi: registryAbi(),
      functionName: 'addKey',
      args: [key.issHash, key.modulusHash],
    });
    await publicClient.waitForTransactionReceipt({ hash });
    added++;
  }
  return added;
}
