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
