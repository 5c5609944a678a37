import { normalizeSession, type SessionSpec, sessionHash } from '@zksso/core';
import { type SendCallsAccount, sessionSpecFromJson, sessionSpecToJson } from '@zksso/sdk';
import {
  type DappInfo,
  InvalidParamsError,
  PopupEndpointError,
  ProviderRpcError,
  type RequestMessage,
  servePopupRequests,
  UnauthorizedError,
  UserRejectedRequestError,
} from '@zksso/sdk/connector';
import { type Address, type Hex, hexToString, isAddress, isAddressEqual, isHex, numberToHex } from 'viem';
import { busy, h, show } from './dom.ts';
import { describeFailure } from './failure.ts';
import { estimateFee } from './fee.ts';
import {
  accountLine,
  approveButton,
  buttons,
  dappHeader,
  doneScreen,
  errorScreen,
  keepAddresses,
  loadingScreen,
  policyList,
  popupErrorScreen,
  rejectButton,
  screen,
  workingScreen,
} from './screens.ts';
import { type PageContext, signIn } from './signin.ts';
import { clearLogin, loadGrants, loadLogin, markRevoked, saveGrant } from './storage.ts';
import { grantSession, restoreAccount, revoke, send } from './wallet.ts';
import { describeSession, describeTxCall, eth, ethRounded, totalValue } from './wording.ts';

/** The user's answer on an approval screen. */
type Choice = 'approve' | 'reject';

function ask(build: (choose: (c: Choice) => void) => HTMLElement): Promise<Choice> {
  return new Promise((resolve) => show(build(resolve)));
}

/**
 * Runs `action` behind a working screen; on failure shows the error screen with "Try again" (runs it again)
 * and "Close" (answers the dapp with the failure, as a typed -32603 without internal detail).
 */
function perform<T>(dapp: DappInfo, text: string, action: () => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const run = () => {
      show(workingScreen(text, dapp));
      action().then(resolve, (error: unknown) => {
        const failure = describeFailure(error);
        show(
          errorScreen(failure, {
            dapp,
            onRetry: run,
            onClose: () =>
              reject(new ProviderRpcError(-32603, failure.title, { data: { reason: failure.code } })),
          }),
        );
      });
    };
    run();
  });
}

/** The approval part common to every screen: the dapp, the content, Approve / Reject. */
function approval(
  testid: string,
  request: RequestMessage,
  title: string,
  content: (HTMLElement | null)[],
  labels: { approve: string; reject: string },
  choose: (c: Choice) => void,
): HTMLElement {
  const element: HTMLElement = screen(
    testid,
    { method: request.method },
    dappHeader(request.dapp),
    h('h1', {}, title),
    ...content,
    buttons(
      rejectButton(labels.reject, () => {
        busy(element, true);
        choose('reject');
      }),
      approveButton(labels.approve, () => {
        busy(element, true);
        choose('approve');
      }),
    ),
  );
  return element;
}

const refused = (what: string) => new UserRejectedRequestError(`The user rejected ${what}`);

function paramObject(request: RequestMessage, index = 0): Record<string, unknown> {
  const value = request.params[index];
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidParamsError(`${request.method}: params[${index}] must be an object`);
  return value as Record<string, unknown>;
}

/** Serves one dapp in this popup: one screen per request, in order. */
export class PopupController {
  #account: SendCallsAccount | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #calls = new Map<string, { transactionHash: Hex }>();

  constructor(readonly ctx: PageContext) {}

  start(): void {
    show(loadingScreen('Waiting for the dapp…'));
    try {
      servePopupRequests({
        window,
        handle: (request) => {
          const next = this.#queue.then(() => this.#handle(request));
          this.#queue = next.catch(() => undefined);
          return next;
        },
      });
    } catch (error) {
      if (error instanceof PopupEndpointError) {
        const message =
          error.code === 'NO_OPENER'
            ? 'This window answers a dapp’s requests, so it only works when a dapp opens it. Go back to the dapp and connect from there.'
            : 'The address of this window does not say which site opened it. Go back to the dapp and connect again.';
        show(popupErrorScreen(error.code, message));
        return;
      }
      throw error;
    }
  }

  get #chainHex(): Hex {
    return numberToHex(this.ctx.network.chainId);
  }

  async #handle(request: RequestMessage): Promise<unknown> {
    try {
      const result = await this.#dispatch(request);
      show(doneScreen(`Done. You can go back to ${request.dapp.name}.`, request.dapp));
      return result;
    } catch (error) {
      show(
        error instanceof UserRejectedRequestError
          ? doneScreen(`Cancelled. You can go back to ${request.dapp.name}.`, request.dapp)
          : doneScreen(`${request.dapp.name} was told the request failed.`, request.dapp),
      );
      throw error;
    }
  }

  #dispatch(request: RequestMessage): Promise<unknown> {
    switch (request.method) {
      case 'eth_requestAccounts':
        return this.#connect(request);
      case 'wallet_grantPermissions':
        return this.#grant(request, paramObject(request));
      case 'personal_sign':
        return this.#personalSign(request);
      case 'eth_signTypedData_v4':
        return this.#signTypedData(request);
      case 'eth_sendTransaction':
        return this.#sendTransaction(request);
      case 'wallet_sendCalls':
        return this.#sendCalls(request);
      case 'wallet_revokePermissions':
        return this.#revoke(request);
      case 'wallet_showCallsStatus':
        return this.#showCallsStatus(request);
    }
  }

  /** The signed-in account, signing in first when needed; `address` must be it (else 4100). */
  async #requireAccount(request: RequestMessage, address?: unknown): Promise<SendCallsAccount> {
    if (!this.#account) {
      show(loadingScreen('Opening your wallet…'));
      this.#account =
        (await restoreAccount(this.ctx.network)) ?? (await signIn(this.ctx, request.dapp, request.method));
    }
    if (
      address !== undefined &&
      (typeof address !== 'string' || !isAddress(address) || !isAddressEqual(address, this.#account.address))
    )
      throw new UnauthorizedError('This request is for another account than the one signed in');
    return this.#account;
  }

  #checkChain(chainId: unknown): void {
    if (chainId !== undefined && String(chainId).toLowerCase() !== this.#chainHex)
      throw new ProviderRpcError(4901, `This auth server serves chain ${this.ctx.network.chainId} only`);
  }

  async #connect(request: RequestMessage): Promise<unknown> {
    const first = (request.params[0] ?? {}) as { chainId?: unknown; session?: unknown };
    this.#checkChain(first.chainId);
    const account = await this.#requireAccount(request);
    const login = loadLogin();
    const who =
      login?.kind === 'openid' ? `Signed in with ${login.provider}` : login ? 'Signed in with a passkey' : '';
    let switching = false;
    const choice = await ask((choose) =>
      approval(
        'screen-connect',
        request,
        `Connect to ${request.dapp.name}?`,
        [
          h(
            'p',
            { class: 'muted' },
            'The site will see your account address and can ask you to approve transactions and signatures.',
          ),
          accountLine(account.address),
          h(
            'p',
            { class: 'muted small' },
            who ? `${who}. ` : '',
            h(
              'button',
              {
                testid: 'switch-account',
                class: 'link',
                type: 'button',
                onclick: () => {
                  switching = true;
                  choose('reject');
                },
              },
              'Use another account',
            ),
          ),
        ],
        { approve: 'Connect', reject: 'Cancel' },
        choose,
      ),
    );
    if (switching) {
      // Sign out here (this origin), then sign in again for this same request.
      await clearLogin();
      this.#account = undefined;
      return this.#connect(request);
    }
    if (choice === 'reject') throw refused('the connection');
    const answer: Record<string, unknown> = { accounts: [account.address], chainId: this.#chainHex };
    if (first.session !== undefined) {
      try {
        answer.permissions = await this.#grant(request, first.session as Record<string, unknown>, true);
      } catch (error) {
        // Declining the session only still connects (docs/popup-protocol.md).
        if (!(error instanceof UserRejectedRequestError)) throw error;
      }
    }
    return answer;
  }

  /** Validates an ERC-7715 request for a zkSSO session (the dapp's own key as signer). */
  #specOf(request: Record<string, unknown>): SessionSpec {
    const { expiry, signer, permissions } = request as {
      expiry?: unknown;
      signer?: { type?: unknown; data?: { id?: unknown } };
      permissions?: { type?: unknown; data?: Record<string, unknown> }[];
    };
    if (!Array.isArray(permissions) || permissions.length !== 1 || permissions[0]?.type !== 'zksso-session')
      throw new InvalidParamsError("exactly one permission of type 'zksso-session' is supported");
    const data = permissions[0].data;
    const key = signer?.data?.id;
    if (typeof key !== 'string' || !isAddress(key))
      throw new InvalidParamsError('signer.data.id must be the session key address');
    if (!data || typeof data.signer !== 'string' || !isAddressEqual(data.signer as Address, key))
      throw new InvalidParamsError('the permission data.signer must equal signer.data.id');
    if (!Number.isSafeInteger(expiry) || String(data.expiresAt) !== String(expiry))
      throw new InvalidParamsError('expiry must equal data.expiresAt');
    try {
      return normalizeSession(sessionSpecFromJson(data));
    } catch (error) {
      throw new InvalidParamsError(`invalid session: ${(error as Error).message}`);
    }
  }

  async #grant(
    request: RequestMessage,
    params: Record<string, unknown>,
    withConnect = false,
  ): Promise<unknown> {
    this.#checkChain(params.chainId);
    const spec = this.#specOf(params);
    const account = await this.#requireAccount(request, params.address);
    const lines = describeSession(spec);
    const choice = await ask((choose) =>
      approval(
        'screen-session',
        request,
        `Allow ${request.dapp.name} to act without asking?`,
        [
          h(
            'p',
            { class: 'muted' },
            'Within these limits, enforced on chain, the site can send transactions from your account without showing this window:',
          ),
          policyList(lines),
          h('p', { class: 'muted small' }, 'You can revoke it at any time on your account page.'),
        ],
        { approve: 'Allow', reject: withConnect ? 'Connect without it' : 'Reject' },
        choose,
      ),
    );
    if (choice === 'reject') throw refused('the session');
    const { sessionHash: hash } = await perform(request.dapp, 'Creating the session on chain…', () =>
      grantSession(this.ctx.network, account, spec),
    );
    const json = sessionSpecToJson(spec);
    saveGrant({
      dappOrigin: request.dapp.origin,
      dappName: request.dapp.name,
      chainId: this.ctx.network.chainId,
      account: account.address,
      sessionHash: hash,
      spec: json,
      createdAt: Math.floor(Date.now() / 1000),
    });
    return {
      chainId: this.#chainHex,
      address: account.address,
      expiry: Number(spec.expiresAt),
      signer: { type: 'account', data: { id: spec.signer } },
      grantedPermissions: [{ type: 'zksso-session', data: json, policies: [] }],
      permissionsContext: sessionHash(spec),
    };
  }

  async #personalSign(request: RequestMessage): Promise<unknown> {
    const [message, address] = request.params as [unknown, unknown];
    if (typeof message !== 'string')
      throw new InvalidParamsError('personal_sign: params[0] must be the message');
    const account = await this.#requireAccount(request, address);
    const text = readableMessage(message);
    const choice = await ask((choose) =>
      approval(
        'screen-sign',
        request,
        'Sign this message?',
        [
          h('p', { class: 'muted' }, `${request.dapp.name} asks your account to sign:`),
          h('pre', { testid: 'sign-message', class: 'message' }, text),
          accountLine(account.address, 'Signing as'),
        ],
        { approve: 'Sign', reject: 'Reject' },
        choose,
      ),
    );
    if (choice === 'reject') throw refused('the signature');
    return perform(request.dapp, 'Signing…', () =>
      account.signMessage({ message: isHex(message) ? { raw: message } : message }),
    );
  }

  async #signTypedData(request: RequestMessage): Promise<unknown> {
    const [address, json] = request.params as [unknown, unknown];
    let typed: { domain?: unknown; message?: unknown; primaryType?: unknown; types?: unknown };
    try {
      typed = typeof json === 'string' ? JSON.parse(json) : (json as typeof typed);
    } catch {
      throw new InvalidParamsError('eth_signTypedData_v4: params[1] must be typed data JSON');
    }
    if (!typed || typeof typed !== 'object' || typeof typed.primaryType !== 'string')
      throw new InvalidParamsError(
        'eth_signTypedData_v4: typed data needs types, primaryType, domain, message',
      );
    const account = await this.#requireAccount(request, address);
    const choice = await ask((choose) =>
      approval(
        'screen-sign-typed',
        request,
        `Sign ${String(typed.primaryType)}?`,
        [
          h('p', { class: 'muted small' }, 'Domain'),
          h('pre', { testid: 'typed-domain', class: 'message' }, JSON.stringify(typed.domain ?? {}, null, 2)),
          h('p', { class: 'muted small' }, 'Message'),
          h(
            'pre',
            { testid: 'typed-message', class: 'message' },
            JSON.stringify(typed.message ?? {}, null, 2),
          ),
          accountLine(account.address, 'Signing as'),
        ],
        { approve: 'Sign', reject: 'Reject' },
        choose,
      ),
    );
    if (choice === 'reject') throw refused('the signature');
    return perform(request.dapp, 'Signing…', () => account.signTypedData(typed as never));
  }

  async #sendTransaction(request: RequestMessage): Promise<unknown> {
    const tx = paramObject(request);
    this.#checkChain(tx.chainId);
    if (typeof tx.to !== 'string' || !isAddress(tx.to))
      throw new InvalidParamsError('eth_sendTransaction: `to` must be an address');
    return this.#approveAndSend(request, tx.from, [callOf(tx)], undefined);
  }

  async #sendCalls(request: RequestMessage): Promise<unknown> {
    const batch = paramObject(request);
    this.#checkChain(batch.chainId);
    if (!Array.isArray(batch.calls) || batch.calls.length === 0)
      throw new InvalidParamsError('wallet_sendCalls: calls must be a non-empty list');
    const capabilities = (batch.capabilities ?? {}) as Record<string, { optional?: boolean } | undefined>;
    for (const [name, capability] of Object.entries(capabilities))
      if (!capability?.optional)
        throw new ProviderRpcError(5700, `The capability ${name} is not supported by this auth server`);
    const calls = batch.calls.map((c: unknown) => {
      const call = (c ?? {}) as Record<string, unknown>;
      if (typeof call.to !== 'string' || !isAddress(call.to))
        throw new InvalidParamsError('wallet_sendCalls: each call needs `to`');
      return callOf(call);
    });
    return this.#approveAndSend(
      request,
      batch.from,
      calls,
      typeof batch.id === 'string' ? batch.id : undefined,
    );
  }

  async #approveAndSend(
    request: RequestMessage,
    from: unknown,
    calls: { to: Address; value?: bigint; data?: Hex }[],
    id: string | undefined,
  ): Promise<unknown> {
    const account = await this.#requireAccount(request, from);
    const fee = h('span', { testid: 'tx-fee' }, 'estimating…');
    estimateFee(this.ctx.network, account, calls).then(
      (max) => {
        fee.textContent = `at most ${ethRounded(max)}`;
      },
      () => {
        fee.textContent = 'could not be estimated (paid by your account)';
      },
    );
    const described = calls.map(describeTxCall);
    const choice = await ask((choose) =>
      approval(
        'screen-send',
        request,
        calls.length > 1 ? `Send these ${calls.length} calls together?` : 'Send this transaction?',
        [
          h(
            'ul',
            { class: 'calls' },
            described.map((d) =>
              h(
                'li',
                { testid: 'tx-call' },
                keepAddresses(d.text),
                d.warning ? h('div', { testid: 'tx-warning', class: 'warning' }, `⚠ ${d.warning}`) : null,
              ),
            ),
          ),
          h(
            'div',
            { class: 'kv' },
            h('span', { class: 'muted' }, 'Total sent'),
            h('strong', { testid: 'tx-value' }, eth(totalValue(calls))),
          ),
          h('div', { class: 'kv' }, h('span', { class: 'muted' }, 'Network fee'), fee),
          accountLine(account.address, 'From'),
          calls.length > 1
            ? h('p', { class: 'muted small' }, 'All calls succeed together or none does.')
            : null,
        ],
        { approve: 'Send', reject: 'Reject' },
        choose,
      ),
    );
    if (choice === 'reject') throw refused('the transaction');
    const sent = await perform(request.dapp, 'Sending… (waiting for the transaction to be included)', () =>
      send(this.ctx.network, account, calls),
    );
    const answerId = id ?? sent.userOpHash;
    this.#calls.set(answerId, { transactionHash: sent.transactionHash });
    return {
      id: answerId,
      transactionHash: sent.transactionHash,
      success: sent.success,
      userOpHash: sent.userOpHash,
    };
  }

  async #revoke(request: RequestMessage): Promise<unknown> {
    const params = paramObject(request);
    const hash = params.permissionsContext;
    if (typeof hash !== 'string' || !isHex(hash) || hash.length !== 66)
      throw new InvalidParamsError('wallet_revokePermissions: permissionsContext must be the session hash');
    this.#checkChain(params.chainId);
    const account = await this.#requireAccount(request, params.address);
    const grant = loadGrants().find((g) => g.sessionHash.toLowerCase() === hash.toLowerCase());
    const choice = await ask((choose) =>
      approval(
        'screen-revoke',
        request,
        `Revoke ${request.dapp.name}'s session?`,
        [
          h('p', { class: 'muted' }, 'The site will need your approval again for every transaction.'),
          grant
            ? policyList(describeSession(sessionSpecFromJson(grant.spec)))
            : h('code', { class: 'address' }, hash),
        ],
        { approve: 'Revoke', reject: 'Keep it' },
        choose,
      ),
    );
    if (choice === 'reject') throw refused('the revocation');
    await perform(request.dapp, 'Revoking the session on chain…', () =>
      revoke(this.ctx.network, account, hash as Hex),
    );
    markRevoked(hash as Hex);
    return null;
  }

  async #showCallsStatus(request: RequestMessage): Promise<unknown> {
    const [id, info] = request.params as [unknown, { transactionHash?: unknown } | undefined];
    const known = typeof id === 'string' ? this.#calls.get(id) : undefined;
    const transactionHash = known?.transactionHash ?? info?.transactionHash;
    if (typeof transactionHash !== 'string' || !isHex(transactionHash))
      throw new ProviderRpcError(5730, 'Unknown calls id');
    const { status } = await import('./receipt.ts').then((m) =>
      m.receiptStatus(this.ctx.network, transactionHash),
    );
    const words = { success: 'Confirmed', reverted: 'Reverted', pending: 'Pending' }[status];
    await new Promise<void>((resolve) =>
      show(
        screen(
          'screen-calls-status',
          { method: request.method },
          dappHeader(request.dapp),
          h('h1', {}, 'Transaction status'),
          h(
            'div',
            { class: 'kv' },
            h('span', { class: 'muted' }, 'Status'),
            h('strong', { testid: 'calls-status', class: `status-${status}` }, words),
          ),
          h(
            'div',
            { class: 'kv' },
            h('span', { class: 'muted' }, 'Transaction'),
            h('code', { testid: 'tx-hash', class: 'address' }, transactionHash),
          ),
          buttons(
            h(
              'button',
              { testid: 'close', class: 'primary', type: 'button', onclick: () => resolve() },
              'Close',
            ),
          ),
        ),
      ),
    );
    return null;
  }
}

function callOf(c: Record<string, unknown>): { to: Address; value?: bigint; data?: Hex } {
  const value = c.value === undefined || c.value === null ? undefined : BigInt(c.value as string);
  const data = typeof c.data === 'string' && isHex(c.data) && c.data !== '0x' ? (c.data as Hex) : undefined;
  return { to: c.to as Address, ...(value ? { value } : {}), ...(data ? { data } : {}) };
}

/** A personal_sign message as text when it is printable UTF-8, else its hex. */
export function readableMessage(message: string): string {
  if (!isHex(message)) return message;
  try {
    const text = hexToString(message);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters mean "not text"
    if (!/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text)) return text;
  } catch {}
  return message;
}
