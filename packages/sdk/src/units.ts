import { formatUnits } from 'viem';

/** A token's display unit, read from its ERC-20 `symbol()` and `decimals()`. */
export interface TokenUnit {
  symbol: string;
  decimals: number;
}

/**
 * Wei as people read it: `0.01 ETH`, `0 ETH`; tiny amounts stay exact (`0.000000000000001 ETH`).
 *
 * @example
 * ```ts
 * formatEth(10n ** 16n); // '0.01 ETH'
 * ```
 */
export function formatEth(wei: bigint): string {
  return `${formatUnits(wei, 18)} ETH`;
}

/**
 * An amount in a token's units when they are known (`1.5 USDC`), else the raw integer said to be raw
 * (`1500000 (raw units)`): a person must never mistake raw units for whole tokens.
 *
 * @example
 * ```ts
 * formatTokenAmount(1_500_000n, { symbol: 'USDC', decimals: 6 }); // '1.5 USDC'
 * formatTokenAmount(1_500_000n); // '1500000 (raw units)'
 * ```
 */
export function formatTokenAmount(raw: bigint, unit?: TokenUnit): string {
  return unit ? `${formatUnits(raw, unit.decimals)} ${unit.symbol}` : `${raw} (raw units)`;
}

/**
 * An amount of a session limit as people read it: ETH for fee, transfer and call-value limits (wei), the
 * token's units (or raw units) for a constraint on a call argument.
 *
 * @example
 * ```ts
 * formatLimitAmount('transfer', 5n * 10n ** 14n); // '0.0005 ETH'
 * formatLimitAmount('constraint', 5n, undefined); // '5 (raw units)'
 * ```
 */
export function formatLimitAmount(
  policy: 'fee' | 'transfer' | 'call' | 'constraint',
  value: bigint,
  unit?: TokenUnit,
): string {
  return policy === 'constraint' ? formatTokenAmount(value, unit) : formatEth(value);
}
