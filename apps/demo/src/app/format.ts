import type { SessionLimitState } from '@zksso/sdk';
import { formatEther } from 'viem';

/**
 * `0x3C44…93BC`: an address short enough for a sentence.
 *
 * @example
 * ```ts
 * shortAddress('0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'); // '0x3C44…93BC'
 * ```
 */
export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/**
 * Wei as ETH for people: `1.5 ETH`, up to 6 decimals (`0.000001 ETH`), `0 ETH`.
 *
 * @example
 * ```ts
 * formatEth(1_500_000_000_000_000_000n); // '1.5 ETH'
 * ```
 */
export function formatEth(wei: bigint): string {
  const [whole, fraction = ''] = formatEther(wei).split('.');
  const trimmed = fraction.slice(0, 6).replace(/0+$/, '');
  const shown = trimmed ? `${whole}.${trimmed}` : whole;
  return `${shown === '0' && wei > 0n ? '< 0.000001' : shown} ETH`;
}

/**
 * One limit of a session in plain words, with what is used and left.
 *
 * @example
 * ```ts
 * describeLimit({ policy: 'transfer', target: shop, kind: 'lifetime', limit: 3n * 10n ** 15n, used: 10n ** 15n, remaining: 2n * 10n ** 15n });
 * // 'Payments to 0x3C44…93BC: 0.001 ETH of 0.003 ETH used, 0.002 ETH left'
 * ```
 */
export function describeLimit(limit: SessionLimitState): string {
  const subject =
    limit.policy === 'fee'
      ? 'Fees'
      : limit.policy === 'transfer'
        ? `Payments to ${shortAddress(limit.target ?? '')}`
        : `Calls to ${shortAddress(limit.target ?? '')}`;
  if (limit.kind === 'unlimited') return `${subject}: no limit`;
  const period =
    limit.kind === 'allowance' && limit.period ? ` per ${formatPeriod(limit.period)}` : ' in all';
  return `${subject}: ${formatEth(limit.used)} of ${formatEth(limit.limit)}${period} used, ${formatEth(limit.remaining)} left`;
}

/** `3600` → `hour`, `7200` → `2 hours`, `90` → `90 seconds`. */
export function formatPeriod(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    if (seconds % size !== 0) continue;
    const count = seconds / size;
    return count === 1 ? name : `${count} ${name}s`;
  }
  return `${seconds} seconds`;
}
