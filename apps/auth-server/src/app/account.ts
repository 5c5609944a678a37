import {
  type AccountPasskey,
  type GetAccountCredentialsReturnType,
  type SendCallsAccount,
  sessionSpecFromJson,
} from '@zksso/sdk';
import type { Hex } from 'viem';
import { busy, type Child, h, show } from './dom.ts';
import { describeFailure } from './failure.ts';
import {
  accountLine,
  errorScreen,
  keepAddresses,
  loadingScreen,
  policyList,
  screen,
  workingScreen,
} from './screens.ts';
import { type PageContext, passkeysAvailable, proveIdentity, signIn } from './signin.ts';
import { clearLogin, type GrantRecord, loadGrants, loadLogin, markRevoked } from './storage.ts';
import {
  accountCredentials,
  addNewPasskey,
  addOpenIdRecovery,
  balanceOf,
  devFund,
  removeAccountPasskey,
  removeRecovery,
  replaceIdentity,
  restoreAccount,
  revoke,
  sessionState,
} from './wallet.ts';
import { describeSession, eth, ethRounded, shortAddress, usageWords } from './wording.ts';

const EXTRA_IDENTITIES = 'zksso.identities';

/** Identities added from this page (the chain is the authority; this is what the page remembers to show). */
interface ExtraIdentity {
  account: string;
  /** `openid`: a recovery identity; `openid-primary`: the identity that signs in (after a replacement). */
  kind: 'passkey' | 'openid' | 'openid-primary';
  label: string;
  credentialId?: Hex;
  /** For OpenID identities: the idc (decimal), to match the chain's. */
  idc?: string;
}

function loadExtra(account: string): ExtraIdentity[] {
  try {
    const all = JSON.parse(localStorage.getItem(EXTRA_IDENTITIES) ?? '[]') as ExtraIdentity[];
    return all.filter((i) => i.account.toLowerCase() === account.toLowerCase());
  } catch {
    return [];
  }
}

function saveExtra(list: (all: ExtraIdentity[]) => ExtraIdentity[]): void {
  let all: ExtraIdentity[] = [];
  try {
    all = JSON.parse(localStorage.getItem(EXTRA_IDENTITIES) ?? '[]') as ExtraIdentity[];
  } catch {}
  localStorage.setItem(EXTRA_IDENTITIES, JSON.stringify(list(all)));
}

/** The account page: address, balance, sessions per dapp (usage, revoke), identities (passkeys, recovery). */
export class AccountPage {
  #account: SendCallsAccount | undefined;

  constructor(readonly ctx: PageContext) {}

  async start(): Promise<void> {
    show(loadingScreen('Opening your wallet…'));
    this.#account =
      (await restoreAccount(this.ctx.network)) ?? (await signIn(this.ctx, undefined, undefined, false));
    await this.render();
  }

  /** Runs an action with a working screen; an error shows the error screen, then the page again. */
  async #act(text: string, action: () => Promise<unknown>): Promise<void> {
    show(workingScreen(text));
    try {
      await action();
    } catch (error) {
      await new Promise<void>((resolve) =>
        show(
          errorScreen(describeFailure(error), {
            onClose: resolve,
            closeLabel: 'Back to the account',
            onRetry: resolve,
          }),
        ),
      );
    }
    await this.render();
  }

  async render(): Promise<void> {
    const account = this.#account;
    if (!account) return;
    const { network, config } = this.ctx;
    const balance = h('strong', { testid: 'account-balance' }, '…');
    balanceOf(network, account.address).then(
      (wei) => {
        balance.textContent = ethRounded(wei, 6);
        balance.title = eth(wei);
      },
      () => {
        balance.textContent = 'unavailable (chain unreachable)';
      },
    );
    const grants = loadGrants().filter(
      (g) => g.account.toLowerCase() === account.address.toLowerCase() && g.chainId === network.chainId,
    );
    const page = screen(
      'screen-account',
      {},
      h(
        'header',
        { class: 'page-head' },
        h('h1', {}, `${config.walletName} account`),
        h(
          'div',
          { class: 'actions compact' },
          h(
            'button',
            { testid: 'refresh', class: 'secondary', type: 'button', onclick: () => void this.render() },
            'Refresh',
          ),
          h(
            'button',
            { testid: 'signout', class: 'secondary', type: 'button', onclick: () => void this.#signOut() },
            'Sign out',
          ),
        ),
      ),
      accountLine(account.address),
      h(
        'div',
        { class: 'kv' },
        h('span', { class: 'muted' }, 'Balance'),
        balance,
        config.dev
          ? h(
              'button',
              {
                testid: 'account-fund',
                class: 'link',
                type: 'button',
                onclick: () => void this.#act('Adding 1 test ETH…', () => this.#fund()),
              },
              'Get 1 test ETH',
            )
          : null,
      ),
      h('h2', {}, 'Sessions granted to dapps'),
      h(
        'div',
        { testid: 'account-sessions' },
        grants.length === 0
          ? h('p', { class: 'muted' }, 'No dapp has a session: each transaction asks for your approval.')
          : grants.map((g) => this.#sessionRow(g)),
      ),
      h('h2', {}, 'Who controls this account'),
      this.#identities(),
    );
    show(page);
  }

  #sessionRow(g: GrantRecord): HTMLElement {
    const status = h('span', { class: 'badge' }, g.revoked ? 'revoked' : '…');
    const usage = h('ul', { class: 'usage' });
    const row = h(
      'div',
      {
        testid: 'session-row',
        class: 'session',
        'data-session-hash': g.sessionHash,
        'data-status': g.revoked ? 'revoked' : 'loading',
      },
      h(
        'div',
        { class: 'session-head' },
        h(
          'div',
          {},
          h('strong', { testid: 'session-dapp' }, g.dappName),
          ' ',
          h('span', { class: 'muted small' }, g.dappOrigin),
        ),
        status,
      ),
      policyList(describeSession(sessionSpecFromJson(g.spec))),
      usage,
      g.revoked
        ? null
        : h(
            'button',
            {
              testid: 'session-revoke',
              class: 'danger',
              type: 'button',
              onclick: (event) => {
                busy(row, true);
                void event;
                void this.#act(`Revoking ${g.dappName}'s session…`, async () => {
                  if (this.#account) await revoke(this.ctx.network, this.#account, g.sessionHash);
                  markRevoked(g.sessionHash);
                });
              },
            },
            'Revoke',
          ),
    );
    sessionState(this.ctx.network, g).then(
      (state) => {
        status.textContent = state.status;
        row.dataset.status = state.status;
        usage.replaceChildren(
          ...state.limits.map((l) => h('li', { testid: 'session-usage' }, keepAddresses(usageWords(l)))),
        );
        if (state.status !== 'active') row.querySelector('[data-testid="session-revoke"]')?.remove();
      },
      () => {
        status.textContent = 'unknown';
        row.dataset.status = 'unknown';
      },
    );
    return row;
  }

  /**
   * Who controls the account, read from the chain (passkeys, OpenID identity, recovery identities), with
   * the names this page remembers for what it added. Before the first transaction the account is not on
   * chain yet: the sign-in's own identity is shown.
   */
  #identities(): HTMLElement {
    const account = this.#account;
    if (!account) return h('div', {});
    const box = h(
      'div',
      { testid: 'identities', 'data-state': 'loading' },
      h('p', { class: 'muted small' }, 'Reading from the chain…'),
    );
    accountCredentials(this.ctx.network, account.address).then(
      (credentials) => {
        box.replaceChildren(
          h('div', {}, this.#identityRows(account, credentials), this.#identityActions(account)),
        );
        box.dataset.state = 'ready';
      },
      () => {
        box.replaceChildren(h('p', { class: 'muted small' }, 'unavailable (chain unreachable)'));
        box.dataset.state = 'error';
      },
    );
    return box;
  }

  #identityRows(account: SendCallsAccount, c: GetAccountCredentialsReturnType): Child[] {
    const login = loadLogin();
    const extra = loadExtra(account.address);
    const deployed = c.passkeys.length > 0 || c.openId !== undefined;
    const rows: HTMLElement[] = [];
    const row = (kind: string, ...children: Child[]) =>
      h('li', { testid: 'identity-row', 'data-kind': kind }, ...children);
    if (!deployed) {
      rows.push(
        login?.kind === 'openid'
          ? row(
              'openid',
              h('strong', {}, login.provider),
              h('span', { class: 'muted small' }, ` OpenID · ${login.session.issuer}`),
            )
          : login?.kind === 'passkey'
            ? row(
                'passkey',
                h('strong', {}, `Passkey${login.name ? ` “${login.name}”` : ''}`),
                h('span', { class: 'muted small' }, ' · this device'),
              )
            : row('unknown', h('span', { class: 'muted' }, 'Unknown')),
      );
      rows.push(
        h('li', { class: 'muted small' }, 'Not on chain yet: your first transaction deploys the account.'),
      );
      return [h('ul', { class: 'identities' }, rows)];
    }
    const signedInWith = login?.kind === 'passkey' ? login.passkey.credentialId.toLowerCase() : undefined;
    for (const passkey of c.passkeys) {
      const id = passkey.credentialId.toLowerCase();
      const known = extra.find((i) => i.credentialId?.toLowerCase() === id);
      const mine = id === signedInWith;
      const name =
        known?.label ??
        (mine && login?.kind === 'passkey' && login.name ? `Passkey “${login.name}”` : 'Passkey');
      rows.push(this.#passkeyRow(account, c, passkey, name, mine));
    }
    if (c.openId) {
      const { issHash, idc } = c.openId;
      const same =
        login?.kind === 'openid' &&
        BigInt(login.session.issHash) === issHash &&
        BigInt(login.session.idc) === idc;
      const known = extra.find((i) => i.kind === 'openid-primary' && i.idc === idc.toString());
      const r = row(
        'openid',
        h(
          'strong',
          {},
          same && login?.kind === 'openid' ? login.provider : (known?.label ?? 'OpenID identity'),
        ),
        h('span', { class: 'muted small' }, ` · signs in · ${same ? 'this sign-in' : `idc ${short(idc)}`}`),
      );
      r.dataset.idc = idc.toString();
      rows.push(r);
    }
    for (const recovery of c.recovery) {
      const known = extra.find(
        (i) =>
          (recovery.kind === 'openid' && i.kind === 'openid' && i.idc === recovery.idc?.toString()) ||
          (recovery.kind === 'passkey' &&
            i.credentialId?.toLowerCase() === recovery.credentialId?.toLowerCase()),
      );
      const pending = recovery.readyAt > 0;
      const r = h(
        'li',
        {
          testid: 'recovery-row',
          'data-kind': recovery.kind,
          'data-state': pending ? 'pending' : 'dormant',
        },
        h('strong', {}, known?.label ?? (recovery.kind === 'openid' ? 'OpenID identity' : 'Passkey')),
        h(
          'span',
          { class: pending ? 'warning-text small' : 'muted small' },
          pending
            ? ` · recovery started: it takes over the account from ${new Date(recovery.readyAt * 1000).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })} unless you remove it`
            : c.openId && recovery.kind === 'openid' && recovery.idc === c.openId.idc
              ? ' · recovery (it signs in now too)'
              : ' · recovery',
        ),
        h(
          'button',
          {
            testid: 'recovery-remove',
            class: 'link danger',
            type: 'button',
            onclick: () =>
              void this.#act('Removing the recovery identity…', () =>
                removeRecovery(this.ctx.network, account, recovery),
              ),
          },
          pending ? 'Stop and remove' : 'Remove',
        ),
      );
      rows.push(r);
    }
    const delay = c.recoveryDelaySeconds;
    return [
      h('ul', { class: 'identities' }, rows),
      c.openId && login?.kind === 'passkey'
        ? h(
            'div',
            { class: 'stack' },
            this.ctx.config.providers.map((provider) =>
              h(
                'button',
                {
                  testid: `identity-replace-${provider.id}`,
                  class: 'secondary',
                  type: 'button',
                  onclick: () => {
                    // The provider's window opens inside this click; the passkey then signs the change.
                    const identity = proveIdentity(this.ctx, provider);
                    void this.#act(`Replacing the OpenID identity with ${provider.name}…`, async () => {
                      const proved = await identity;
                      show(workingScreen('Follow your browser to sign the change with your passkey…'));
                      await replaceIdentity(this.ctx.network, account, proved);
                      saveExtra((all) => [
                        ...all,
                        {
                          account: account.address,
                          kind: 'openid-primary',
                          label: `${provider.name} (${proved.issuer})`,
                          idc: proved.idc.toString(),
                        },
                      ]);
                    });
                  },
                },
                `Replace the OpenID identity (sign in with ${provider.name})`,
              ),
            ),
          )
        : null,
      delay !== undefined && c.recovery.length > 0
        ? h(
            'p',
            { class: 'muted small' },
            `A recovery waits ${delayWords(delay)} before it takes over; you can stop it here meanwhile.`,
          )
        : null,
    ];
  }

  /**
   * A passkey with its Remove button. The last passkey is removed by uninstalling the WebAuthnValidator (the SDK
   * does it), which only an account with its OpenID identity may do: it then signs in with that identity alone,
   * so the button asks first. Otherwise, and for the passkey signing now (removing it would sign this page out
   * with a dead key), the button is disabled with the reason beside it.
   */
  #passkeyRow(
    account: SendCallsAccount,
    c: GetAccountCredentialsReturnType,
    passkey: AccountPasskey,
    name: string,
    mine: boolean,
  ): HTMLElement {
    const id = passkey.credentialId.toLowerCase();
    const last = c.passkeys.length === 1;
    const blocked =
      last && !c.openId
        ? 'Your only way to sign in: add another passkey or recover with an OpenID identity before removing it.'
        : mine
          ? 'You are signed in with this passkey: sign in another way to remove it.'
          : undefined;
    const remove = () =>
      void this.#act(
        last ? 'Removing passkey sign-in from this account…' : 'Removing the passkey…',
        async () => {
          await removeAccountPasskey(this.ctx.network, account, passkey.credentialId);
          saveExtra((all) => all.filter((i) => i.credentialId?.toLowerCase() !== id));
        },
      );
    const head = [
      h('strong', {}, name),
      h(
        'span',
        { class: 'muted small' },
        ` · ${mine ? 'this device · ' : ''}${shortAddress(id.padEnd(42, '0'))}`,
      ),
    ];
    const r = h('li', {
      testid: 'identity-row',
      'data-kind': 'passkey',
      'data-last': last ? 'true' : 'false',
    });
    r.dataset.credentialId = passkey.credentialId;
    const showRow = () =>
      r.replaceChildren(
        ...head,
        h(
          'button',
          {
            testid: 'passkey-remove',
            class: 'link danger',
            type: 'button',
            disabled: blocked !== undefined,
            'aria-describedby': blocked ? `why-${id}` : undefined,
            // Not the last passkey: removed at once, as before. The last: say what it means first.
            onclick: () => (last ? showConfirm() : remove()),
          },
          'Remove',
        ),
        ...(blocked
          ? [h('p', { id: `why-${id}`, class: 'note muted small', testid: 'passkey-remove-why' }, blocked)]
          : []),
      );
    const showConfirm = () =>
      r.replaceChildren(
        ...head,
        h(
          'div',
          { class: 'note warning', testid: 'passkey-remove-confirm-box' },
          'This is the last passkey: removing it removes passkey sign-in from this account. Only its OpenID ' +
            'identity will sign in, and this passkey (lost or stolen) no longer signs anything.',
        ),
        h(
          'div',
          { class: 'note actions compact' },
          h(
            'button',
            { testid: 'passkey-remove-confirm', class: 'danger', type: 'button', onclick: remove },
            'Remove passkey sign-in',
          ),
          h(
            'button',
            { testid: 'passkey-remove-cancel', class: 'secondary', type: 'button', onclick: showRow },
            'Cancel',
          ),
        ),
      );
    showRow();
    return r;
  }

  #identityActions(account: SendCallsAccount): Child[] {
    const name = h('input', {
      testid: 'passkey-add-name',
      type: 'text',
      placeholder: 'Name of the new passkey',
      maxlength: 64,
    });
    return [
      passkeysAvailable()
        ? h(
            'div',
            { class: 'row' },
            name,
            h(
              'button',
              {
                testid: 'passkey-add',
                class: 'secondary',
                type: 'button',
                onclick: () =>
                  void this.#act(
                    'Follow your browser to create the passkey, then it is added on chain…',
                    async () => {
                      const label = name.value.trim() || 'Passkey';
                      const passkey = await addNewPasskey(this.ctx.network, account, this.ctx.rpId, label);
                      saveExtra((all) => [
                        ...all,
                        {
                          account: account.address,
                          kind: 'passkey',
                          label: `Passkey “${label}”`,
                          credentialId: passkey.credentialId,
                        },
                      ]);
                    },
                  ),
              },
              'Add a passkey',
            ),
          )
        : null,
      this.ctx.network.recoveryModule
        ? h(
            'div',
            { class: 'stack' },
            this.ctx.config.providers.map((provider) =>
              h(
                'button',
                {
                  testid: `recovery-add-openid-${provider.id}`,
                  class: 'secondary',
                  type: 'button',
                  onclick: () => {
                    // The provider's window opens inside this click; the rest follows.
                    const identity = proveIdentity(this.ctx, provider);
                    void this.#act(`Adding ${provider.name} as recovery…`, async () => {
                      const proved = await identity;
                      show(workingScreen(`Adding ${provider.name} as recovery on chain…`));
                      await addOpenIdRecovery(this.ctx.network, account, proved);
                      saveExtra((all) => [
                        ...all,
                        {
                          account: account.address,
                          kind: 'openid',
                          label: `${provider.name} (${proved.issuer})`,
                          idc: proved.idc.toString(),
                        },
                      ]);
                    });
                  },
                },
                `Add ${provider.name} as recovery`,
              ),
            ),
          )
        : null,
    ];
  }

  async #fund(): Promise<void> {
    if (this.#account) await devFund(this.#account.address);
  }

  async #signOut(): Promise<void> {
    await clearLogin();
    this.#account = undefined;
    await this.start();
  }
}

/** A long decimal shortened for display: `1234567…890`. */
function short(value: bigint): string {
  const text = value.toString();
  return text.length > 12 ? `${text.slice(0, 6)}…${text.slice(-4)}` : text;
}

/** A recovery delay in words: `2 days`, `1 day`, `36 hours`. */
function delayWords(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} day${seconds === 86_400 ? '' : 's'}`;
  return `${Math.round(seconds / 3600)} hours`;
}
