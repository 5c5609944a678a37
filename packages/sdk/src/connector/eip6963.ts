import type { ZkSsoProvider } from './provider.ts';

/**
 * EIP-6963 provider info (mipd's `EIP6963ProviderInfo`).
 *
 * @example
 * ```ts
 * const info: Eip6963ProviderInfo = { uuid: crypto.randomUUID(), name: 'zkSSO', icon: ZKSSO_ICON, rdns: 'dev.zksso' };
 * ```
 */
export interface Eip6963ProviderInfo {
  uuid: string;
  name: string;
  /** A data URI (RFC 2397), as EIP-6963 requires. */
  icon: string;
  rdns: string;
}

/** zkSSO's default icon: a small SVG as a data URI. */
export const ZKSSO_ICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='7' fill='%23111827'/%3E%3Ctext x='16' y='21' font-family='sans-serif' font-size='12' font-weight='700' fill='%23fff' text-anchor='middle'%3EzkSSO%3C/text%3E%3C/svg%3E";
/** Default reverse-DNS id of the zkSSO provider. */
export const ZKSSO_RDNS = 'dev.zksso';

/** The part of `window` EIP-6963 needs: an event target. */
export interface Eip6963Target {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
  dispatchEvent(event: Event): boolean;
}

/** A version-4 UUID from `crypto.getRandomValues` (randomUUID exists only in secure contexts). */
function uuidV4(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Announces the provider with EIP-6963 (`eip6963:announceProvider`, detail `{ info, provider }`, frozen)
 * now and again on every `eip6963:requestProvider`, so wallet pickers (mipd, wagmi's multi-injected
 * discovery) list zkSSO. Returns a function that stops answering.
 *
 * @example
 * ```ts
 * const stop = announceZkSsoProvider({ provider });
 * ```
 */
export function announceZkSsoProvider(options: {
  provider: ZkSsoProvider;
  info?: Partial<Eip6963ProviderInfo>;
  window?: Eip6963Target;
}): () => void {
  const target = options.window ?? (globalThis as { window?: Eip6963Target }).window;
  if (!target) return () => {};
  const info: Eip6963ProviderInfo = Object.freeze({
    uuid: options.info?.uuid ?? uuidV4(),
    name: options.info?.name ?? 'zkSSO',
    icon: options.info?.icon ?? ZKSSO_ICON,
    rdns: options.info?.rdns ?? ZKSSO_RDNS,
  });
  const announce = () =>
    target.dispatchEvent(
      new CustomEvent('eip6963:announceProvider', {
        detail: Object.freeze({ info, provider: options.provider }),
      }),
    );
  announce();
  target.addEventListener('eip6963:requestProvider', announce);
  return () => target.removeEventListener('eip6963:requestProvider', announce);
}
