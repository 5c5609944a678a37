import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DevStack, startDevStack } from '@zksso/devstack';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickForPopup, countPopups, launchChromium, newContext, screenshots } from '../harness/browser.ts';
import { approve, reachScreen } from '../harness/flows.ts';

// One dev stack (real prover, real proofs), the auth server on http://localhost:<port> and the demo on
// http://127.0.0.1:<port>: two origins, as a dapp and its wallet always are. The tests run in order and
// share the login (each real proof costs seconds).
const USER = 'alice';
let stack: DevStack;
let stateDir: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let consoleErrors: string[];
let evil: Server;
let evilUrl: string;
const shots = screenshots('demo-flows');
const shoot = (p: Page, name: string) => shots.take(p, name);

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'zksso-demo-browser-'));
  stack = await startDevStack({
    ports: { anvil: 0, bundler: 0, idp: 0, salt: 0, prover: 0, authServer: 0, demo: 0 },
    stateDir,
    apps: true,
    onStatus: (line) => process.stderr.write(`devstack: ${line}\n`),
  });
  // A page on a third origin that posts whatever message it is given to its opener (the demo).
  evil = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(
      '<!doctype html><title>evil</title><script>const m = JSON.parse(decodeURIComponent(location.hash.slice(1)));' +
        "opener.postMessage(m, '*'); document.title = 'posted';</script>",
    );
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`;
  browser = await launchChromium();
  ({ context, consoleErrors } = await newContext(browser));
  // Every page records the zkSSO messages it receives: the test reads a request id from the popup.
  await context.addInitScript(() => {
    const seen: unknown[] = [];
    (window as unknown as { __zkssoSeen: unknown[] }).__zkssoSeen = seen;
    window.addEventListener('message', (event) => {
      if ((event.data as { zksso?: unknown })?.zksso === 1) seen.push(event.data);
    });
  });
  page = await context.newPage();
  await page.goto(stack.urls.demo as string);
});

afterAll(async () => {
  if (consoleErrors?.length) process.stderr.write(`browser console errors:\n${consoleErrors.join('\n')}\n`);
  await browser?.close();
  await new Promise((resolve) => (evil ? evil.close(resolve) : resolve(undefined)));
  await stack?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe('the demo dapp on zkSSO, in Chromium', () => {
  it('serves the demo and the auth server on two origins', () => {
    const demo = new URL(stack.urls.demo as string);
    const auth = new URL(stack.urls.authServer as string);
    expect(demo.origin).not.toBe(auth.origin);
    expect(auth.hostname).toBe('localhost');
  });

  it('connects through the popup with the dev OpenID provider, and gets test ETH', async () => {
    await shoot(page, 'demo-start');
    const popup = await clickForPopup(page, 'connect');
    expect(new URL(popup.url()).origin).toBe(new URL(stack.urls.authServer as string).origin);
    await reachScreen(popup, 'screen-connect', USER, shoot);
    expect(await popup.getByTestId('dapp-origin').textContent()).toBe(
      new URL(stack.urls.demo as string).origin,
    );
    await approve(popup, shoot);
    await expect
      .poll(() => page.getByTestId('address').textContent(), { timeout: 30_000 })
      .toMatch(/^0x[0-9a-fA-F]{40}$/);
    await page.getByTestId('faucet').click();
    await expect
      .poll(() => page.getByTestId('balance').getAttribute('data-wei'), { timeout: 30_000 })
      .toBe(`${10n ** 18n}`);
    await shoot(page, 'demo-connected');
  });

  it('ignores a popup message from a wrong origin, then signs before deployment (ERC-6492, verified by viem)', async () => {
    const popup = await clickForPopup(page, 'sign-message');
    await reachScreen(popup, 'screen-sign', USER, shoot);
    const request = (await popup.evaluate(() =>
      (window as unknown as { __zkssoSeen: { type: string; id: string }[] }).__zkssoSeen.find(
        (m) => m.type === 'request',
      ),
    )) as { id: string } | undefined;
    expect(request?.id).toMatch(/^[A-Za-z0-9_-]{8,128}$/);
    // A forged answer for that very request, from another origin: the demo must not take it.
    const forged = { zksso: 1, type: 'response', id: request?.id, result: `0x${'ab'.repeat(65)}` };
    const [evilPage] = await Promise.all([
      context.waitForEvent('page'),
      page.evaluate(
        (url) => void window.open(url, 'evil'),
        `${evilUrl}#${encodeURIComponent(JSON.stringify(forged))}`,
      ),
    ]);
    await expect.poll(() => evilPage.title()).toBe('posted');
    await evilPage.close();
    await page.waitForTimeout(500);
    expect(await page.getByTestId('signature').count()).toBe(0);
    expect(await page.getByTestId('sign-message').isDisabled()).toBe(true);
    await approve(popup, shoot);
    const verified = page.getByTestId('verify-result');
    await verified.waitFor({ timeout: 60_000 });
    expect(await verified.getAttribute('data-valid')).toBe('true');
    expect(await verified.getAttribute('data-kind')).toBe('erc6492');
    await shoot(page, 'demo-signed-erc6492');
  });

  it('sends a transfer (the first operation deploys the account)', async () => {
    const popup = await clickForPopup(page, 'send-transfer');
    await reachScreen(popup, 'screen-send', USER, shoot);
    await approve(popup, shoot);
    const result = page.getByTestId('transfer-result');
    await result.waitFor({ timeout: 120_000 });
    expect(await result.getAttribute('data-hash')).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('signs after deployment: ERC-1271, verified by viem', async () => {
    const popup = await clickForPopup(page, 'sign-message');
    await reachScreen(popup, 'screen-sign', USER, shoot);
    await approve(popup, shoot);
    await expect
      .poll(() => page.getByTestId('verify-result').getAttribute('data-kind'), { timeout: 60_000 })
      .toBe('erc1271');
    expect(await page.getByTestId('verify-result').getAttribute('data-valid')).toBe('true');
  });

  it('sends an atomic batch (EIP-5792)', async () => {
    const popup = await clickForPopup(page, 'send-batch');
    await reachScreen(popup, 'screen-send', USER, shoot);
    expect(await popup.getByTestId('tx-call').count()).toBe(2);
    await approve(popup, shoot);
    await expect
      .poll(() => page.getByTestId('batch-status').getAttribute('data-status'), { timeout: 120_000 })
      .toBe('success');
    await shoot(page, 'demo-batch');
  });

  const payments = async () => Number(await page.getByTestId('session-payments').getAttribute('data-count'));

  it('approves a session (ERC-7715) and pays with it with no popup', async () => {
    const popup = await clickForPopup(page, 'grant-session');
    await reachScreen(popup, 'screen-session', USER, shoot);
    expect(await popup.getByTestId('session-limit').count()).toBeGreaterThanOrEqual(2);
    await approve(popup, shoot);
    await expect
      .poll(() => page.getByTestId('session-status').textContent(), { timeout: 60_000 })
      .toBe('active');
    const popups = countPopups(page);
    await page.getByTestId('session-pay').click();
    await expect.poll(payments, { timeout: 120_000 }).toBe(1);
    expect(popups.count()).toBe(0);
    popups.stop();
  });

  it('is refused after the session is revoked on the auth server account page: the popup asks instead (closed: 4001)', async () => {
    const account = await context.newPage();
    await account.goto(`${stack.urls.authServer}/account`);
    const first = await account.waitForSelector(
      '[data-testid="screen-account"], [data-testid="screen-signin"]',
      {
        timeout: 60_000,
      },
    );
    if ((await first.getAttribute('data-testid')) === 'screen-signin')
      await reachScreen(account, 'screen-account', USER, shoot);
    const row = account.getByTestId('session-row').first();
    await row.waitFor({ timeout: 60_000 });
    await shoot(account, 'account-sessions');
    await row.getByTestId('session-revoke').click();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 120_000 }).toBe('revoked');
    await shoot(account, 'account-revoked');
    await account.close();
    // The demo still holds the session key: the chain refuses it, and the connector opens the popup.
    const [fallback] = await Promise.all([
      page.waitForEvent('popup', { timeout: 120_000 }),
      page.getByTestId('session-pay').click(),
    ]);
    await reachScreen(fallback, 'screen-send', USER, shoot);
    await fallback.close();
    const error = page.getByTestId('session-error');
    await error.waitFor({ timeout: 30_000 });
    expect(await error.getAttribute('data-code')).toBe('4001');
    // The refusal (SESSION_NOT_ACTIVE) made the connector forget the session: the demo offers a new one.
    await page.getByTestId('grant-session').waitFor({ timeout: 30_000 });
    await shoot(page, 'demo-revoked-popup-closed-4001');
  });

  it('pays three times with a new session and no popup, then over the limit the popup takes over', async () => {
    const popup = await clickForPopup(page, 'grant-session');
    await reachScreen(popup, 'screen-session', USER, shoot);
    await approve(popup, shoot);
    await expect
      .poll(() => page.getByTestId('session-status').textContent(), { timeout: 60_000 })
      .toBe('active');
    const before = await payments();
    const popups = countPopups(page);
    for (let n = 1; n <= 3; n++) {
      await page.getByTestId('session-pay').click();
      await expect.poll(payments, { timeout: 120_000 }).toBe(before + n);
    }
    expect(popups.count()).toBe(0);
    popups.stop();
    await expect
      .poll(() => page.getByTestId('limit-transfer').getAttribute('data-remaining'), { timeout: 30_000 })
      .toBe('0');
    await shoot(page, 'demo-session-used');
    // The fourth is over the session's budget: the connector asks in the popup instead of failing.
    const [fallback] = await Promise.all([
      page.waitForEvent('popup', { timeout: 120_000 }),
      page.getByTestId('session-pay').click(),
    ]);
    await reachScreen(fallback, 'screen-send', USER, shoot);
    await approve(fallback, shoot);
    await expect.poll(payments, { timeout: 120_000 }).toBe(before + 4);
    expect(await page.getByTestId('limit-transfer').getAttribute('data-remaining')).toBe('0');
    await shoot(page, 'demo-over-limit-approved');
  });
});
