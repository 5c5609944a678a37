import { MAX_UINT48 } from './bounds.ts';
import { SessionPolicyError } from './errors.ts';
import type { Period } from './types.ts';

const SECONDS_PER_UNIT: Readonly<Record<string, bigint>> = {
  s: 1n,
  sec: 1n,
  secs: 1n,
  second: 1n,
  seconds: 1n,
  m: 60n,
  min: 60n,
  mins: 60n,
  minute: 60n,
  minutes: 60n,
  h: 3600n,
  hr: 3600n,
  hrs: 3600n,
  hour: 3600n,
  hours: 3600n,
  d: 86_400n,
  day: 86_400n,
  days: 86_400n,
  w: 604_800n,
  week: 604_800n,
  weeks: 604_800n,
};

/** The unit words {@link parsePeriod} understands. @example `PERIOD_UNITS.includes('hours'); // true` */
export const PERIOD_UNITS: readonly string[] = Object.freeze(Object.keys(SECONDS_PER_UNIT));

const PERIOD_WORDS = /^\s*(\d+)\s*([a-z]+)\s*$/i;

/**
 * Turns a {@link Period} into whole seconds (a uint48, as protocol §11 stores it).
 *
 * Grammar of the words form (case-insensitive, spaces optional around the parts):
 * `period = digits unit`, `digits = [0-9]+`, `unit = s | sec | secs | second | seconds | m | min | mins |
 * minute | minutes | h | hr | hrs | hour | hours | d | day | days | w | week | weeks`.
 * Singular and plural are interchangeable (`'2 hour'` is 7200). Months and years are refused on purpose
 * (their length varies; ZKsync SSO's `ms` library takes a year as 365.25 days), as are fractions
 * (`'1.5 hours'`), signs, bare numbers in strings, and milliseconds.
 * Numbers must be positive safe integers, bigints positive; every result is 1..2^48 - 1.
 *
 * @throws SessionPolicyError `PERIOD_INVALID` (zero, negative, fractional, too large, wrong type,
 * malformed string) or `PERIOD_UNKNOWN_UNIT`.
 * @example
 * ```ts
 * parsePeriod('1 day'); // 86400n
 * parsePeriod('30 minutes'); // 1800n
 * parsePeriod(3600); // 3600n
 * ```
 */
export function parsePeriod(period: Period, path = 'period'): bigint {
  let seconds: bigint;
  if (typeof period === 'bigint') {
    seconds = period;
  } else if (typeof period === 'number') {
    if (!Number.isSafeInteger(period)) {
      throw new SessionPolicyError('PERIOD_INVALID', `${path} must be a whole number of seconds`, {
        path,
        value: String(period),
      });
    }
    seconds = BigInt(period);
  } else if (typeof period === 'string') {
    const match = PERIOD_WORDS.exec(period);
    if (!match) {
      throw new SessionPolicyError(
        'PERIOD_INVALID',
        `${path} must be a whole number followed by a unit, like "1 hour"`,
        { path, value: period },
      );
    }
    const [, digits = '', unitWord = ''] = match;
    const unit = SECONDS_PER_UNIT[unitWord.toLowerCase()];
    if (unit === undefined) {
      throw new SessionPolicyError('PERIOD_UNKNOWN_UNIT', `${path} has an unknown unit "${unitWord}"`, {
        path,
        unit: unitWord,
        units: PERIOD_UNITS,
      });
    }
    seconds = BigInt(digits) * unit;
  } else {
    throw new SessionPolicyError('PERIOD_INVALID', `${path} must be seconds or words like "1 day"`, {
      path,
      type: typeof period,
    });
  }
  if (seconds <= 0n || seconds > MAX_UINT48) {
    throw new SessionPolicyError('PERIOD_INVALID', `${path} must be between 1 second and 2^48 - 1 seconds`, {
      path,
      seconds: seconds.toString(),
    });
  }
  return seconds;
}
