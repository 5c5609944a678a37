import { type SendCallsAccount, sessionSpecFromJson } from '@zksso/sdk';
import type { Hex } from 'viem';
import { busy, h, show } from './dom.ts';
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
  addNewPasskey,
  addOpenIdRecovery,
  balanceOf,
  removeAccountPasskey,
  restoreAccount,
  revoke,
  sessionState,
} from './wallet.ts';
import { describeSession, eth, ethRounded, shortAddress, usageWords } from './wording.ts';

const EXTRA_IDENTITIES = 'zksso.identities';

/** Identities added from this page (the chain is the authority; this is what the page remembers to show). */
interface ExtraIdentity {
  account: string;
  kind: 'passkey' | 'openid';
  label: string;
  credentialId?: Hex;
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

  #identities(): HTMLElement {
    const login = loadLogin();
    const account = this.#account;
    if (!account) return h('div', {});
    const extra = loadExtra(account.address);
    const rows: HTMLElement[] = [];
    if (login?.kind === 'openid')
      rows.push(
        h(
          'li',
          { testid: 'identity-row', 'data-kind': 'openid' },
          h('strong', {}, login.provider),
          h('span', { class: 'muted small' }, ` OpenID · ${login.session.issuer}`),
        ),
      );
    if (login?.kind === 'passkey')
      rows.push(
        h(
          'li',
          { testid: 'identity-row', 'data-kind': 'passkey' },
          h('strong', {}, `Passkey${login.name ? ` “${login.name}”` : ''}`),
          h(
            'span',
            { class: 'muted small' },
            ` · this device · ${shortAddress(login.passkey.credentialId.padEnd(42, '0'))}`,
          ),
        ),
      );
    for (const identity of extra)
      rows.push(
        h(
          'li',
          { testid: 'identity-row', 'data-kind': identity.kind },
          h('strong', {}, identity.label),
          identity.kind === 'openid' ? h('span', { class: 'muted small' }, ' · recovery') : null,
          identity.kind === 'passkey' && identity.credentialId
            ? h(
                'button',
                {
                  testid: 'passkey-remove',
                  class: 'link danger',
                  type: 'button',
                  onclick: () =>
                    void this.#act('Removing the passkey…', async () => {
                      await removeAccountPasskey(this.ctx.network, account, identity.credentialId as Hex);
                      saveExtra((all) => all.filter((i) => i.credentialId !== identity.credentialId));
                    }),
                },
                'Remove',
              )
            : null,
        ),
      );
    const name = h('input', {
      testid: 'passkey-add-name',
      type: 'text',
      placeholder: 'Name of the new passkey',
      maxlength: 64,
    });
    return h(
      'div',
      { testid: 'identities' },
      h('ul', { class: 'identities' }, rows),
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
    );
  }

  async #fund(): Promise<void> {
    const account = this.#account;
    if (!account) return;
    const rpc = async (method: string, params: unknown[]) => {
      const response = await fetch('/rpc', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      });
      const body = (await response.json()) as { result?: unknown; error?: { message: string } };
      if (body.error) throw new Error(body.error.message);
      return body.result;
    };
    const current = BigInt((await rpc('eth_getBalance', [account.address, 'latest'])) as string);
    await rpc('anvil_setBalance', [account.address, `0x${(current + 10n ** 18n).toString(16)}`]);
  }

  async #signOut(): Promise<void> {
    await clearLogin();
    this.#account = undefined;
    await this.start();
  }
}
