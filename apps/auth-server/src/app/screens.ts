import type { DappInfo } from '@zksso/sdk/connector';
import type { ProviderConfig } from '../shared/config.ts';
import { type Child, h } from './dom.ts';
import type { Failure } from './failure.ts';
import type { LoginStep } from './wallet.ts';
import { type PolicyLine, shortAddress } from './wording.ts';

/**
 * The screens, as plain DOM builders: each returns a `<section data-testid="screen-…">` and calls back on
 * the user's choice. No logic about the chain here (popup.ts and account.ts decide what to show).
 */

export function screen(
  testid: string,
  attrs: { method?: string; title?: string },
  ...children: Child[]
): HTMLElement {
  return h(
    'section',
    { testid, class: 'card', 'data-method': attrs.method },
    attrs.title ? h('h1', {}, attrs.title) : null,
    ...children,
  );
}

/** Who is asking: icon, name and the verified origin (the origin is what the user should trust). */
export function dappHeader(dapp: DappInfo): HTMLElement {
  const host = new URL(dapp.origin).host;
  return h(
    'div',
    { testid: 'dapp-header', class: 'dapp' },
    dapp.icon
      ? h('img', {
          testid: 'dapp-icon',
          class: 'dapp-icon',
          src: dapp.icon,
          alt: '',
          width: 40,
          height: 40,
          referrerpolicy: 'no-referrer',
        })
      : h('div', { class: 'dapp-icon placeholder', 'aria-hidden': 'true' }, host.slice(0, 1).toUpperCase()),
    h(
      'div',
      { class: 'dapp-text' },
      h('div', { testid: 'dapp-name', class: 'dapp-name' }, dapp.name),
      h(
        'div',
        {
          testid: 'dapp-origin',
          class: 'dapp-origin',
          title: 'The address of the site asking, checked by your browser',
        },
        dapp.origin,
      ),
    ),
  );
}

export function buttons(...children: Child[]): HTMLElement {
  return h('div', { class: 'actions' }, ...children);
}

export function approveButton(label: string, onclick: () => void): HTMLButtonElement {
  return h('button', { testid: 'approve', class: 'primary', type: 'button', onclick }, label);
}

export function rejectButton(label: string, onclick: () => void): HTMLButtonElement {
  return h('button', { testid: 'reject', class: 'secondary', type: 'button', onclick }, label);
}

export function loadingScreen(text: string): HTMLElement {
  return screen(
    'screen-loading',
    {},
    h('div', { class: 'spinner', 'aria-hidden': 'true' }),
    h('p', { class: 'muted center' }, text),
  );
}

export function workingScreen(text: string, dapp?: DappInfo): HTMLElement {
  return screen(
    'screen-working',
    {},
    dapp ? dappHeader(dapp) : null,
    h('div', { class: 'spinner', 'aria-hidden': 'true' }),
    h('p', { testid: 'working-text', class: 'center' }, text),
  );
}

export function doneScreen(text: string, dapp?: DappInfo): HTMLElement {
  return screen(
    'screen-done',
    {},
    dapp ? dappHeader(dapp) : null,
    h('div', { class: 'check', 'aria-hidden': 'true' }, '✓'),
    h('p', { testid: 'done-text', class: 'center' }, text),
  );
}

export function errorScreen(
  failure: Failure,
  options: { dapp?: DappInfo; onRetry?: () => void; onClose?: () => void; closeLabel?: string },
): HTMLElement {
  return screen(
    'screen-error',
    {},
    options.dapp ? dappHeader(options.dapp) : null,
    h('div', { class: 'error-mark', 'aria-hidden': 'true' }, '!'),
    h('h1', { testid: 'error-title' }, failure.title),
    h('p', { testid: 'error-message' }, failure.message),
    h('p', { class: 'muted small' }, 'Error code: ', h('code', { testid: 'error-code' }, failure.code)),
    buttons(
      options.onClose
        ? h(
            'button',
            { testid: 'error-close', class: 'secondary', type: 'button', onclick: options.onClose },
            options.closeLabel ?? 'Close',
          )
        : null,
      options.onRetry && failure.retry
        ? h(
            'button',
            { testid: 'error-retry', class: 'primary', type: 'button', onclick: options.onRetry },
            'Try again',
          )
        : null,
    ),
  );
}

export function popupErrorScreen(code: string, message: string): HTMLElement {
  return screen(
    'screen-popup-error',
    { title: 'Open this page from a dapp' },
    h('p', {}, message),
    h('p', { class: 'muted small' }, 'Error code: ', h('code', { testid: 'error-code' }, code)),
    h('p', {}, h('a', { href: '/account', testid: 'goto-account' }, 'Go to your account')),
  );
}

export interface SignInHandlers {
  onOpenId(provider: ProviderConfig): void;
  onPasskeySignUp(name: string): void;
  onPasskeySignIn(): void;
  /** Recover an account whose passkey is lost with an OpenID identity it registered (RecoveryModule). */
  onRecover?: (provider: ProviderConfig) => void;
  onCancel?: () => void;
}

export function signInScreen(p: {
  dapp?: DappInfo;
  providers: ProviderConfig[];
  walletName: string;
  passkeys: boolean;
  handlers: SignInHandlers;
  method?: string;
}): HTMLElement {
  const name = h('input', {
    testid: 'passkey-name',
    id: 'passkey-name',
    type: 'text',
    autocomplete: 'username webauthn',
    placeholder: 'Your name, e.g. alice',
    maxlength: 64,
  });
  return screen(
    'screen-signin',
    { method: p.method },
    p.dapp ? dappHeader(p.dapp) : null,
    h('h1', {}, p.dapp ? `Sign in to continue to ${p.dapp.name}` : `Sign in to ${p.walletName}`),
    h('p', { class: 'muted' }, 'Your wallet is opened by your sign-in. No password, no seed phrase.'),
    h(
      'div',
      { class: 'stack' },
      p.providers.length === 0 ? h('p', { class: 'muted small' }, 'No OpenID provider is configured.') : null,
      p.providers.map((provider) =>
        h(
          'button',
          {
            testid: `signin-openid-${provider.id}`,
            class: 'provider',
            type: 'button',
            onclick: () => p.handlers.onOpenId(provider),
          },
          `Continue with ${provider.name}`,
        ),
      ),
    ),
    p.passkeys
      ? [
          h('div', { class: 'divider' }, h('span', {}, 'or use a passkey')),
          h(
            'div',
            { class: 'stack' },
            h(
              'button',
              {
                testid: 'signin-passkey',
                class: 'provider',
                type: 'button',
                onclick: () => p.handlers.onPasskeySignIn(),
              },
              'Sign in with a passkey',
            ),
            h(
              'div',
              { class: 'row' },
              h('label', { for: 'passkey-name', class: 'sr-only' }, 'Name for a new passkey'),
              name,
              h(
                'button',
                {
                  testid: 'signup-passkey',
                  class: 'provider',
                  type: 'button',
                  onclick: () => p.handlers.onPasskeySignUp(name.value.trim() || 'zkSSO account'),
                },
                'Sign up with a passkey',
              ),
            ),
          ),
        ]
      : h('p', { class: 'muted small' }, 'Passkeys need a secure page (https) and a browser with WebAuthn.'),
    p.handlers.onRecover && p.providers.length > 0
      ? [
          h('div', { class: 'divider' }, h('span', {}, 'lost your passkey?')),
          h(
            'div',
            { class: 'stack' },
            p.providers.map((provider) =>
              h(
                'button',
                {
                  testid: `recover-openid-${provider.id}`,
                  class: 'link',
                  type: 'button',
                  onclick: () => p.handlers.onRecover?.(provider),
                },
                `Recover my account with ${provider.name}`,
              ),
            ),
          ),
        ]
      : null,
    p.handlers.onCancel ? buttons(rejectButton('Cancel', p.handlers.onCancel)) : null,
  );
}

export function idpWaitScreen(p: {
  provider: ProviderConfig;
  dapp?: DappInfo;
  onReopen: () => void;
  onCancel: () => void;
}): HTMLElement {
  return screen(
    'screen-idp-wait',
    {},
    p.dapp ? dappHeader(p.dapp) : null,
    h('div', { class: 'spinner', 'aria-hidden': 'true' }),
    h('h1', { class: 'center' }, `Continue in the ${p.provider.name} window`),
    h('p', { class: 'muted center' }, 'Sign in there; this window continues by itself when you are done.'),
    buttons(
      h(
        'button',
        { testid: 'idp-reopen', class: 'secondary', type: 'button', onclick: p.onReopen },
        'Reopen window',
      ),
      h(
        'button',
        { testid: 'idp-cancel', class: 'secondary', type: 'button', onclick: p.onCancel },
        'Cancel',
      ),
    ),
  );
}

const STEPS: { step: LoginStep; label: string }[] = [
  { step: 'token', label: 'Signed in with your provider' },
  { step: 'salt', label: 'Getting your account key (salt)' },
  { step: 'proof', label: 'Making the zero-knowledge proof' },
  { step: 'address', label: 'Opening your account' },
];

/** Login progress with an estimate; `update(step)` moves it on. */
export function progressScreen(p: { dapp?: DappInfo; estimateSeconds: number }): {
  element: HTMLElement;
  update(step: LoginStep): void;
} {
  const items = STEPS.map(({ step, label }) =>
    h(
      'li',
      { testid: `progress-step-${step}`, 'data-state': 'pending' },
      h('span', { class: 'dot', 'aria-hidden': 'true' }),
      label,
    ),
  );
  const estimate = h('p', { testid: 'progress-estimate', class: 'muted small center' }, '');
  const started = Date.now();
  let proofStarted = 0;
  const tick = () => {
    if (!estimate.isConnected && Date.now() - started > 1000) return clearInterval(timer);
    const elapsed = Math.round((Date.now() - started) / 1000);
    const left = proofStarted
      ? Math.max(0, p.estimateSeconds - Math.round((Date.now() - proofStarted) / 1000))
      : p.estimateSeconds;
    estimate.textContent = proofStarted
      ? left > 0
        ? `The proof takes about ${p.estimateSeconds} s; about ${left} s left (${elapsed} s so far).`
        : `Almost done: the prover is finishing (${elapsed} s so far).`
      : `This takes about ${p.estimateSeconds + 2} s in all. Nothing about you is put on chain.`;
  };
  const timer = setInterval(tick, 1000);
  tick();
  const element = screen(
    'screen-progress',
    {},
    p.dapp ? dappHeader(p.dapp) : null,
    h('h1', {}, 'Opening your wallet'),
    h('ol', { class: 'steps' }, items),
    estimate,
  );
  return {
    element,
    update(step) {
      const index = STEPS.findIndex((s) => s.step === step);
      items.forEach((item, i) => {
        item.dataset.state = i < index ? 'done' : i === index ? 'active' : 'pending';
      });
      if (step === 'proof' && !proofStarted) proofStarted = Date.now();
      tick();
    },
  };
}

export function accountLine(address: string, label = 'Account'): HTMLElement {
  return h(
    'div',
    { class: 'kv' },
    h('span', { class: 'muted' }, label),
    h('code', { testid: 'account-address', class: 'address' }, address),
  );
}

/** Text with each short address (`0x3C44…93BC`) kept on one line; the text content is unchanged. */
export function keepAddresses(text: string): Child[] {
  const parts: Child[] = [];
  let last = 0;
  for (const match of text.matchAll(/0x[0-9a-fA-F]{4}…[0-9a-fA-F]{4}/g)) {
    parts.push(text.slice(last, match.index));
    parts.push(h('span', { class: 'nowrap' }, match[0]));
    last = (match.index ?? 0) + match[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

export function policyList(lines: PolicyLine[]): HTMLElement {
  return h(
    'ul',
    { class: 'limits', testid: 'session-limits' },
    lines.map((line) =>
      h(
        'li',
        { testid: 'session-limit', 'data-kind': line.kind, class: line.warning ? 'warn' : '' },
        h('span', {}, keepAddresses(line.text)),
        line.warning ? h('div', { testid: 'session-warning', class: 'warning' }, `⚠ ${line.warning}`) : null,
      ),
    ),
  );
}

/** One account an identity may recover, as the recovery screen shows it. */
export interface RecoveryRow {
  address: string;
  /** `none`: not started; `waiting`: started, the delay runs until `readyAt`; `ready`: may be finished. */
  state: 'none' | 'waiting' | 'ready';
  readyAt: number;
}

/**
 * Recovering an account with an OpenID identity: which account, where the recovery stands (the delay is
 * counted on chain), who pays the fees (the identity's own account), and the one next step.
 */
export function recoveryScreen(p: {
  dapp?: DappInfo;
  providerName: string;
  rows: RecoveryRow[];
  payer: { address: string; balance: string; onFund?: () => void };
  delayWords?: string;
  onStart: (address: string) => void;
  onFinish: (address: string) => void;
  onRefresh: () => void;
  onCancel: () => void;
}): HTMLElement {
  const when = (seconds: number) =>
    new Date(seconds * 1000).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  return screen(
    'screen-recover',
    {},
    p.dapp ? dappHeader(p.dapp) : null,
    h('h1', {}, `Recover your account with ${p.providerName}`),
    p.rows.length === 0
      ? h(
          'p',
          { testid: 'recover-none' },
          `No account has this ${p.providerName} identity as recovery. Add it on your account page while you still have your passkey.`,
        )
      : h(
          'p',
          { class: 'muted' },
          `This identity was added as recovery of the account below. Recovery has a waiting time${p.delayWords ? ` (${p.delayWords})` : ''}, so that you can stop someone else's attempt from your account page; after it, ${p.providerName} signs for the account.`,
        ),
    p.rows.map((row) =>
      h(
        'div',
        { testid: 'recover-row', class: 'session', 'data-state': row.state, 'data-account': row.address },
        accountLine(row.address, 'Account to recover'),
        h(
          'p',
          { testid: 'recover-status' },
          row.state === 'none'
            ? 'Not started.'
            : row.state === 'waiting'
              ? `Started. It can be finished from ${when(row.readyAt)} (chain time).`
              : 'The waiting time is over: finish the recovery to use the account.',
        ),
        buttons(
          row.state === 'none'
            ? h(
                'button',
                {
                  testid: 'recover-start',
                  class: 'primary',
                  type: 'button',
                  onclick: () => p.onStart(row.address),
                },
                'Start recovery',
              )
            : row.state === 'ready'
              ? h(
                  'button',
                  {
                    testid: 'recover-finish',
                    class: 'primary',
                    type: 'button',
                    onclick: () => p.onFinish(row.address),
                  },
                  'Finish recovery',
                )
              : h(
                  'button',
                  { testid: 'recover-refresh', class: 'secondary', type: 'button', onclick: p.onRefresh },
                  'Check again',
                ),
        ),
      ),
    ),
    p.rows.length > 0
      ? h(
          'div',
          { class: 'kv' },
          h('span', { class: 'muted' }, `Fees paid by your ${p.providerName} account`),
          h('span', { class: 'address nowrap', title: p.payer.address }, shortAddress(p.payer.address)),
          h('strong', { testid: 'recover-payer-balance' }, p.payer.balance),
          p.payer.onFund
            ? h(
                'button',
                { testid: 'recover-fund', class: 'link', type: 'button', onclick: p.payer.onFund },
                'Get 1 test ETH',
              )
            : null,
        )
      : null,
    buttons(
      h(
        'button',
        { testid: 'recover-back', class: 'secondary', type: 'button', onclick: p.onCancel },
        'Back',
      ),
    ),
  );
}
