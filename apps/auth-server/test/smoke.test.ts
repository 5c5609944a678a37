import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sessionHash } from '@zksso/core';
import { type DevStack, startDevStack } from '@zksso/devstack';
import { sessionSpecFromJson } from '@zksso/sdk';
import { sessionPermission } from '@zksso/sdk/connector';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { type Hex, isHex, parseEther, stringToHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthServer, startAuthServer } from '../src/server/index.ts';

// Smoke test of every screen in Chromium, on a real dev stack without the prover (no proof: the account is
// a passkey account made with Chromium's virtual authenticator): a dapp page on 127.0.0.1 opens the popup
// on localhost (two origins; WebAuthn refuses IP addresses as rpId) and speaks the raw popup protocol.
// Screenshots go to test-artifacts/smoke/ (gitignored), to be looked at.

const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/smoke/', import.meta.url));
const SHOP = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const ICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 40 40'%3E%3Crect width='40' height='40' rx='8' fill='%23ff7a00'/%3E%3Ctext x='20' y='27' font-size='20' text-anchor='middle' fill='white' font-family='sans-serif'%3ES%3C/text%3E%3C/svg%3E";

// The dapp: a button that opens the popup inside the click (user activation) and posts `window.next`; the
// answers land in `window.answers` by id. Exact origin and source checks, as docs/popup-protocol.md says.
const dappHtml = (auth: string) => `<!doctype html><html><head><title>Smoke Dapp</title></head><body>
<button id="go">go</button><script>
const AUTH = ${JSON.stringify(auth)};
let popup = null; const pending = {}; window.answers = {};
addEventListener('message', (e) => {
  if (e.origin !== AUTH || e.source !== popup || !e.data || e.data.zksso !== 1) return;
  if (e.data.type === 'ready') for (const r of Object.values(pending)) popup.postMessage(r, AUTH);
  if (e.data.type === 'response') { window.answers[e.data.id] = e.data; delete pending[e.data.id]; }
});
document.getElementById('go').onclick = () => {
  const { id, method, params } = window.next;
  const request = { zksso: 1, type: 'request', id, method, params, dapp: { name: 'Smoke Shop', icon: ${JSON.stringify(ICON)}, origin: location.origin } };
  pending[id] = request;
  if (!popup || popup.closed) popup = open(AUTH + '/popup?origin=' + encodeURIComponent(location.origin), 'zksso', 'popup=yes,width=440,height=760');
  else popup.postMessage(request, AUTH);
};
</script></body></html>`;

let stack: DevStack;
let stateDir: string;
let auth: AuthServer;
let authUrl: string;
let dappServer: Server;
let busyProver: Server;
let browser: Browser;
let context: BrowserContext;
let dapp: Page;
let popup: Page;
let account: Hex;
let grantHash: Hex;
let txHash: Hex;
let shot = 0;
const errors: string[] = [];

async function screenshot(page: Page, name: string): Promise<void> {
  shot += 1;
  await page.screenshot({
    path: join(ARTIFACTS, `${String(shot).padStart(2, '0')}-${name}.png`),
    fullPage: true,
  });
}

let counter = 0;
/** Sends one request from the dapp (a click), returns its id; the popup opens on the first one. */
async function request(method: string, params: unknown[]): Promise<string> {
  counter += 1;
  const id = `smoke${String(counter).padStart(8, '0')}`;
  await dapp.evaluate(
    (next) => {
      (window as unknown as { next: unknown }).next = next;
    },
    { id, method, params },
  );
  if (!popup || popup.isClosed()) {
    const opened = context.waitForEvent('page');
    await dapp.click('#go');
    popup = await opened;
    popup.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await attachAuthenticator(popup);
  } else await dapp.click('#go');
  return id;
}

async function answer(id: string): Promise<{ result?: unknown; error?: { code: number; message: string } }> {
  const handle = await dapp.waitForFunction(
    (i) => (window as unknown as { answers: Record<string, unknown> }).answers[i],
    id,
    {
      timeout: 120_000,
    },
  );
  return (await handle.jsonValue()) as { result?: unknown; error?: { code: number; message: string } };
}

async function attachAuthenticator(page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
}

beforeAll(async () => {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  stateDir = mkdtempSync(join(tmpdir(), 'zksso-auth-smoke-'));
  stack = await startDevStack({
    ports: { anvil: 0, bundler: 0, idp: 0, salt: 0, prover: 0 },
    stateDir,
    prover: false,
    fresh: true,
  });
  // The dev stack runs without the prover here (no circuit build); in its place, a stand-in that answers
  // the way the real prover does when its queue is full (after a moment, 503 QUEUE_FULL + Retry-After).
  busyProver = createServer((req, res) => {
    req.resume();
    setTimeout(() => {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5' });
      res.end(JSON.stringify({ error: { code: 'QUEUE_FULL', message: 'the proving queue is full' } }));
    }, 2_000);
  });
  await new Promise<void>((resolve) => busyProver.listen(0, '127.0.0.1', resolve));
  auth = await startAuthServer({
    network: {
      chainId: stack.chainId,
      rpcUrl: stack.urls.rpc,
      bundlerUrl: stack.urls.bundler,
      saltUrl: stack.urls.salt,
      proverUrl: `http://127.0.0.1:${(busyProver.address() as AddressInfo).port}`,
      clientIds: [...stack.idp.clientIds],
      local: true,
      addresses: {
        entryPoint: stack.addresses.entryPoint,
        factory: stack.addresses.accountFactory,
        zkLoginValidator: stack.addresses.zkLoginValidator,
        sessionKeyValidator: stack.addresses.sessionKeyValidator,
        webAuthnValidator: stack.addresses.webAuthnValidator,
        jwkRegistry: stack.addresses.jwkRegistry,
      },
    },
    idp: { issuer: stack.idp.issuer },
  });
  authUrl = auth.url.replace('127.0.0.1', 'localhost');
  dappServer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(dappHtml(authUrl));
  });
  await new Promise<void>((resolve) => dappServer.listen(0, '127.0.0.1', resolve));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  context = await browser.newContext({ viewport: { width: 900, height: 800 } });
  dapp = await context.newPage();
  await dapp.goto(`http://127.0.0.1:${(dappServer.address() as AddressInfo).port}/`);
});

afterAll(async () => {
  if (errors.length) process.stderr.write(`popup console errors:\n${errors.join('\n')}\n`);
  await browser?.close();
  await new Promise((resolve) => (dappServer ? dappServer.close(resolve) : resolve(undefined)));
  await new Promise((resolve) => (busyProver ? busyProver.close(resolve) : resolve(undefined)));
  await auth?.close();
  await stack?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe('auth server screens in Chromium (dev stack, passkey account)', () => {
  it('a /popup nobody opened says so', async () => {
    const page = await context.newPage();
    await page.goto(`${authUrl}/popup?origin=${encodeURIComponent('https://dapp.test')}`);
    await page.getByTestId('screen-popup-error').waitFor();
    expect(await page.getByTestId('error-code').textContent()).toBe('NO_OPENER');
    await screenshot(page, 'popup-no-opener');
    await page.close();
  });

  it('eth_requestAccounts: sign-in screen with the verified dapp origin, passkey sign-up, connect', async () => {
    const id = await request('eth_requestAccounts', [{ chainId: '0x7a69', chains: ['0x7a69'] }]);
    await popup.getByTestId('screen-signin').waitFor();
    expect(await popup.getByTestId('dapp-origin').textContent()).toBe(new URL(dapp.url()).origin);
    expect(await popup.getByTestId('dapp-name').textContent()).toBe('Smoke Shop');
    await popup.getByTestId('signin-openid-dev').waitFor();
    await screenshot(popup, 'signin');
    await popup.getByTestId('passkey-name').fill('smoke');
    await popup.getByTestId('signup-passkey').click();
    await popup.getByTestId('screen-connect').waitFor({ timeout: 60_000 });
    await screenshot(popup, 'connect');
    await popup.getByTestId('approve').click();
    const { result } = await answer(id);
    const accounts = (result as { accounts: Hex[]; chainId: Hex }).accounts;
    expect((result as { chainId: Hex }).chainId).toBe('0x7a69');
    account = accounts[0] as Hex;
    expect(await popup.getByTestId('account-address').count()).toBe(0); // the done screen
    await popup.getByTestId('screen-done').waitFor();
    await screenshot(popup, 'done');
    // Test ETH for the account (dev chain).
    await fetch(stack.urls.rpc, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'anvil_setBalance',
        params: [account, '0xde0b6b3a7640000'],
      }),
    });
  });

  it('wallet_grantPermissions: each limit in plain words, created on chain', async () => {
    const signer = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
    const expiresAt = new Date(Date.now() + 3 * 3_600_000);
    const { expiry, permission } = sessionPermission({
      expiresAt,
      feeLimit: parseEther('0.01'),
      transfers: [
        {
          target: SHOP,
          maxValuePerUse: parseEther('0.01'),
          valueLimit: { limit: parseEther('0.05'), period: '1 day' },
        },
      ],
    });
    const data = { ...permission.data, signer, expiresAt: String(expiry) };
    const id = await request('wallet_grantPermissions', [
      {
        chainId: '0x7a69',
        address: account,
        expiry,
        signer: { type: 'account', data: { id: signer } },
        permissions: [{ ...permission, data, required: true }],
      },
    ]);
    await popup.getByTestId('screen-session').waitFor();
    const lines = await popup.getByTestId('session-limit').allTextContents();
    expect(lines[0]).toBe('Send ETH: at most 0.01 ETH per transfer to 0x3C44…93BC, 0.05 ETH per day');
    expect(lines).toContain('Network fees: at most 0.01 ETH in all');
    expect(lines.at(-1)).toMatch(/^Valid until /);
    await screenshot(popup, 'session');
    await popup.getByTestId('approve').click();
    const { result, error } = await answer(id);
    expect(error).toBeUndefined();
    const grant = result as { permissionsContext: Hex; grantedPermissions: { data: unknown }[] };
    grantHash = grant.permissionsContext;
    expect(grantHash).toBe(sessionHash(sessionSpecFromJson(grant.grantedPermissions[0]?.data)));
  });

  it('eth_sendTransaction: what it does, value and fee; sent after approval', async () => {
    const id = await request('eth_sendTransaction', [
      { from: account, to: SHOP, value: '0x2386f26fc10000', chainId: '0x7a69' },
    ]);
    await popup.getByTestId('screen-send').waitFor();
    expect(await popup.getByTestId('tx-call').textContent()).toBe('Send 0.01 ETH to 0x3C44…93BC');
    expect(await popup.getByTestId('tx-value').textContent()).toBe('0.01 ETH');
    await expect
      .poll(() => popup.getByTestId('tx-fee').textContent(), { timeout: 20_000 })
      .toMatch(/^at most /);
    await screenshot(popup, 'send');
    await popup.getByTestId('approve').click();
    const { result } = await answer(id);
    expect((result as { success: boolean }).success).toBe(true);
    txHash = (result as { transactionHash: Hex }).transactionHash;
    expect(isHex(txHash)).toBe(true);
  });

  it('wallet_sendCalls with an approve: a warning', async () => {
    const approveData = `0x095ea7b3${SHOP.slice(2).toLowerCase().padStart(64, '0')}${'f'.repeat(64)}` as Hex;
    const id = await request('wallet_sendCalls', [
      {
        version: '2.0.0',
        from: account,
        chainId: '0x7a69',
        atomicRequired: true,
        calls: [
          { to: SHOP, value: '0x1' },
          { to: SHOP, data: approveData },
        ],
      },
    ]);
    await popup.getByTestId('screen-send').waitFor();
    expect(await popup.getByTestId('tx-call').count()).toBe(2);
    expect(await popup.getByTestId('tx-warning').textContent()).toContain(
      'lets someone else spend your tokens',
    );
    await screenshot(popup, 'send-batch-approve');
    await popup.getByTestId('reject').click();
    expect((await answer(id)).error?.code).toBe(4001);
  });

  it('personal_sign shows the message and answers a signature', async () => {
    const id = await request('personal_sign', [
      stringToHex('Sign in to Smoke Shop\nNonce: 42'),
      account,
      { chainId: '0x7a69' },
    ]);
    await popup.getByTestId('screen-sign').waitFor();
    expect(await popup.getByTestId('sign-message').textContent()).toBe('Sign in to Smoke Shop\nNonce: 42');
    await screenshot(popup, 'sign');
    await popup.getByTestId('approve').click();
    const { result, error } = await answer(id);
    expect(error).toBeUndefined();
    expect(isHex(result)).toBe(true);
  });

  it('eth_signTypedData_v4 shows domain and message; a refusal answers 4001', async () => {
    const typed = {
      types: {
        EIP712Domain: [{ name: 'name', type: 'string' }],
        Order: [
          { name: 'item', type: 'string' },
          { name: 'price', type: 'uint256' },
        ],
      },
      primaryType: 'Order',
      domain: { name: 'Smoke Shop' },
      message: { item: 'coffee', price: '3' },
    };
    const id = await request('eth_signTypedData_v4', [account, JSON.stringify(typed)]);
    await popup.getByTestId('screen-sign-typed').waitFor();
    expect(await popup.getByTestId('typed-message').textContent()).toContain('coffee');
    await screenshot(popup, 'sign-typed');
    await popup.getByTestId('reject').click();
    expect((await answer(id)).error?.code).toBe(4001);
  });

  it('wallet_showCallsStatus shows the confirmed transaction', async () => {
    const id = await request('wallet_showCallsStatus', [
      txHash,
      { chainId: '0x7a69', transactionHash: txHash },
    ]);
    await popup.getByTestId('screen-calls-status').waitFor();
    expect(await popup.getByTestId('calls-status').textContent()).toBe('Confirmed');
    await screenshot(popup, 'calls-status');
    await popup.getByTestId('close').click();
    expect((await answer(id)).result).toBeNull();
  });

  it('wallet_revokePermissions shows the session and revokes it on chain', async () => {
    const id = await request('wallet_revokePermissions', [
      { permissionsContext: grantHash, chainId: '0x7a69', address: account },
    ]);
    await popup.getByTestId('screen-revoke').waitFor();
    expect(await popup.getByTestId('session-limit').first().textContent()).toContain('0.01 ETH per transfer');
    await screenshot(popup, 'revoke');
    await popup.getByTestId('approve').click();
    const { result, error } = await answer(id);
    expect(error).toBeUndefined();
    expect(result).toBeNull();
  });

  it('the account page: balance, the session (revoked) with its usage, the passkey', async () => {
    // Same tab, so the same sign-in (sessionStorage). /account sends COOP same-origin: the dapp loses this
    // window, as it should (the account page is no part of the protocol).
    await popup.goto(`${authUrl}/account`);
    await popup.getByTestId('screen-account').waitFor();
    await expect
      .poll(() => popup.getByTestId('account-balance').textContent(), { timeout: 20_000 })
      .toMatch(/ETH$/);
    const row = popup.getByTestId('session-row');
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 20_000 }).toBe('revoked');
    expect(await popup.getByTestId('session-revoke').count()).toBe(0);
    expect(await popup.getByTestId('session-usage').first().textContent()).toMatch(/used of/);
    expect(await row.getAttribute('data-session-hash')).toBe(grantHash);
    expect(await popup.getByTestId('identity-row').first().getAttribute('data-kind')).toBe('passkey');
    await screenshot(popup, 'account');
  });

  it('a new popup window is still signed in; Sign out leads to the sign-in screen, Cancel answers 4001', async () => {
    await popup.close();
    const first = await request('personal_sign', ['0x68690a', account, { chainId: '0x7a69' }]);
    await popup.getByTestId('screen-sign').waitFor();
    expect(await popup.getByTestId('account-address').textContent()).toBe(account);
    await popup.getByTestId('reject').click();
    expect((await answer(first)).error?.code).toBe(4001);
    // Sign out on the account page (another tab of the same origin), then a new popup asks to sign in.
    const accountTab = await context.newPage();
    await accountTab.goto(`${authUrl}/account`);
    await accountTab.getByTestId('signout').click();
    await accountTab.getByTestId('screen-signin').waitFor();
    await accountTab.close();
    await popup.close();
    const second = await request('personal_sign', ['0x68690a', account, { chainId: '0x7a69' }]);
    await popup.getByTestId('screen-signin').waitFor();
    await popup.getByTestId('reject').click();
    expect((await answer(second)).error?.code).toBe(4001);
  });

  it('OpenID: the provider window, the progress screen, then a clear screen when the prover is busy', async () => {
    const id = await request('eth_requestAccounts', [{ chainId: '0x7a69', chains: ['0x7a69'] }]);
    // First a second passkey account, then "Use another account" on the connect screen: back to sign-in.
    await popup.getByTestId('screen-signin').waitFor();
    await popup.getByTestId('passkey-name').fill('other');
    await popup.getByTestId('signup-passkey').click();
    await popup.getByTestId('screen-connect').waitFor({ timeout: 60_000 });
    expect(await popup.getByTestId('account-address').textContent()).not.toBe(account);
    expect(await popup.getByTestId('screen-connect').textContent()).toContain('Signed in with a passkey');
    await popup.getByTestId('switch-account').click();
    await popup.getByTestId('screen-signin').waitFor();
    const idpOpened = context.waitForEvent('page');
    await popup.getByTestId('signin-openid-dev').click();
    const idp = await idpOpened;
    await popup.getByTestId('screen-idp-wait').waitFor();
    await screenshot(popup, 'idp-wait');
    await idp.waitForLoadState();
    await idp.locator('input[name="user"]').fill('smoke-user');
    await idp.locator('input[name="user"]').press('Enter');
    await popup.getByTestId('screen-progress').waitFor({ timeout: 30_000 });
    await expect
      .poll(() => popup.getByTestId('progress-step-proof').getAttribute('data-state'))
      .toBe('active');
    expect(await popup.getByTestId('progress-step-salt').getAttribute('data-state')).toBe('done');
    expect(await popup.getByTestId('progress-estimate').textContent()).toMatch(/about \d+ s/);
    await screenshot(popup, 'progress');
    await popup.getByTestId('screen-error').waitFor({ timeout: 60_000 });
    expect(await popup.getByTestId('error-code').textContent()).toBe('PROVER_BUSY');
    await screenshot(popup, 'error-prover-busy');
    await popup.getByTestId('error-close').click();
    expect((await answer(id)).error?.code).toBe(4001);
  });
});
