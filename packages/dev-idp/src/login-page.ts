import type { DevUser } from './users.ts';

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/**
 * The login page for people: one button per test user and, when the IdP signs in any name (`anyName`), a
 * field for another name. It posts `user=<username>` to `/interaction/<uid>/login`.
 *
 * @example
 * ```ts
 * const html = renderLoginPage(details.uid, DEFAULT_USERS, undefined, true);
 * ```
 */
export function renderLoginPage(
  uid: string,
  users: readonly DevUser[],
  error?: string,
  anyName = false,
): string {
  const buttons = users
    .map(
      (u) =>
        `<button type="submit" name="user" value="${escapeHtml(u.username)}">${escapeHtml(u.username)} ` +
        `&lt;${escapeHtml(u.email)}&gt;${u.emailVerified ? '' : ' (email not verified)'}</button>`,
    )
    .join('\n      ');
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>zkSSO dev IdP: sign in</title>
  <style>body{font-family:sans-serif;max-width:28rem;margin:3rem auto}button{display:block;width:100%;margin:.4rem 0;padding:.6rem}</style></head>
  <body>
    <h1>zkSSO dev IdP</h1>
    <p>Development only. Pick a test user to sign in as.</p>
    ${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
    <form method="post" action="/interaction/${escapeHtml(uid)}/login">
      ${buttons}
    </form>${
      anyName
        ? `
    <form method="post" action="/interaction/${escapeHtml(uid)}/login">
      <label>Any other name (a new account, the same one each time): <input name="user" required maxlength="64"></label>
      <button type="submit">Sign in</button>
    </form>`
        : ''
    }
  </body>
</html>`;
}

/**
 * The error page (an authorization request the IdP refuses, e.g. an unregistered redirect URI).
 *
 * @example
 * ```ts
 * renderErrorPage({ error: 'invalid_redirect_uri', error_description: '...' });
 * ```
 */
export function renderErrorPage(out: Record<string, string>): string {
  const rows = Object.entries(out)
    .map(([key, value]) => `<dt>${escapeHtml(key)}</dt><dd>${escapeHtml(String(value))}</dd>`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>zkSSO dev IdP: error</title></head>
<body><h1>zkSSO dev IdP: error</h1><dl>${rows}</dl></body></html>`;
}
