import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DevStack, startDevStack } from '@zksso/devstack';
import { hasP256Precompile } from '@zksso/sdk';
import type { Browser, Page } from 'playwright-core';
import { type Address, createPublicClient, createTestClient, http, parseAbi } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickForPopup, launchChromium, newContext, screenshots } from '../harness/browser.ts';
import { approve, popupScreen } from '../harness/flows.ts';
import { VirtualPasskeyDevice } from '../harness/webauthn.ts';

// Passkeys end to end (issue #11) in Chromium, with its virtual authenticator standing in for the user's
// device, on a real dev stack with the auth server (http://localhost:<port>) and the demo (http://127.0.0.1):
// - sign up with a passkey from the demo and send; sign in again in a fresh browser profile: same account;
// - an OpenID account adds a passkey, then the passkey replaces its OpenID identity;
// - a passkey account adds the dev IdP as recovery, loses its passkey, is recovered with the dev IdP, removes
//   the lost passkey (its last: passkey sign-in is removed from the account) and sends.
// Four OpenID logins, one real proof each. The recovery waits the RecoveryModule's delay: the chain's clock
// is moved past it (this file's own stack), so the recovery runs last.
// On prague (no P-256 precompile) the passkey flows run again without the prover: the Solidity fallback
// verifies the same signatures.

const RUN = Math.random().toString(36).slice(2, 8);
const identityAbi = parseAbi([
  'function identityOf(address account) view returns (uint256 issHash, uint256 idc)',
]);
const moduleAbi = parseAbi([
  'function isModuleInstalled(uint256 moduleTypeId, address module, bytes data) view returns (bool)',
]);

/**
 * Clicks `testId` on `page` (a button that opens the dev OpenID provider's window) and signs in there as
 * `user`; the window closes by itself. A fresh browser profile shows the provider's login form; one that
 * signed in before is remembered (no form).
 */
async function devIdpLogin(page: Page, testId: string, user: string): Promise<void> {
  const [idp] = await Promise.all([page.waitForEvent('popup'), page.getByTestId(testId).click()]);
  const closed = idp.waitForEvent('close', { timeout: 60_000 }).then(() => 'closed' as const);
  const form = idp
    .waitForSelector('button[name="user"], input[name="user"]', { timeout: 60_000 })
    .then(() => 'form' as const);
  if ((await Promise.race([closed, form.catch(() => 'closed' as const)])) === 'form') {
    const userButton = idp.locator(`button[name="user"][value="${user}"]`);
    if (await userButton.count()) await userButton.click();
    else {
      await idp.locator('input[name="user"]').fill(user);
      await idp.locator('form:has(input[name="user"]) button').click();
    }
  }
  await closed.catch(() => {});
}

/** Waits for the account page with its identities read from the chain. */
async function accountPage(page: Page): Promise<void> {
  const screen = await popupScreen(page, ['screen-account', 'screen-error'], 300_000);
  if (screen === 'screen-error')
    throw new Error(`auth server error: ${await page.getByTestId('error-message').textContent()}`);
  await page.locator('[data-testid="identities"][data-state="ready"]').waitFor({ timeout: 60_000 });
}

describe.each(['osaka', 'prague'] as const)('passkeys on %s', (hardfork) => {
  const full = hardfork === 'osaka';
  let stack: DevStack;
  let stateDir: string;
  let browser: Browser;
  let consoleErrors: string[] = [];
  const device = new VirtualPasskeyDevice();
  const shots = screenshots(`passkeys-${hardfork}`);
  const shoot = (p: Page, name: string) => shots.take(p, name);
  let address: string | null = null;
  const client = () => createPublicClient({ transport: http(stack.urls.rpc) });

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), `zksso-demo-passkeys-${hardfork}-`));
    // Only osaka proves (OpenID logins); prague runs the passkey flows alone, without the prover.
    stack = await startDevStack({
      ports: {
        anvil: 0,
        bundler: 0,
        idp: 0,
        salt: 0,
        authServer: 0,
        demo: 0,
        ...(full ? { prover: 0 } : {}),
      },
      stateDir,
      prover: full,
      apps: true,
      hardfork,
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    if (consoleErrors.length) process.stderr.write(`browser console errors:\n${consoleErrors.join('\n')}\n`);
    await browser?.close();
    await stack?.stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  /** A fresh browser profile: its console errors are collected. */
  async function freshProfile() {
    const opened = await newContext(browser);
    consoleErrors = opened.consoleErrors;
    return opened.context;
  }

  /** A fresh browser profile on the demo, connected through the popup with this device's passkey. */
  async function connectWithPasskey(action: 'signup-passkey' | 'signin-passkey'): Promise<Page> {
    const page = await (await freshProfile()).newPage();
    await page.goto(stack.urls.demo as string);
    const popup = await clickForPopup(page, 'connect');
    await device.attach(popup);
    await popupScreen(popup, ['screen-signin']);
    if (action === 'signup-passkey') await popup.getByTestId('passkey-name').fill('alice');
    await shoot(popup, `popup-${action}`);
    await popup.getByTestId(action).click();
    await popupScreen(popup, ['screen-connect'], 120_000);
    await device.save(popup);
    await shoot(popup, 'popup-connect');
    await approve(popup, shoot);
    await page.getByTestId('address').waitFor({ timeout: 30_000 });
    return page;
  }

  /** Test ETH from the demo's dev faucet, then a transfer approved in the popup: its transaction hash. */
  async function fundAndSend(page: Page, popupDevice?: VirtualPasskeyDevice): Promise<string | null> {
    const before = BigInt((await page.getByTestId('balance').getAttribute('data-wei')) ?? '0');
    await page.getByTestId('faucet').click();
    await expect
      .poll(async () => BigInt((await page.getByTestId('balance').getAttribute('data-wei')) ?? '0'), {
        timeout: 30_000,
      })
      .toBeGreaterThan(before);
    const popup = await clickForPopup(page, 'send-transfer');
    if (popupDevice) await popupDevice.attach(popup);
    const screen = await popupScreen(popup, ['screen-send', 'screen-signin']);
    if (screen === 'screen-signin') {
      await popup.getByTestId('signin-passkey').click();
      await popupScreen(popup, ['screen-send'], 120_000);
    }
    await shoot(popup, 'popup-send');
    await approve(popup, shoot);
    const result = page.getByTestId('transfer-result');
    await result.waitFor({ timeout: 120_000 });
    return result.getAttribute('data-hash');
  }

  it(`runs on a chain ${full ? 'with' : 'without'} the P-256 precompile`, async () => {
    expect(await hasP256Precompile(client())).toBe(full);
  });

  it('signs up with a passkey from the demo and sends (the first send deploys the account)', async () => {
    const page = await connectWithPasskey('signup-passkey');
    address = await page.getByTestId('address').textContent();
    expect(address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(device.credentials).toHaveLength(1);
    expect(await fundAndSend(page, device)).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await client().getCode({ address: address as Address })).not.toBe(undefined);
    await shoot(page, 'demo-sent');
    await page.context().close();
  });

  it('signs in again in a fresh browser profile with the same passkey: the same account', async () => {
    const page = await connectWithPasskey('signin-passkey');
    expect(await page.getByTestId('address').textContent()).toBe(address);
    await shoot(page, 'demo-signed-in-again');
    await page.context().close();
  });

  // The OpenID flows prove, so they run on osaka only (its stack has the prover).
  if (full) {
    it('an OpenID account adds a passkey; in a fresh profile the passkey signs in and replaces the OpenID identity', async () => {
      const laptop = new VirtualPasskeyDevice();
      const page = await (await freshProfile()).newPage();
      await laptop.attach(page);
      await page.goto(`${stack.urls.authServer}/account`);
      await popupScreen(page, ['screen-signin']);
      await devIdpLogin(page, 'signin-openid-dev', `pk-dave-${RUN}`);
      await accountPage(page);
      const openIdAccount = (await page.getByTestId('account-address').textContent()) as Address;
      await page.getByTestId('account-fund').click();
      await accountPage(page);
      await page.getByTestId('passkey-add-name').fill('laptop');
      await page.getByTestId('passkey-add').click();
      await accountPage(page);
      await laptop.save(page);
      expect(laptop.credentials).toHaveLength(1);
      const kinds = await page
        .getByTestId('identity-row')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')));
      expect(kinds.sort()).toEqual(['openid', 'passkey']);
      await shoot(page, 'account-openid-with-passkey');
      const before = await client().readContract({
        address: stack.addresses.zkLoginValidator,
        abi: identityAbi,
        functionName: 'identityOf',
        args: [openIdAccount],
      });
      await page.context().close();

      // Another browser, the same passkey: it finds the OpenID account on chain, then replaces its identity.
      const other = await (await freshProfile()).newPage();
      await laptop.attach(other);
      await other.goto(`${stack.urls.authServer}/account`);
      await popupScreen(other, ['screen-signin']);
      await other.getByTestId('signin-passkey').click();
      await accountPage(other);
      expect(await other.getByTestId('account-address').textContent()).toBe(openIdAccount);
      await shoot(other, 'account-signed-in-with-passkey');
      await devIdpLogin(other, 'identity-replace-dev', `pk-erin-${RUN}`);
      await accountPage(other);
      const after = await client().readContract({
        address: stack.addresses.zkLoginValidator,
        abi: identityAbi,
        functionName: 'identityOf',
        args: [openIdAccount],
      });
      expect(after[1]).not.toBe(before[1]);
      expect(
        await other.locator('[data-testid="identity-row"][data-kind="openid"]').getAttribute('data-idc'),
      ).toBe(after[1].toString());
      await shoot(other, 'account-identity-replaced');
      await other.context().close();
    });

    it('a passkey account adds the dev IdP as recovery, loses its passkey, is recovered with the dev IdP, and sends', async () => {
      const phone = new VirtualPasskeyDevice();
      const user = `pk-carol-${RUN}`;
      const page = await (await freshProfile()).newPage();
      await phone.attach(page);
      await page.goto(`${stack.urls.authServer}/account`);
      await popupScreen(page, ['screen-signin']);
      await page.getByTestId('passkey-name').fill('carol');
      await page.getByTestId('signup-passkey').click();
      await accountPage(page);
      const account = (await page.getByTestId('account-address').textContent()) as Address;
      await page.getByTestId('account-fund').click();
      await accountPage(page);
      await devIdpLogin(page, 'recovery-add-openid-dev', user);
      await accountPage(page);
      const recovery = page.getByTestId('recovery-row');
      expect(await recovery.getAttribute('data-kind')).toBe('openid');
      expect(await recovery.getAttribute('data-state')).toBe('dormant');
      // Its only passkey cannot be removed (no OpenID identity signs for the account yet): disabled, with why.
      expect(await page.getByTestId('passkey-remove').isDisabled()).toBe(true);
      expect(await page.getByTestId('passkey-remove-why').textContent()).toMatch(/only way to sign in/);
      await shoot(page, 'account-with-recovery');
      await page.context().close();

      // The phone is lost: a new browser, no passkey. Recover with the dev IdP.
      const context = await freshProfile();
      const lost = await context.newPage();
      await lost.goto(`${stack.urls.authServer}/account`);
      await popupScreen(lost, ['screen-signin']);
      await shoot(lost, 'signin-with-recovery');
      await devIdpLogin(lost, 'recover-openid-dev', user);
      await popupScreen(lost, ['screen-recover'], 300_000);
      const row = lost.getByTestId('recover-row');
      expect(await row.getAttribute('data-account')).toBe(account);
      expect(await row.getAttribute('data-state')).toBe('none');
      await shoot(lost, 'recover-found');
      // The identity's own account pays the fees (dev: test ETH first).
      await lost.getByTestId('recover-fund').click();
      await popupScreen(lost, ['screen-recover']);
      await lost.getByTestId('recover-start').click();
      await lost.locator('[data-testid="recover-row"][data-state="waiting"]').waitFor({ timeout: 120_000 });
      await shoot(lost, 'recover-waiting');
      // The RecoveryModule's delay (two days by default) passes on chain.
      const testClient = createTestClient({ mode: 'anvil', transport: http(stack.urls.rpc) });
      await testClient.increaseTime({ seconds: 2 * 86_400 + 60 });
      await testClient.mine({ blocks: 1 });
      await lost.getByTestId('recover-refresh').click();
      await lost.locator('[data-testid="recover-row"][data-state="ready"]').waitFor({ timeout: 30_000 });
      await shoot(lost, 'recover-ready');
      await lost.getByTestId('recover-finish').click();
      await accountPage(lost);
      expect(await lost.getByTestId('account-address').textContent()).toBe(account);
      const kinds = await lost
        .getByTestId('identity-row')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')));
      expect(kinds.sort()).toEqual(['openid', 'passkey']);
      await shoot(lost, 'account-recovered');

      // The lost (maybe stolen) passkey, the last one, is removed: the page asks first, then the account
      // uninstalls its WebAuthnValidator and signs in with the dev IdP alone.
      await lost.getByTestId('passkey-remove').click();
      expect(await lost.getByTestId('passkey-remove-confirm-box').textContent()).toMatch(
        /removes passkey sign-in from this account/,
      );
      await shoot(lost, 'account-remove-last-passkey');
      await lost.getByTestId('passkey-remove-confirm').click();
      await accountPage(lost);
      const left = await lost
        .getByTestId('identity-row')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')));
      expect(left).toEqual(['openid']);
      expect(
        await client().readContract({
          address: account,
          abi: moduleAbi,
          functionName: 'isModuleInstalled',
          args: [1n, stack.addresses.webAuthnValidator, '0x'],
        }),
      ).toBe(false);
      await shoot(lost, 'account-passkey-removed');

      // The dapp gets the recovered account (signed in on the auth server) and it sends, signed by the IdP.
      const demo = await context.newPage();
      await demo.goto(stack.urls.demo as string);
      const popup = await clickForPopup(demo, 'connect');
      await popupScreen(popup, ['screen-connect']);
      await approve(popup, shoot);
      await demo.getByTestId('address').waitFor({ timeout: 30_000 });
      expect(await demo.getByTestId('address').textContent()).toBe(account);
      expect(await fundAndSend(demo)).toMatch(/^0x[0-9a-f]{64}$/);
      await shoot(demo, 'demo-sent-after-recovery');
      await context.close();
    });
  }
});
