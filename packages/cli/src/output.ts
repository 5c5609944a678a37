import { ZkSsoError } from '@zksso/core';
import { formatUnits } from 'viem';
import { exitCodeFor } from './exit-codes.ts';

/** Writable text streams (process.stdout/stderr, or buffers in tests). @example `const out: TextSink = process.stdout;` */
export interface TextSink {
  write(text: string): unknown;
}

/**
 * Makes a value JSON-safe: bigints become decimal strings, Dates ISO strings, `undefined` members vanish.
 *
 * @example
 * ```ts
 * JSON.stringify(toJsonValue({ value: 10n })); // '{"value":"10"}'
 * ```
 */
export function toJsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toJsonValue(v)]),
    );
  }
  return value;
}

/** Keys whose values are never printed, whatever carries them (an error's details included). */
const SECRET_KEYS = /privatekey$|^secret|^salt$|jwt|^id_?token$|^proof$|password/i;

/**
 * Removes secret-looking members (private keys, salts, tokens, proofs) from a value about to be printed:
 * a safety net under the rule that commands only print what they chose to.
 *
 * @example
 * ```ts
 * redactSecrets({ address: '0x1', ephemeralPrivateKey: '0x2' }); // { address: '0x1' }
 * ```
 */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !SECRET_KEYS.test(k))
        .map(([k, v]) => [k, redactSecrets(v)]),
    );
  }
  return value;
}

/**
 * The error as scripts get it: `{ error: { code, message, details, exitCode } }` (details JSON-safe,
 * secrets removed). Errors nobody planned for get code `UNEXPECTED`.
 *
 * @example
 * ```ts
 * errorJson(new ZkSsoError('NOT_LOGGED_IN', 'not logged in')).error.code; // 'NOT_LOGGED_IN'
 * ```
 */
export function errorJson(error: unknown): {
  error: { code: string; message: string; details: Record<string, unknown>; exitCode: number };
} {
  const exitCode = exitCodeFor(error);
  if (error instanceof ZkSsoError) {
    return {
      error: {
        code: error.code,
        message: error.message,
        details: redactSecrets(toJsonValue(error.details)) as Record<string, unknown>,
        exitCode,
      },
    };
  }
  const e = error as { name?: unknown; message?: unknown; shortMessage?: unknown; code?: unknown };
  const code =
    exitCode === 5 ? 'SERVICE_UNAVAILABLE' : exitCode === 4 ? 'USER_OPERATION_REFUSED' : 'UNEXPECTED';
  const hint = exitCode === 4 ? refusalHint(error) : undefined;
  // viem errors carry a long message with request bodies; the short one is enough and keeps keys out.
  const message = typeof e?.shortMessage === 'string' ? e.shortMessage : String(e?.message ?? error);
  return {
    error: {
      code,
      message,
      details: {
        name: typeof e?.name === 'string' ? e.name : typeof error,
        ...(typeof e?.code === 'string' ? { cause: e.code } : {}),
        ...(hint ? { hint } : {}),
      },
      exitCode,
    },
  };
}

/** Why a bundler may call an operation expired: its time window (key expiry, allowance period) ends too soon. */
function refusalHint(error: unknown): string | undefined {
  const text = `${(error as Error)?.message ?? ''} ${String((error as { cause?: { message?: unknown } })?.cause?.message ?? '')}`;
  if (!/expired|not due|time-range|AA22/i.test(text)) return undefined;
  return (
    'the operation is valid only in a time window (key expiry, session allowance period) and the bundler ' +
    'refuses one that ends within seconds: near the end of an allowance period, try again in the next one'
  );
}

/**
 * Prints a command's result: one JSON object on stdout with `--json`, else the human lines.
 *
 * @example
 * ```ts
 * printResult(process.stdout, json, { address }, [`address ${address}`]);
 * ```
 */
export function printResult(out: TextSink, json: boolean, result: unknown, human: readonly string[]): void {
  if (json) out.write(`${JSON.stringify(redactSecrets(toJsonValue(result)))}\n`);
  else out.write(human.map((line) => `${line}\n`).join(''));
}

/**
 * Prints an error on stderr: `{ "error": … }` with `--json`, else `zksso: <message> [CODE]` and the details
 * that help (remaining, resetsAt…) on the following lines.
 *
 * @example
 * ```ts
 * printError(process.stderr, false, error);
 * ```
 */
export function printError(err: TextSink, json: boolean, error: unknown): void {
  const body = errorJson(error);
  if (json) {
    err.write(`${JSON.stringify(body)}\n`);
    return;
  }
  const lines = [`zksso: ${body.error.message} [${body.error.code}]`];
  for (const [key, value] of humanDetails(body.error.code, body.error.details)) {
    lines.push(`  ${key}: ${value}`);
  }
  const hint = HINTS[body.error.code];
  if (hint) lines.push(`  hint: ${hint}`);
  if (body.error.code === 'UNEXPECTED' && error instanceof Error && error.stack) {
    lines.push(error.stack.split('\n').slice(1, 6).join('\n'));
  }
  err.write(`${lines.join('\n')}\n`);
}

/** What to do next, for people, by error code (the JSON output keeps to the facts). */
const HINTS: Readonly<Record<string, string>> = {
  CHAIN_CHANGED:
    'the dev chain was reset since you logged in: run `zksso login` again (and `zksso session create` for new sessions; `zksso logout --all` forgets the old ones)',
  CALL_WOULD_REVERT: 'nothing was sent and no gas was paid',
  LOGIN_REFUSED:
    'the provider answered and said no: check --user, --client-id and --issuer (retrying the same way will not help)',
};

/** Detail keys that hold wei, by the error codes that carry them. */
const WEI_KEYS: Readonly<Record<string, ReadonlySet<string>>> = {
  SESSION_LIMIT_EXCEEDED: new Set(['limit', 'requested', 'remaining']),
  CALL_WOULD_REVERT: new Set(['balance', 'value', 'maxFee']),
};

/**
 * An error's details as people read them: amounts in ETH (a constraint's in its token's units, or said to
 * be raw), unix times as dates; the JSON output keeps the raw values.
 *
 * @example
 * ```ts
 * humanDetails('SESSION_LIMIT_EXCEEDED', { policy: 'transfer', remaining: '500000000000000' });
 * // [['policy', 'transfer'], ['remaining', '0.0005 ETH']]
 * ```
 */
export function humanDetails(code: string, details: Record<string, unknown>): [string, string][] {
  const weiKeys = WEI_KEYS[code];
  const unit = details.unit as { symbol?: unknown; decimals?: unknown } | undefined;
  const rows: [string, string][] = [];
  for (const [key, value] of Object.entries(details)) {
    if (key === 'name' && code !== 'UNEXPECTED') continue;
    if (key === 'unit') continue;
    const digits = typeof value === 'string' && /^\d+$/.test(value);
    if (weiKeys?.has(key) && digits) {
      if (details.policy !== 'constraint') rows.push([key, `${formatUnits(BigInt(value), 18)} ETH`]);
      else if (typeof unit?.symbol === 'string' && typeof unit.decimals === 'number')
        rows.push([key, `${formatUnits(BigInt(value), unit.decimals)} ${unit.symbol}`]);
      else rows.push([key, `${value} (raw units)`]);
      continue;
    }
    if ((key === 'resetsAt' || key === 'expiresAt') && typeof value === 'number' && value > 0) {
      rows.push([key, new Date(value * 1000).toISOString()]);
      continue;
    }
    rows.push([key, typeof value === 'string' ? value : JSON.stringify(value)]);
  }
  return rows;
}

/**
 * Aligns `[label, value]` rows into `label  value` lines for the human output.
 *
 * @example
 * ```ts
 * table([['address', '0x1'], ['chain', '31337']]); // ['address  0x1', 'chain    31337']
 * ```
 */
export function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(0, ...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`);
}
