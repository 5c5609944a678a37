import { errorFromWire, PopupError, type ProviderRpcError, UserRejectedRequestError } from './errors.ts';
import {
  type DappInfo,
  newRequestId,
  type PopupMethod,
  parseMessage,
  popupUrl,
  type RequestMessage,
  requestMessage,
} from './protocol.ts';
import type { HostWindowLike, MessageEventLike, WindowProxyLike } from './window-like.ts';

/** Default wait for one answer: a first login makes a zero-knowledge proof (a minute or more). */
export const DEFAULT_POPUP_TIMEOUT_MS = 10 * 60_000;
/** How often `popup.closed` is read (browsers send no event when a cross-origin popup closes). */
export const DEFAULT_POPUP_POLL_MS = 250;
const DEFAULT_FEATURES = 'popup=yes,width=440,height=720';

/**
 * Options of {@link PopupCommunicator}.
 *
 * @example
 * ```ts
 * const options: PopupCommunicatorOptions = { authServerUrl: 'https://auth.example', dapp: { name: 'Shop' }, window };
 * ```
 */
export interface PopupCommunicatorOptions {
  /** The auth server's base URL; its origin is the only one whose messages are accepted. */
  authServerUrl: string;
  /** Name and icon shown on the approval screens (the origin is added from `window.location`). */
  dapp: Omit<DappInfo, 'origin'>;
  /** The dapp page's window (a fake one in tests). */
  window: HostWindowLike;
  timeoutMs?: number;
  pollIntervalMs?: number;
  /** `window.open` features. */
  features?: string;
}

interface Pending {
  message: RequestMessage;
  resolve: (value: unknown) => void;
  reject: (error: ProviderRpcError) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The dapp side of the popup protocol: opens the auth server's popup, waits for its `ready`, sends
 * requests and matches the answers by id. Messages count only when `event.origin` is the auth server's
 * origin AND `event.source` is the popup this communicator opened; everything else is ignored. A popup
 * the browser blocked rejects at once ({@link PopupError} `POPUP_BLOCKED`), a popup the user closed
 * rejects every open request with 4001, and each request has a timeout (`POPUP_TIMEOUT`). The popup is
 * closed when no request is left open.
 *
 * `request` calls `window.open` synchronously, so call it straight from the click handler: browsers
 * block popups opened after the user's gesture has expired.
 *
 * @example
 * ```ts
 * const communicator = new PopupCommunicator({ authServerUrl: 'https://auth.zksso.example', dapp: { name: 'Shop' }, window });
 * button.onclick = async () => {
 *   const { accounts } = (await communicator.request('eth_requestAccounts', [{ chainId: '0x1' }])) as { accounts: string[] };
 * };
 * ```
 */
export class PopupCommunicator {
  readonly authOrigin: string;
  readonly #options: PopupCommunicatorOptions;
  readonly #dapp: DappInfo;
  readonly #pending = new Map<string, Pending>();
  #popup: WindowProxyLike | undefined;
  #ready = false;
  #poll: ReturnType<typeof setInterval> | undefined;
  readonly #onMessage = (event: MessageEventLike): void => this.#receive(event);

  constructor(options: PopupCommunicatorOptions) {
    this.#options = options;
    this.authOrigin = new URL(options.authServerUrl).origin;
    this.#dapp = { ...options.dapp, origin: options.window.location.origin };
  }

  /** Requests waiting for an answer. @example `communicator.pendingCount; // 0` */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /**
   * Sends one request to the popup (opening it when needed) and resolves with the popup's `result`.
   *
   * @throws (rejects) PopupError (`POPUP_BLOCKED`, `POPUP_TIMEOUT`), UserRejectedRequestError (4001: refused
   * in the popup or popup closed), or the ProviderRpcError the popup answered with.
   * @example
   * ```ts
   * const signature = await communicator.request('personal_sign', [messageHex, account]);
   * ```
   */
  request(method: PopupMethod, params: readonly unknown[]): Promise<unknown> {
    let popup: WindowProxyLike;
    try {
      popup = this.#ensurePopup();
    } catch (error) {
      return Promise.reject(error);
    }
    const message = requestMessage(newRequestId(), method, params, this.#dapp);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#settle(message.id, () =>
          reject(new PopupError('POPUP_TIMEOUT', `No answer from the zkSSO popup to ${method} in time`)),
        );
      }, this.#options.timeoutMs ?? DEFAULT_POPUP_TIMEOUT_MS);
      this.#pending.set(message.id, { message, resolve, reject, timer });
      if (this.#ready) popup.postMessage(message, this.authOrigin);
    });
  }

  /**
   * Closes the popup; open requests reject with 4001 as if the user had closed it.
   *
   * @example
   * ```ts
   * window.addEventListener('pagehide', () => communicator.close());
   * ```
   */
  close(): void {
    this.#popup?.close();
    this.#onClosed();
  }

  #ensurePopup(): WindowProxyLike {
    // Closed since the last poll: its open requests are refused before a new popup opens.
    if (this.#popup?.closed) this.#onClosed();
    if (this.#popup) {
      this.#popup.focus?.();
      return this.#popup;
    }
    const url = popupUrl(this.#options.authServerUrl, this.#dapp.origin);
    const popup = this.#options.window.open(url, '_blank', this.#options.features ?? DEFAULT_FEATURES);
    if (!popup)
      throw new PopupError(
        'POPUP_BLOCKED',
        'The browser blocked the zkSSO popup: allow popups for this site',
      );
    this.#popup = popup;
    this.#ready = false;
    this.#options.window.addEventListener('message', this.#onMessage);
    this.#poll = setInterval(() => {
      if (popup.closed) this.#onClosed();
    }, this.#options.pollIntervalMs ?? DEFAULT_POPUP_POLL_MS);
    return popup;
  }

  #receive(event: MessageEventLike): void {
    // Both checks: the origin alone admits any other window of the auth server's origin; the source alone
    // admits the popup after it navigated to another site.
    if (!this.#popup || event.source !== this.#popup || event.origin !== this.authOrigin) return;
    const message = parseMessage(event.data);
    if (!message) return;
    if (message.type === 'ready') {
      // A second `ready` means the popup page reloaded and lost what it had: send every open request again.
      this.#ready = true;
      for (const { message: request } of this.#pending.values())
        this.#popup.postMessage(request, this.authOrigin);
      return;
    }
    if (message.type !== 'response') return;
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#settle(message.id, () =>
      'error' in message ? pending.reject(errorFromWire(message.error)) : pending.resolve(message.result),
    );
  }

  #settle(id: string, outcome: () => void): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.#pending.delete(id);
    outcome();
    if (this.#pending.size === 0) {
      this.#popup?.close();
      this.#stop();
    }
  }

  #onClosed(): void {
    const open = [...this.#pending.values()];
    this.#pending.clear();
    this.#stop();
    for (const pending of open) {
      clearTimeout(pending.timer);
      pending.reject(new UserRejectedRequestError('The zkSSO popup was closed', { reason: 'POPUP_CLOSED' }));
    }
  }

  #stop(): void {
    if (this.#poll !== undefined) clearInterval(this.#poll);
    this.#poll = undefined;
    this.#options.window.removeEventListener('message', this.#onMessage);
    this.#popup = undefined;
    this.#ready = false;
  }
}
