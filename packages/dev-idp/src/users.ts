import { createHash } from 'node:crypto';

/** A test user of the dev IdP: the claims its ID tokens carry. */
export type DevUser = {
  /** Login name, used in the login form and as `login_hint`. */
  username: string;
  /** The `sub` claim: stable, unique per user (Google uses 21 digits; so do the defaults). */
  sub: string;
  email: string;
  /** Whether `email_verified` is true. zkSSO refuses `email` as key claim when it is false. */
  emailVerified: boolean;
  name?: string;
};

/**
 * The default test users: alice and bob have verified emails, carol's is unverified (for the
 * `EMAIL_NOT_VERIFIED` paths).
 *
 * @example
 * ```ts
 * const alice = DEFAULT_USERS.find((u) => u.username === 'alice');
 * ```
 */
export const DEFAULT_USERS: readonly DevUser[] = Object.freeze([
  {
    username: 'alice',
    sub: '100000000000000000001',
    email: 'alice@example.com',
    emailVerified: true,
    name: 'Alice',
  },
  {
    username: 'bob',
    sub: '100000000000000000002',
    email: 'bob@example.com',
    emailVerified: true,
    name: 'Bob',
  },
  {
    username: 'carol',
    sub: '100000000000000000003',
    email: 'carol@example.com',
    emailVerified: false,
    name: 'Carol',
  },
]);

/**
 * Makes `count` numbered test users (`user0`, `user1`, ...) for tests that need many subjects.
 *
 * @example
 * ```ts
 * const idp = await startDevIdp({ users: [...DEFAULT_USERS, ...numberedUsers(40)] });
 * ```
 */
export function numberedUsers(count: number, prefix = 'user'): DevUser[] {
  return Array.from({ length: count }, (_, i) => ({
    username: `${prefix}${i}`,
    sub: `2${String(i).padStart(20, '0')}`,
    email: `${prefix}${i}@example.com`,
    emailVerified: true,
  }));
}

/** Longest user name the dev IdP makes an account for (an email local part is at most 64 characters). */
export const MAX_USER_NAME_LENGTH = 64;

/** What a user name made on the fly may contain: lower-case letters, digits, `.`, `_`, `-`, `+`. */
const USER_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9._+-]*[a-z0-9])?$/;

/**
 * Why `name` cannot become a dev user (undefined when it can). Names are compared in lower case.
 *
 * @example
 * ```ts
 * userNameProblem('mallory'); // undefined
 * userNameProblem('a b');     // 'may contain only letters, digits, ".", "_", "-" and "+" …'
 * ```
 */
export function userNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > MAX_USER_NAME_LENGTH) return `is longer than ${MAX_USER_NAME_LENGTH} characters`;
  if (!USER_NAME_PATTERN.test(name.toLowerCase()))
    return 'may contain only letters, digits, ".", "_", "-" and "+", and must start and end with a letter or digit';
  return undefined;
}

/**
 * The dev user for any name that is not a preset: `sub` is 21 digits derived from the (lower-cased) name by
 * SHA-256, so the same name is the same account on every IdP and every restart (and thus the same salt and
 * address), with a leading `3` that keeps it apart from the presets (`1…`) and {@link numberedUsers} (`2…`);
 * the email is `<name>@example.com`, verified. Throws {@link RangeError} for a name {@link userNameProblem}
 * refuses.
 *
 * @example
 * ```ts
 * const mallory = userFromName('mallory');
 * mallory.sub;   // '3…' (21 digits, always the same for "mallory")
 * mallory.email; // 'mallory@example.com'
 * ```
 */
export function userFromName(name: string): DevUser {
  const problem = userNameProblem(name);
  if (problem) throw new RangeError(`user name ${problem}`);
  const username = name.toLowerCase();
  // Domain-separated, so the derived subjects are no generic hash of the name.
  const digest = createHash('sha256').update(`zksso dev-idp user\n${username}`).digest('hex');
  const sub = `3${(BigInt(`0x${digest}`) % 10n ** 20n).toString().padStart(20, '0')}`;
  return {
    username,
    sub,
    email: `${username}@example.com`,
    emailVerified: true,
    name: username.charAt(0).toUpperCase() + username.slice(1),
  };
}
