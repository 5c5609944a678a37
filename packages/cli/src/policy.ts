import {
  type Limit,
  normalizeSession,
  type SessionInput,
  SessionPolicyError,
  type SessionSpec,
} from '@zksso/core';
import { type Address, isAddress } from 'viem';
import { CliUsageError } from './errors.ts';
import { parseDuration, parseValue } from './units.ts';

/** Default session lifetime when neither `--expires-in` nor `expiresAt`/`expiresIn` is given: one day. @example `DEFAULT_SESSION_SECONDS; // 86400` */
export const DEFAULT_SESSION_SECONDS = 86_400;
/**
 * Default fee limit of a session created from flags: 0.1 ETH over its lifetime. Fees are charged at the
 * operation's maximum cost (docs/contracts.md §7), so this is spent faster than the real fees suggest.
 *
 * @example
 * ```ts
 * formatEth(DEFAULT_FEE_LIMIT); // '0.1 ETH'
 * ```
 */
export const DEFAULT_FEE_LIMIT = 10n ** 17n;

/**
 * The `zksso session create` flags that describe a policy (all strings as typed).
 *
 * @example
 * ```ts
 * const flags: PolicyFlags = { to: '0x1111111111111111111111111111111111111111', allowance: '0.01/60s' };
 * ```
 */
export interface PolicyFlags {
  /** Transfer target. */
  to?: string;
  /** Most value per transaction. */
  maxPerTx?: string;
  /** `<value>/<period>`: an allowance per period. */
  allowance?: string;
  /** A lifetime total. */
  lifetime?: string;
  /** `<value>` (lifetime) or `<value>/<period>` (allowance) for fees. */
  feeLimit?: string;
  /** Session lifetime (duration). */
  expiresIn?: string;
}

/**
 * Parses `<value>/<period>` (an allowance): `0.01/60s`, `5gwei/1 day`, `0.5eth/1h`.
 *
 * @example
 * ```ts
 * parseAllowance('0.01/60s', '--allowance'); // { limit: 10000000000000000n, period: 60n }
 * ```
 */
export function parseAllowance(text: string, option: string): { limit: bigint; period: bigint } {
  const slash = text.lastIndexOf('/');
  if (slash < 0) {
    throw new CliUsageError(`${option}: expected <value>/<period>, like 0.01/60s or 0.5eth/1d`, {
      option,
      value: text,
    });
  }
  return {
    limit: parseValue(text.slice(0, slash), option),
    period: BigInt(parseDuration(text.slice(slash + 1), option)),
  };
}

/**
 * The fee limit of `--fee-limit`: `<value>` over the lifetime or `<value>/<period>` per period; without it
 * {@link DEFAULT_FEE_LIMIT} over the lifetime.
 *
 * @example
 * ```ts
 * feeLimitFrom('0.01/1d'); // { limitType: 'allowance', limit: 10000000000000000n, period: 86400n }
 * ```
 */
export function feeLimitFrom(text: string | undefined): Limit {
  if (text === undefined) return { limitType: 'lifetime', limit: DEFAULT_FEE_LIMIT };
  if (text.includes('/')) {
    const { limit, period } = parseAllowance(text, '--fee-limit');
    return { limitType: 'allowance', limit, period };
  }
  return { limitType: 'lifetime', limit: parseValue(text, '--fee-limit') };
}

/**
 * Builds a session policy (@zksso/core `SessionInput`) from `zksso session create` flags: one transfer
 * policy to `--to` with `--max-per-tx`, and either `--allowance <value>/<period>` or `--lifetime <value>`
 * as its value limit; `--fee-limit` (default {@link DEFAULT_FEE_LIMIT} over the lifetime) and `--expires-in`
 * (default one day).
 *
 * @throws CliUsageError for a missing or malformed flag.
 * @example
 * ```ts
 * const input = sessionInputFromFlags(
 *   { to: '0x1111111111111111111111111111111111111111', maxPerTx: '0.001', allowance: '0.002/60s' },
 *   { signer: '0x3333333333333333333333333333333333333333', now: 1_800_000_000 },
 * );
 * input.transfers?.[0]?.valueLimit; // { limitType: 'allowance', limit: 2000000000000000n, period: 60n }
 * ```
 */
export function sessionInputFromFlags(
  flags: PolicyFlags,
  context: { signer: Address; now: number },
): SessionInput {
  if (flags.to === undefined) {
    throw new CliUsageError('session create needs --policy <file.json> or --to <address> with limits', {
      option: '--to',
    });
  }
  if (!isAddress(flags.to)) {
    throw new CliUsageError(`--to: "${flags.to}" is not an address`, { option: '--to', value: flags.to });
  }
  if (flags.allowance !== undefined && flags.lifetime !== undefined) {
    throw new CliUsageError('give either --allowance or --lifetime, not both', { option: '--allowance' });
  }
  let valueLimit: Limit;
  if (flags.allowance !== undefined) {
    const { limit, period } = parseAllowance(flags.allowance, '--allowance');
    valueLimit = { limitType: 'allowance', limit, period };
  } else if (flags.lifetime !== undefined) {
    valueLimit = { limitType: 'lifetime', limit: parseValue(flags.lifetime, '--lifetime') };
  } else if (flags.maxPerTx !== undefined) {
    // Only a per-transaction cap: the total is left unlimited, as the user asked for nothing more.
    valueLimit = { limitType: 'unlimited' };
  } else {
    throw new CliUsageError('give --allowance <value>/<period>, --lifetime <value> or --max-per-tx <value>', {
      option: '--allowance',
    });
  }
  const maxValuePerUse =
    flags.maxPerTx === undefined ? undefined : parseValue(flags.maxPerTx, '--max-per-tx');
  const seconds =
    flags.expiresIn === undefined ? DEFAULT_SESSION_SECONDS : parseDuration(flags.expiresIn, '--expires-in');
  return {
    signer: context.signer,
    expiresAt: BigInt(context.now + seconds),
    feeLimit: feeLimitFrom(flags.feeLimit),
    transfers: [
      {
        target: flags.to as Address,
        ...(maxValuePerUse === undefined ? {} : { maxValuePerUse }),
        valueLimit,
      },
    ],
  };
}

/** Fields of a policy file that hold amounts of wei (or token units). */
const AMOUNT_FIELDS = new Set(['limit', 'maxValuePerUse']);

function amount(value: unknown, path: string): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'string') {
    // Plain digits are wei (or token units) as written; a decimal or a unit is an amount of ether.
    if (/^\d+$/.test(value.trim())) return BigInt(value.trim());
    return parseValue(value, path);
  }
  throw new CliUsageError(
    `${path}: expected an amount (digits in wei, or like "0.01 eth"), got ${JSON.stringify(value)}`,
    {
      path,
    },
  );
}

/** Turns the JSON amounts of a policy file into bigints, walking the `SessionInput` shape. */
function reviveAmounts(value: unknown, path: string, key: string | undefined): unknown {
  if (Array.isArray(value)) return value.map((item, i) => reviveAmounts(item, `${path}[${i}]`, undefined));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, reviveAmounts(v, path === '' ? k : `${path}.${k}`, k)]),
    );
  }
  if (key !== undefined && AMOUNT_FIELDS.has(key)) return amount(value, path);
  // A bare limit (`"valueLimit": "0.1 eth"`) is a lifetime limit in the developer interface.
  if (
    (key === 'valueLimit' || key === 'feeLimit') &&
    (typeof value === 'string' || typeof value === 'number')
  ) {
    return amount(value, path);
  }
  if (key === 'refValue' && typeof value === 'number') return BigInt(value);
  if (key === 'refValue' && typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  return value;
}

/**
 * Reads a policy file: a JSON `SessionInput` (ZKsync SSO's developer interface, as in @zksso/core) without
 * `signer` (the CLI makes the session key). Amounts (`limit`, `maxValuePerUse`, a bare `valueLimit` or
 * `feeLimit`) are digits in wei, JSON integers, or strings with a unit (`"0.01 eth"`); periods are seconds or
 * words (`"1 day"`). Expiry: `expiresAt` (unix seconds) or `expiresIn` (a duration), or `--expires-in`,
 * default one day. `feeLimit` defaults to {@link DEFAULT_FEE_LIMIT} over the lifetime.
 *
 * @throws CliUsageError when the JSON is not an object or has a `signer`.
 * @example
 * ```ts
 * const input = sessionInputFromFile(
 *   { transfers: [{ target: '0x1111111111111111111111111111111111111111', valueLimit: { limit: '0.1 eth', period: '1 day' } }] },
 *   { signer: '0x3333333333333333333333333333333333333333', now: 1_800_000_000 },
 * );
 * ```
 */
export function sessionInputFromFile(
  json: unknown,
  context: { signer: Address; now: number; expiresIn?: string },
): SessionInput {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new CliUsageError('the policy file must hold a JSON object (a SessionInput without signer)');
  }
  const raw = { ...(json as Record<string, unknown>) };
  if ('signer' in raw) {
    throw new CliUsageError('the policy file must not set "signer": zksso makes a fresh session key', {
      path: 'signer',
    });
  }
  const { expiresIn, expiresAt, ...rest } = raw;
  const revived = reviveAmounts(rest, '', undefined) as Omit<SessionInput, 'signer' | 'expiresAt'>;
  let expiry: bigint;
  if (context.expiresIn !== undefined) {
    expiry = BigInt(context.now + parseDuration(context.expiresIn, '--expires-in'));
  } else if (expiresAt !== undefined) {
    if (typeof expiresAt !== 'number' && typeof expiresAt !== 'string') {
      throw new CliUsageError('expiresAt must be unix seconds', { path: 'expiresAt' });
    }
    expiry = BigInt(expiresAt);
  } else if (expiresIn !== undefined) {
    expiry = BigInt(context.now + parseDuration(String(expiresIn), 'expiresIn'));
  } else {
    expiry = BigInt(context.now + DEFAULT_SESSION_SECONDS);
  }
  return {
    ...revived,
    feeLimit: revived.feeLimit ?? { limitType: 'lifetime', limit: DEFAULT_FEE_LIMIT },
    signer: context.signer,
    expiresAt: expiry,
  };
}

/**
 * Checks a policy the way the chain will (@zksso/core `normalizeSession`), so mistakes are reported before
 * anything is sent.
 *
 * @throws SessionPolicyError (exit code 2).
 * @example
 * ```ts
 * const spec = checkPolicy(input, 1_800_000_000);
 * ```
 */
export function checkPolicy(input: SessionInput, now: number): SessionSpec {
  try {
    return normalizeSession(input, { now: BigInt(now) });
  } catch (error) {
    if (error instanceof SessionPolicyError && error.code === 'SESSION_EXPIRES_TOO_SOON') {
      // The validator refuses a session ending within MIN_SESSION_DURATION (60 s) of the block that creates
      // it: say it in the terms of the option people set.
      throw new SessionPolicyError(
        'SESSION_EXPIRES_TOO_SOON',
        `the session must last more than ${MIN_SESSION_SECONDS} s (the validator's minimum): use --expires-in ${MIN_SESSION_SECONDS + 1}s or more; a few minutes leaves room for the operation to be included`,
        { ...error.details, minLifetimeSeconds: MIN_SESSION_SECONDS },
        error,
      );
    }
    throw error;
  }
}

/**
 * SessionKeyValidator's `MIN_SESSION_DURATION`: a session must end more than this many seconds after the
 * block that creates it.
 *
 * @example
 * ```ts
 * `--expires-in ${MIN_SESSION_SECONDS + 1}s`; // the shortest session the local check accepts
 * ```
 */
export const MIN_SESSION_SECONDS = 60;
