import {
  type CallSpec,
  ConstraintCondition,
  LimitType,
  MAX_UINT256,
  type SessionSpec,
  type UsageLimit,
} from '@zksso/core';
import { type Address, formatEther, getAddress, type Hex } from 'viem';

/**
 * What a session lets a dapp do, in plain words, for the approval screen and the account page. Pure: no
 * DOM, no chain (unit tested in test/wording.test.ts).
 */

/** `0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC` → `0x3C44…93BC`. @example `shortAddress(a)` */
export function shortAddress(address: string): string {
  const a = /^0x[0-9a-fA-F]{40}$/.test(address) ? getAddress(address as Address) : address;
  return `${a.slice(0, 6)}…${a.slice(-4)}`;
}

/**
 * Wei as ETH rounded to `significant` digits after the leading zeros, for estimates and balances:
 * `140818179820718910n` → `0.1408 ETH`, `988628815914655200n` → `0.9886 ETH`.
 *
 * @example
 * ```ts
 * ethRounded(123456789n * 10n ** 10n); // '1.235 ETH'
 * ```
 */
export function ethRounded(wei: bigint, significant = 4): string {
  if (wei === 0n) return '0 ETH';
  const text = formatEther(wei);
  const [whole = '0', fraction = ''] = text.split('.');
  if (whole !== '0' && whole.length >= significant) return `${whole} ETH`;
  const lead = whole === '0' ? (fraction.match(/^0*/)?.[0].length ?? 0) : 0;
  const keep = whole === '0' ? lead + significant : Math.max(0, significant - whole.length);
  const value = Number(`${whole}.${fraction || '0'}`);
  const rounded = value.toFixed(Math.min(keep, 18)).replace(/\.?0+$/, '');
  return `${rounded} ETH`;
}

/** Wei as ETH, trimmed: `10n ** 16n` → `0.01 ETH`. @example `eth(10n ** 16n)` */
export function eth(wei: bigint): string {
  return `${formatEther(wei)} ETH`;
}

const NAMED_PERIODS: [bigint, string][] = [
  [604_800n, 'week'],
  [86_400n, 'day'],
  [3_600n, 'hour'],
  [60n, 'minute'],
  [1n, 'second'],
];

/** `86400n` → `day`, `7200n` → `2 hours`, `90n` → `90 seconds`. @example `periodWords(3600n) // 'hour'` */
export function periodWords(seconds: bigint): string {
  for (const [size, name] of NAMED_PERIODS) {
    if (seconds === size) return name;
    if (seconds % size === 0n && seconds > size) return `${seconds / size} ${name}s`;
  }
  return `${seconds} seconds`;
}

/**
 * A usage limit as a phrase after an amount: `0.05 ETH per day`, `0.05 ETH in all`, or `undefined` when
 * unlimited (the caller warns).
 *
 * @example
 * ```ts
 * limitWords({ limitType: 2, limit: 5n * 10n ** 16n, period: 86400n }, eth); // '0.05 ETH per day'
 * ```
 */
export function limitWords(limit: UsageLimit, amount: (value: bigint) => string): string | undefined {
  if (limit.limitType === LimitType.Unlimited) return undefined;
  if (limit.limitType === LimitType.Lifetime) return `${amount(limit.limit)} in all`;
  const period = periodWords(limit.period);
  return `${amount(limit.limit)} per ${period}`;
}

/** Well-known selectors whose calls hand over spending rights (warned about) or move tokens. */
export const KNOWN_SELECTORS: Record<string, { name: string; approveLike?: boolean }> = {
  '0x095ea7b3': { name: 'approve(address,uint256)', approveLike: true },
  '0x39509351': { name: 'increaseAllowance(address,uint256)', approveLike: true },
  '0xa22cb465': { name: 'setApprovalForAll(address,bool)', approveLike: true },
  '0xd505accf': { name: 'permit(…)', approveLike: true },
  '0x87517c45': { name: 'approve(address,address,uint160,uint48)', approveLike: true },
  '0xa9059cbb': { name: 'transfer(address,uint256)' },
  '0x23b872dd': { name: 'transferFrom(address,address,uint256)' },
  '0x42842e0e': { name: 'safeTransferFrom(address,address,uint256)' },
};

const CONDITION_WORDS: Record<number, string> = {
  [ConstraintCondition.Equal]: 'must equal',
  [ConstraintCondition.Greater]: 'must be more than',
  [ConstraintCondition.Less]: 'must be less than',
  [ConstraintCondition.GreaterEqual]: 'must be at least',
  [ConstraintCondition.LessEqual]: 'must be at most',
  [ConstraintCondition.NotEqual]: 'must not equal',
};

/** A 32-byte reference value as people read it: an address when it is one, else a number. */
function refValueWords(value: Hex): string {
  const n = BigInt(value);
  if (n > 0n && n < 1n << 160n && value.slice(2, 26) === '0'.repeat(24) && n >= 1n << 100n)
    return shortAddress(`0x${value.slice(-40)}`);
  return n.toString();
}

/** One line of the session screen; `warning` marks lines that deserve attention. */
export interface PolicyLine {
  /** `fee`, `transfer`, `call`, `expiry`. */
  kind: 'fee' | 'transfer' | 'call' | 'expiry';
  text: string;
  warning?: string;
}

/**
 * When a session ends, as a phrase: `until 18:00` the same day, `until 5 Dec, 18:00` otherwise (in the
 * given time zone, default the browser's).
 *
 * @example
 * ```ts
 * untilWords(1733335200n, new Date('2024-12-04T12:00:00Z'), 'UTC'); // 'until 18:00'
 * ```
 */
export function untilWords(expiresAt: bigint, now: Date = new Date(), timeZone?: string): string {
  const end = new Date(Number(expiresAt) * 1000);
  const zone = timeZone ? { timeZone } : {};
  const day = (d: Date) =>
    d.toLocaleDateString('en-GB', { ...zone, year: 'numeric', month: 'short', day: 'numeric' });
  const time = end.toLocaleTimeString('en-GB', {
    ...zone,
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
  if (day(end) === day(now)) return `until ${time}`;
  const sameYear =
    end.toLocaleDateString('en-GB', { ...zone, year: 'numeric' }) ===
    now.toLocaleDateString('en-GB', { ...zone, year: 'numeric' });
  const date = end.toLocaleDateString('en-GB', {
    ...zone,
    day: 'numeric',
    month: 'short',
    ...(sameYear ? {} : { year: 'numeric' }),
  });
  return `until ${date}, ${time}`;
}

function perUseWords(maxValuePerUse: bigint, what: string): { text?: string; unlimited: boolean } {
  if (maxValuePerUse >= MAX_UINT256) return { unlimited: true };
  return { text: `at most ${eth(maxValuePerUse)} per ${what}`, unlimited: false };
}

/**
 * Every limit of a session as lines of plain words, with warnings for unlimited amounts and
 * `approve`-like calls. A transfer line reads "at most 0.01 ETH per transfer to 0x3C44…93BC, 0.05 ETH per
 * day"; the expiry line "until 18:00".
 *
 * @example
 * ```ts
 * const lines = describeSession(spec, { now: new Date(), timeZone: 'UTC' });
 * lines.map((l) => l.text);
 * ```
 */
export function describeSession(
  spec: SessionSpec,
  options: { now?: Date; timeZone?: string } = {},
): PolicyLine[] {
  const lines: PolicyLine[] = [];
  for (const t of spec.transferPolicies) {
    const perUse = perUseWords(t.maxValuePerUse, 'transfer');
    const total = limitWords(t.valueLimit, eth);
    const parts = [perUse.text ?? 'any amount per transfer'];
    const text = `Send ETH: ${parts[0]} to ${shortAddress(t.target)}${total ? `, ${total}` : ''}`;
    const warning =
      perUse.unlimited && !total
        ? `No limit: the dapp can send all your ETH to ${shortAddress(t.target)}`
        : !total
          ? 'No total limit: repeated transfers can empty the account'
          : undefined;
    lines.push({ kind: 'transfer', text, ...(warning ? { warning } : {}) });
  }
  for (const c of spec.callPolicies) lines.push(describeCall(c));
  const fee = limitWords(spec.feeLimit, eth);
  lines.push(
    fee
      ? { kind: 'fee', text: `Network fees: at most ${fee}` }
      : {
          kind: 'fee',
          text: 'Network fees: no limit',
          warning: 'No fee limit: fees are paid from your account',
        },
  );
  lines.push({ kind: 'expiry', text: `Valid ${untilWords(spec.expiresAt, options.now, options.timeZone)}` });
  return lines;
}

/** One call policy in words. @example `describeCall(spec.callPolicies[0]).text` */
export function describeCall(c: CallSpec): PolicyLine {
  const known = KNOWN_SELECTORS[c.selector.toLowerCase()];
  const fn = known ? known.name.replace(/\(.*$/, '') : `function ${c.selector}`;
  const parts: string[] = [`Call ${fn} on ${shortAddress(c.target)}`];
  if (c.maxValuePerUse > 0n) {
    const perUse = perUseWords(c.maxValuePerUse, 'call');
    parts.push(perUse.text ? `sending ${perUse.text}` : 'sending any amount of ETH');
    const total = limitWords(c.valueLimit, eth);
    if (total) parts.push(`${total} of ETH`);
  }
  for (const k of c.constraints) {
    const arg = `argument ${Number(k.index) + 1}`;
    const cond = CONDITION_WORDS[k.condition];
    if (cond) parts.push(`${arg} ${cond} ${refValueWords(k.refValue)}`);
    const amount = limitWords(k.limit, (v) => `${v} (raw units)`);
    if (amount) parts.push(`${arg} adds up to ${amount}`);
  }
  const warnings: string[] = [];
  if (known?.approveLike) warnings.push(`${fn} lets someone else spend your tokens`);
  if (c.maxValuePerUse >= MAX_UINT256 && c.valueLimit.limitType === LimitType.Unlimited)
    warnings.push('No limit on the ETH these calls send');
  const amountConstrained = c.constraints.some((k) => k.limit.limitType !== LimitType.Unlimited);
  if (known && !amountConstrained && /transfer|approve|Allowance/.test(fn))
    warnings.push('No limit on the token amount');
  return {
    kind: 'call',
    text: parts.join(', '),
    ...(warnings.length ? { warning: warnings.join('. ') } : {}),
  };
}

/** The ETH a batch sends in all. @example `totalValue([{ value: 1n }, {}]) // 1n` */
export function totalValue(calls: readonly { value?: bigint }[]): bigint {
  return calls.reduce((sum, c) => sum + (c.value ?? 0n), 0n);
}

/**
 * What one call does, in words: a plain ETH transfer, a known token function, or a contract call.
 *
 * @example
 * ```ts
 * describeTxCall({ to: shop, value: 10n ** 16n }); // 'Send 0.01 ETH to 0x3C44…93BC'
 * ```
 */
export function describeTxCall(call: { to: Address; value?: bigint; data?: Hex }): {
  text: string;
  warning?: string;
} {
  const value = call.value ?? 0n;
  const data = call.data && call.data !== '0x' ? call.data : undefined;
  if (!data) return { text: `Send ${eth(value)} to ${shortAddress(call.to)}` };
  const selector = data.slice(0, 10).toLowerCase();
  const known = KNOWN_SELECTORS[selector];
  const fn = known ? known.name.replace(/\(.*$/, '') : `function ${selector}`;
  const withValue = value > 0n ? `, sending ${eth(value)}` : '';
  let text = `Call ${fn} on ${shortAddress(call.to)}${withValue}`;
  let warning: string | undefined;
  if (known && data.length >= 10 + 128 && /^(transfer|approve|increaseAllowance)$/.test(fn)) {
    const who = shortAddress(`0x${data.slice(10 + 24, 10 + 64)}`);
    const amount = BigInt(`0x${data.slice(10 + 64, 10 + 128)}`);
    const amountText = amount >= MAX_UINT256 ? 'an unlimited amount' : `${amount} (raw units)`;
    text =
      fn === 'transfer'
        ? `Transfer ${amountText} of token ${shortAddress(call.to)} to ${who}`
        : `Allow ${who} to spend ${amountText} of token ${shortAddress(call.to)}`;
  }
  if (known?.approveLike) warning = `${fn} lets someone else spend your tokens`;
  return warning ? { text, warning } : { text };
}

/** One limit's usage as the account page shows it (a `SessionLimitState` of the SDK). */
export interface LimitUsage {
  policy: 'fee' | 'transfer' | 'call' | 'constraint';
  target?: Address;
  kind: 'lifetime' | 'allowance' | 'unlimited';
  limit: bigint;
  used: bigint;
  remaining: bigint;
  period?: number;
  resetsAt?: number;
  unit?: { symbol: string; decimals: number };
}

/**
 * "Send ETH to 0x3C44…93BC: 0.02 ETH used of 0.05 ETH per day, 0.03 ETH left (resets at 18:00)".
 *
 * @example
 * ```ts
 * usageWords({ policy: 'fee', kind: 'lifetime', limit: 10n ** 16n, used: 10n ** 15n, remaining: 9n * 10n ** 15n });
 * // 'Network fees: 0.001 ETH used of 0.01 ETH in all, 0.009 ETH left'
 * ```
 */
export function usageWords(u: LimitUsage, options: { timeZone?: string } = {}): string {
  // The limit is exact; what is used and left is rounded (fees leave long fractions).
  const rounded = (v: bigint) => (u.policy === 'constraint' ? amount(v) : ethRounded(v));
  const amount = (v: bigint) =>
    u.policy === 'constraint'
      ? u.unit
        ? `${formatUnitsTrim(v, u.unit.decimals)} ${u.unit.symbol}`
        : `${v} (raw units)`
      : eth(v);
  const what =
    u.policy === 'fee'
      ? 'Network fees'
      : u.policy === 'transfer'
        ? `Send ETH to ${u.target ? shortAddress(u.target) : '?'}`
        : u.policy === 'call'
          ? `ETH sent by calls to ${u.target ? shortAddress(u.target) : '?'}`
          : `Token amount on ${u.target ? shortAddress(u.target) : '?'}`;
  if (u.kind === 'unlimited') return `${what}: no limit`;
  const scope = u.kind === 'allowance' && u.period ? `per ${periodWords(BigInt(u.period))}` : 'in all';
  const reset =
    u.kind === 'allowance' && u.resetsAt
      ? ` (resets at ${new Date(u.resetsAt * 1000).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', ...(options.timeZone ? { timeZone: options.timeZone } : {}) })})`
      : '';
  return `${what}: ${rounded(u.used)} used of ${amount(u.limit)} ${scope}, ${rounded(u.remaining)} left${reset}`;
}

function formatUnitsTrim(value: bigint, decimals: number): string {
  const s = value.toString().padStart(decimals + 1, '0');
  const whole = s.slice(0, s.length - decimals);
  const fraction = s.slice(s.length - decimals).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}
