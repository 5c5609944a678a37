/**
 * The few parts of a browser `window` the popup protocol uses. A real `window` fits; tests wire two fake
 * windows with an event bus, so the protocol runs in Node exactly as written.
 */

/** The part of a `MessageEvent` both sides read. @example `event.origin === authOrigin && event.source === popup` */
export interface MessageEventLike {
  data: unknown;
  origin: string;
  source: unknown;
}

/** A listener of `message` events. @example `const onMessage: MessageListener = (event) => {};` */
export type MessageListener = (event: MessageEventLike) => void;

/**
 * Another window as a page sees it (`window.open`'s answer, `window.opener`).
 *
 * @example
 * ```ts
 * popup.postMessage(readyMessage(), dappOrigin);
 * ```
 */
export interface WindowProxyLike {
  readonly closed: boolean;
  close(): void;
  focus?(): void;
  postMessage(message: unknown, targetOrigin: string): void;
}

/**
 * A page's own window: where `message` events arrive and popups open from.
 *
 * @example
 * ```ts
 * const host: HostWindowLike = window;
 * ```
 */
export interface HostWindowLike {
  readonly location: { readonly origin: string; readonly href: string };
  readonly opener?: WindowProxyLike | null;
  open(url: string, target?: string, features?: string): WindowProxyLike | null;
  addEventListener(type: 'message', listener: MessageListener): void;
  removeEventListener(type: 'message', listener: MessageListener): void;
}

/**
 * The browser's `window` as a {@link HostWindowLike}, or `undefined` outside a browser (Node, a worker).
 *
 * @example
 * ```ts
 * const host = browserWindow() ?? fakeWindowForTests;
 * ```
 */
export function browserWindow(): HostWindowLike | undefined {
  const candidate = (globalThis as { window?: unknown }).window;
  return typeof candidate === 'object' && candidate !== null && 'open' in candidate
    ? (candidate as HostWindowLike)
    : undefined;
}
