import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (scripts/install-system-deps.sh installs it). */
export const CHROMIUM_PATH = process.env.ZKSSO_CHROMIUM ?? '/usr/bin/chromium';

/** Launch flags measured to work on these machines (FACTS.md): headless, no sandbox (root), no GPU, offline. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where screenshots go (gitignored): apps/demo/test-artifacts/<suite>/NN-name.png. */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

/**
 * Launches Debian's Chromium through playwright-core.
 *
 * @example
 * ```ts
 * const browser = await launchChromium();
 * const context = await browser.newContext();
 * ```
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/**
 * A browser context sized like a laptop window, with every page's console errors collected (a test can
 * print them when it fails).
 *
 * @example
 * ```ts
 * const { context, consoleErrors } = await newContext(browser);
 * ```
 */
export async function newContext(
  browser: Browser,
): Promise<{ context: BrowserContext; consoleErrors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 860 } });
  const consoleErrors: string[] = [];
  context.on('page', (page) => {
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
  });
  return { context, consoleErrors };
}

/**
 * Numbered full-page screenshots of one suite, `apps/demo/test-artifacts/<suite>/01-name.png`, so the
 * screens can be looked at after a run.
 *
 * @example
 * ```ts
 * const shots = screenshots('demo-flows');
 * await shots.take(page, 'connected');
 * ```
 */
export function screenshots(suite: string) {
  const dir = join(ARTIFACTS_DIR, suite);
  mkdirSync(dir, { recursive: true });
  let count = 0;
  return {
    dir,
    async take(page: Page, name: string): Promise<string> {
      count += 1;
      const file = join(dir, `${String(count).padStart(2, '0')}-${name.replace(/[^a-z0-9-]+/gi, '-')}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
  };
}

/**
 * Counts the pop-up windows a page opens, from now on: `count()` after a session payment must stay 0.
 *
 * @example
 * ```ts
 * const popups = countPopups(page);
 * await page.getByTestId('session-pay').click();
 * expect(popups.count()).toBe(0);
 * ```
 */
export function countPopups(page: Page): { count(): number; stop(): void } {
  let count = 0;
  const listener = () => {
    count += 1;
  };
  page.on('popup', listener);
  return { count: () => count, stop: () => page.off('popup', listener) };
}

/**
 * Clicks `selector`'s element (by test id) and returns the pop-up window the click opens, loaded.
 *
 * @example
 * ```ts
 * const popup = await clickForPopup(page, 'connect');
 * ```
 */
export async function clickForPopup(page: Page, testId: string, timeoutMs = 30_000): Promise<Page> {
  const [popup] = await Promise.all([
    page.waitForEvent('popup', { timeout: timeoutMs }),
    page.getByTestId(testId).click(),
  ]);
  await popup.waitForLoadState('domcontentloaded');
  return popup;
}
