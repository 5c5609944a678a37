import type { HostWindowLike, MessageListener, WindowProxyLike } from './window-like.ts';

/**
 * Test support: windows on different origins wired by an event bus with the browser's `postMessage`
 * rules (structured clone, delivery as a later task, dropped when `targetOrigin` is not the receiver's
 * origin, `event.source` the receiver's handle on the sender). Lets the popup protocol run in Node.
 *
 * @example
 * ```ts
 * const browser = new FakeBrowser();
 * const dapp = browser.window('https://dapp.example');
 * browser.onOpen = (popup) => servePopupRequests({ window: popup, handle });
 * ```
 */
export class FakeBrowser {
  /** Runs when a window is opened, as the page's scripts would (a task after `open`). */
  onOpen: ((window: FakeWindow) => void) | undefined;
  /** When true, `open` returns null, like a popup blocker. */
  blockPopups = false;
  readonly opened: FakeWindow[] = [];
  readonly #handles = new Map<FakeWindow, Map<FakeWindow, WindowProxyLike>>();

  /** A top-level window at `url`. @example `browser.window('https://dapp.example')` */
  window(url: string): FakeWindow {
    return new FakeWindow(this, url, null);
  }

  /** `from`'s handle on `to` (one object per pair, so `event.source === popup` works). */
  handle(from: FakeWindow, to: FakeWindow): WindowProxyLike {
    let byTarget = this.#handles.get(from);
    if (!byTarget) {
      byTarget = new Map();
      this.#handles.set(from, byTarget);
    }
    let handle = byTarget.get(to);
    if (!handle) {
      handle = {
        get closed() {
          return to.closed;
        },
        close: () => {
          to.closed = true;
        },
        focus: () => {},
        postMessage: (message: unknown, targetOrigin: string) =>
          this.deliver(from, to, message, targetOrigin),
      };
      byTarget.set(to, handle);
    }
    return handle;
  }

  /** `from` posts `message` to `to`; the browser's rules apply. */
  deliver(from: FakeWindow, to: FakeWindow, message: unknown, targetOrigin: string): void {
    const data = structuredClone(message);
    const senderOrigin = from.location.origin;
    setTimeout(() => {
      if (to.closed || (targetOrigin !== '*' && targetOrigin !== to.location.origin)) return;
      to.dispatch({ data, origin: senderOrigin, source: this.handle(to, from) });
    }, 0);
  }
}

/**
 * One fake window (see {@link FakeBrowser}).
 *
 * @example
 * ```ts
 * popup.navigate('https://evil.example/'); // its later messages come from another origin
 * ```
 */
export class FakeWindow implements HostWindowLike {
  closed = false;
  location: { origin: string; href: string };
  readonly opener: WindowProxyLike | null;
  readonly #browser: FakeBrowser;
  #listeners: MessageListener[] = [];

  constructor(browser: FakeBrowser, url: string, opener: FakeWindow | null) {
    this.#browser = browser;
    this.location = { origin: new URL(url).origin, href: url };
    this.opener = opener ? browser.handle(this, opener) : null;
  }

  open(url: string): WindowProxyLike | null {
    if (this.#browser.blockPopups) return null;
    const child = new FakeWindow(this.#browser, url, this);
    this.#browser.opened.push(child);
    setTimeout(() => this.#browser.onOpen?.(child), 0);
    return this.#browser.handle(this, child);
  }

  /** This window's handle on `other` (what `event.source` is when `other` posts here). */
  handleOn(other: FakeWindow): WindowProxyLike {
    return this.#browser.handle(this, other);
  }

  /** Another document loads in this window: listeners are gone, the origin may change. */
  navigate(url: string): void {
    this.location = { origin: new URL(url).origin, href: url };
    this.#listeners = [];
  }

  addEventListener(_type: 'message', listener: MessageListener): void {
    this.#listeners.push(listener);
  }

  removeEventListener(_type: 'message', listener: MessageListener): void {
    this.#listeners = this.#listeners.filter((l) => l !== listener);
  }

  /** Posts as this window to `to` (for tests that play an attacker). */
  postTo(to: FakeWindow, message: unknown, targetOrigin = '*'): void {
    this.#browser.deliver(this, to, message, targetOrigin);
  }

  dispatch(event: { data: unknown; origin: string; source: unknown }): void {
    for (const listener of [...this.#listeners]) listener(event);
  }

  get listenerCount(): number {
    return this.#listeners.length;
  }
}
