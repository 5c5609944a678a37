import { type Address, type PublicClient, parseAbi } from 'viem';
import type { TokenUnit } from './units.ts';

const erc20MetadataAbi = parseAbi([
  'function symbol() view returns (string)',
  'function decimals() view returns (uint8)',
]);

/**
 * The display unit of a token contract (`symbol()`, `decimals()`), or undefined when the target does not
 * answer both (not an ERC-20, or no metadata): callers then show raw units.
 *
 * @example
 * ```ts
 * await readTokenUnit(publicClient, usdc); // { symbol: 'USDC', decimals: 6 }
 * ```
 */
export async function readTokenUnit(client: PublicClient, token: Address): Promise<TokenUnit | undefined> {
  try {
    const [symbol, decimals] = await Promise.all([
      client.readContract({ address: token, abi: erc20MetadataAbi, functionName: 'symbol' }),
      client.readContract({ address: token, abi: erc20MetadataAbi, functionName: 'decimals' }),
    ]);
    return symbol.length > 0 && symbol.length <= 32 ? { symbol, decimals } : undefined;
  } catch {
    return undefined;
  }
}
