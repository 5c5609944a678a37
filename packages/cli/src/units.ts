import { parsePeriod } from '@zksso/core';
import { formatUnits, parseUnits } from 'viem';
import { CliUsageError } from './errors.ts';

const VALUE = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(eth|ether|gwei|wei)?\s*$/i;
const DECIMALS: Readonly<Record<string, number>> = { eth: 18, ether: 18, gwei: 9, wei: 0 };

/**
 * Parses an amount of ether into wei. A bare number is ETH (`0.01`); a unit may follow, with or without a
 * space: `0.01eth`, `5 gwei`, `1000wei`. Wei amounts must be whole; nothing negative.
 *
 * @throws CliUsageError naming `option`.
 * @example
 * ```ts
 * parseValue('0.01', '--value'); // 10000000000000000n
 * parseValue('1000 wei', '--value'); // 1000n
 * ```
 */
export function parseValue(text: string, option: string): bigint {
  const match = VALUE.exec(text);
  if (!match) {
    throw new CliUsageError(
      `${option}: "${text}" is not an amount (examples: 0.01, 0.01eth, 5gwei, 1000wei)`,
      {
        option,
        value: text,
      },
    );
  }
  const [, number = '', unitWord = 'eth'] = match;
  const decimals = DECIMALS[unitWord.toLowerCase()] ?? 18;
  const fraction = number.split('.')[1] ?? '';
  if (fraction.replace(/0+$/, '').length > decimals) {
    throw new CliUsageError(`${option}: "${text}" has more decimals than ${unitWord} allows`, {
      option,
      value: text,
    });
  }
  return parseUnits(number.startsWith('.') ? `0${number}` : number, decimals);
}

/**
 * Formats wei for people: `0.01 ETH`, `0 ETH`; tiny amounts stay exact (`0.000000000000001 ETH`).
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
 * A token amount for people: in the token's units when known (`1.5 USDC`), else said to be raw
 * (`1500000 (raw units)`).
 *
 * @example
 * ```ts
 * formatTokenAmount(1_500_000n, { symbol: 'USDC', decimals: 6 }); // '1.5 USDC'
 * ```
 */
export function formatTokenAmount(raw: bigint, unit?: { symbol: string; decimals: number }): string {
  return unit ? `${formatUnits(raw, unit.decimals)} ${unit.symbol}` : `${raw} (raw units)`;
}

/**
 * Parses a duration into whole seconds: a bare number of seconds (`90`) or a number and a unit as
 * @zksso/core's `parsePeriod` reads them (`90s`, `30m`, `1h`, `2 days`, `1w`).
 *
 * @throws CliUsageError naming `option`.
 * @example
 * ```ts
 * parseDuration('1h', '--expires-in'); // 3600
 * ```
 */
export function parseDuration(text: string, option: string): number {
  const trimmed = text.trim();
  let seconds: bigint;
  try {
    seconds = /^\d+$/.test(trimmed) ? BigInt(trimmed) : parsePeriod(trimmed, option);
  } catch {
    throw new CliUsageError(`${option}: "${text}" is not a duration (examples: 90s, 30m, 1h, 7d)`, {
      option,
      value: text,
    });
  }
  if (seconds <= 0n || seconds > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new CliUsageError(`${option}: "${text}" must be a positive duration`, { option, value: text });
  }
  return Number(seconds);
}

/**
 * Formats a number of seconds for people: `45 s`, `1 min 30 s`, `2 h`, `1 d 2 h`.
 *
 * @example
 * ```ts
 * formatDuration(5400); // '1 h 30 min'
 * ```
 */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const parts: [number, string][] = [
    [Math.floor(s / 86_400), 'd'],
    [Math.floor((s % 86_400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'min'],
    [s % 60, 's'],
  ];
  const shown = parts.filter(([n]) => n > 0).slice(0, 2);
  return shown.length === 0 ? '0 s' : shown.map(([n, unit]) => `${n} ${unit}`).join(' ');
}
