/**
 * The EIP-1193 provider events and their payloads.
 *
 * @example
 * ```ts
 * provider.on('chainChanged', (chainId: ProviderEvents['chainChanged']) => console.log(chainId));
 * ```
 */
export interface ProviderEvents {
  accountsChanged: readonly `0x${string}`[];
  chainChanged: `0x${string}`;
  connect: { chainId: `0x${string}` };
  disconnect: Error;
  message: { type: string; data: unknown };
}

/** A listener of one provider event. @example `const l: ProviderListener<'connect'> = ({ chainId }) => {};` */
export type ProviderListener<event extends keyof ProviderEvents> = (payload: ProviderEvents[event]) => void;

/**
 * A tiny typed event emitter (`on`, `removeListener`, `emit`); a listener that throws does not stop the
 * others or the provider.
 *
 * @example
 * ```ts
 * const events = new ProviderEmitter();
 * events.on('accountsChanged', (accounts) => console.log(accounts));
 * events.emit('accountsChanged', []);
 * ```
 */
export class ProviderEmitter {
  readonly #listeners = new Map<keyof ProviderEvents, Set<(payload: never) => void>>();

  on<event extends keyof ProviderEvents>(event: event, listener: ProviderListener<event>): void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as (payload: never) => void);
  }

  removeListener<event extends keyof ProviderEvents>(event: event, listener: ProviderListener<event>): void {
    this.#listeners.get(event)?.delete(listener as (payload: never) => void);
  }

  emit<event extends keyof ProviderEvents>(event: event, payload: ProviderEvents[event]): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        (listener as ProviderListener<event>)(payload);
      } catch (error) {
        // A dapp's listener bug must not break the provider's state change; report it asynchronously.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
