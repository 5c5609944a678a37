import type { Page } from 'playwright-core';

/** One step of a test that screenshots the screens it passes through. */
export type Shoot = (page: Page, name: string) => Promise<unknown>;

/**
 * Waits for the auth server popup to show one of `screens` (`screen-…` test ids of its README) and returns
 * which. The popup may first load or sign in.
 *
 * @example
 * ```ts
 * await popupScreen(popup, ['screen-signin', 'screen-connect']);
 * ```
 */
export async function popupScreen(
  popup: Page,
  screens: readonly string[],
  timeoutMs = 180_000,
): Promise<string> {
  const selector = screens.map((s) => `[data-testid="${s}"]`).join(', ');
  const element = await popup.waitForSelector(selector, { timeout: timeoutMs });
  return (await element.getAttribute('data-testid')) ?? '';
}

/**
 * Signs in on the popup's sign-in screen with the dev OpenID provider as `user`: "Continue with Dev OpenID
 * provider" opens the provider in a child window; its login page's user button signs in and the child
 * closes; the popup then makes the proof (seconds) and moves on.
 *
 * @example
 * ```ts
 * await signInWithDevIdp(popup, 'alice', shoot);
 * ```
 */
export async function signInWithDevIdp(popup: Page, user: string, shoot?: Shoot): Promise<void> {
  await shoot?.(popup, 'popup-signin');
  const [idp] = await Promise.all([
    popup.waitForEvent('popup'),
    popup.getByTestId('signin-openid-dev').click(),
  ]);
  // The provider remembers the user (a session cookie): after the first login its window signs in and closes
  // by itself, with no login page.
  const closed = idp.waitForEvent('close', { timeout: 60_000 }).then(() => 'closed' as const);
  const form = idp
    .waitForSelector('button[name="user"], input[name="user"]', { timeout: 60_000 })
    .then(() => 'form' as const);
  if ((await Promise.race([closed, form.catch(() => 'closed' as const)])) === 'form') {
    const userButton = idp.locator(`button[name="user"][value="${user}"]`);
    await shoot?.(idp, 'idp-login');
    if (await userButton.count()) await userButton.click();
    else {
      await idp.locator('input[name="user"]').fill(user);
      await idp.locator('form:has(input[name="user"]) button').click();
    }
  }
  await closed.catch(() => {});
}

/**
 * Drives the popup to the screen of the request (`screen`), signing in with the dev IdP first when the
 * popup asks (a new popup window may not hold the login any more).
 *
 * @example
 * ```ts
 * await reachScreen(popup, 'screen-send', 'alice', shoot);
 * ```
 */
export async function reachScreen(popup: Page, screen: string, user: string, shoot?: Shoot): Promise<void> {
  const first = await popupScreen(popup, [screen, 'screen-signin', 'screen-error']);
  if (first === 'screen-error')
    throw new Error(`auth server error: ${await popup.getByTestId('error-message').textContent()}`);
  if (first === 'screen-signin') {
    await signInWithDevIdp(popup, user, shoot);
    const next = await popupScreen(popup, [screen, 'screen-error'], 300_000);
    if (next === 'screen-error')
      throw new Error(`auth server error: ${await popup.getByTestId('error-message').textContent()}`);
  }
  await shoot?.(popup, screen);
}

/** Approves the popup's current request and waits for the popup to close (the connector closes it). */
export async function approve(popup: Page, shoot?: Shoot): Promise<void> {
  const closed = popup.waitForEvent('close', { timeout: 180_000 });
  closed.catch(() => {}); // handled below; not an unhandled rejection if `done` wins
  // The popup may close at any moment: a `screen-done` wait that fails because of that defers to `closed`.
  const done = popup
    .getByTestId('screen-done')
    .waitFor({ timeout: 180_000 })
    .catch(() => closed);
  await popup.getByTestId('approve').click();
  await Promise.race([closed, done]).catch(async (error) => {
    if (!popup.isClosed()) await shoot?.(popup, 'approve-stuck');
    throw error;
  });
}
