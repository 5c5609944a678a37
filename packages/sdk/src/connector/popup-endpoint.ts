import { ZkSsoError } from '@zksso/core';
import { PROVIDER_ERROR_CODES } from './errors.ts';
import {
  dappOriginFromPopupUrl,
  errorMessage,
  parseMessage,
  type RequestMessage,
  readyMessage,
  resultMessage,
  type WireError,
} from './protocol.ts';
import type { HostWindowLike, MessageEventLike, WindowProxyLike } from './window-like.ts';

/**
 * The popup page cannot serve: it was not opened by a dapp (`NO_OPENER`), or its URL names no exact
 * dapp origin (`BAD_DAPP_ORIGIN`). The auth server shows this instead of its approval screens.
 *
 * @example
 * ```ts
 * try { servePopupRequests({ window, handle }); } catch (e) { if (e instanceof PopupEndpointError) showError(e.code); }
 * ```
 */
export class PopupEndpointError extends ZkSsoError {
  constructor(code: 'NO_OPENER' | 'BAD_DAPP_ORIGIN', message: string) {
    super(code, message);
  }
}

/**
 * Options of {@link servePopupRequests}: the popup's window and the auth server's request handler.
 *
 * @example
 * ```ts
 * const options: PopupEndpointOptions = { window, handle: async (request) => approve(request) };
 * ```
 */
export interface PopupEndpointOptions {
  window: HostWindowLike;
  /**
   * Answers one request (after the user approved it). Resolve with the `result`; throw an object with a
   * numeric `code` and a `message` (e.g. a ProviderRpcError 4001 when the user refuses) to answer an error.
   * Any other exception answers -32603 without its message, so no internal detail reaches the dapp.
   */
  handle(request: RequestMessage): Promise<unknown>;
}

/**
 * The popup's side of the protocol, for the auth server: reads the dapp origin from the popup's URL
 * (`?origin=`), accepts requests only from `window.opener` at exactly that origin (and only when the
 * request's `dapp.origin` says the same), answers each id once, and posts `ready` to the opener (with
 * that origin as `targetOrigin`, so a page that lied about its origin hears nothing).
 *
 * @throws PopupEndpointError when there is no opener or the URL names no exact dapp origin.
 * @example
 * ```ts
 * const { dappOrigin, stop } = servePopupRequests({
 *   window,
 *   handle: async (request) => {
 *     if (!(await askUser(request))) throw new UserRejectedRequestError();
 *     return answer(request);
 *   },
 * });
 * ```
 */
export function servePopupRequests(options: PopupEndpointOptions): { dappOrigin: string; stop(): void } {
  const { window: self, handle } = options;
  const opener: WindowProxyLike | null | undefined = self.opener;
  if (!opener)
    throw new PopupEndpointError('NO_OPENER', 'This page must be opened by a dapp (window.opener)');
  const dappOrigin = dappOriginFromPopupUrl(self.location.href);
  if (!dappOrigin)
    throw new PopupEndpointError('BAD_DAPP_ORIGIN', 'The popup URL names no exact dapp origin');
  const seen = new Set<string>();

  const answer = (id: string, outcome: Promise<unknown>): void => {
    outcome.then(
      (result) => opener.postMessage(resultMessage(id, result), dappOrigin),
      (error: unknown) => opener.postMessage(errorMessage(id, toWireError(error)), dappOrigin),
    );
  };

  const onMessage = (event: MessageEventLike): void => {
    if (event.source !== opener || event.origin !== dappOrigin) return;
    const message = parseMessage(event.data);
    if (message?.type !== 'request' || message.dapp.origin !== dappOrigin) return;
    // The dapp sends open requests again after a `ready` (a reload): each id is handled once.
    if (seen.has(message.id)) return;
    seen.add(message.id);
    answer(
      message.id,
      Promise.resolve().then(() => handle(message)),
    );
  };

  self.addEventListener('message', onMessage);
  opener.postMessage(readyMessage(), dappOrigin);
  return { dappOrigin, stop: () => self.removeEventListener('message', onMessage) };
}

function toWireError(error: unknown): WireError {
  if (typeof error === 'object' && error !== null) {
    const { code, message, data } = error as { code?: unknown; message?: unknown; data?: unknown };
    if (Number.isSafeInteger(code) && typeof message === 'string')
      return data === undefined ? { code: code as number, message } : { code: code as number, message, data };
  }
  return { code: PROVIDER_ERROR_CODES.internal, message: 'Internal error in the zkSSO popup' };
}
