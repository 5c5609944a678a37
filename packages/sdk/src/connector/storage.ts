import { type Address, getAddress } from 'viem';
import type { SessionRecord } from '../session-record.ts';

/**
 * Where the provider keeps its state between page loads (`localStorage` fits).
 *
 * @example
 * ```ts
 * const storage: StorageLike = window.sessionStorage;
 * ```
 */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * The provider's persisted state. `sessions` hold session PRIVATE keys: they are the dapp's own keys
 * (made here, never sent anywhere), each bounded by its on-chain policy and expiry.
 *
 * @example
 * ```ts
 * const state: ProviderState = { chainId: 31337, sessions: [] };
 * ```
 */
export interface ProviderState {
  account?: Address;
  chainId: number;
  sessions: SessionRecord[];
}

/**
 * An in-memory {@link StorageLike} (outside a browser, or when a dapp wants nothing persisted).
 *
 * @example
 * ```ts
 * createZkSsoProvider({ ...options, storage: memoryStorage() });
 * ```
 */
export function memoryStorage(): StorageLike {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

/**
 * `localStorage` when the page has one (it can throw in private modes or sandboxed frames), else memory.
 *
 * @example
 * ```ts
 * const storage = defaultStorage();
 * ```
 */
export function defaultStorage(): StorageLike {
  try {
    const local = (globalThis as { localStorage?: StorageLike }).localStorage;
    if (local) {
      local.getItem('zksso:probe');
      return local;
    }
  } catch {
    // fall through to memory
  }
  return memoryStorage();
}

/**
 * Reads the state saved under `key`; anything unreadable (another version, a hand edit) is ignored and
 * the provider starts disconnected on `fallbackChainId`.
 *
 * @example
 * ```ts
 * const state = loadState(storage, 'zksso.connector.v1:https://auth.example', [31337], 31337);
 * ```
 */
export function loadState(
  storage: StorageLike,
  key: string,
  chainIds: readonly number[],
  fallbackChainId: number,
): ProviderState {
  const fresh: ProviderState = { chainId: fallbackChainId, sessions: [] };
  let raw: string | null;
  try {
    raw = storage.getItem(key);
  } catch {
    return fresh;
  }
  if (!raw) return fresh;
  try {
    const parsed = JSON.parse(raw) as Partial<ProviderState>;
    const chainId = chainIds.includes(parsed.chainId as number)
      ? (parsed.chainId as number)
      : fallbackChainId;
    const account = typeof parsed.account === 'string' ? getAddress(parsed.account) : undefined;
    const sessions = Array.isArray(parsed.sessions)
      ? parsed.sessions.filter((s) => s?.version === 1 && typeof s.sessionPrivateKey === 'string')
      : [];
    return account ? { account, chainId, sessions } : { chainId, sessions: [] };
  } catch {
    return fresh;
  }
}

/**
 * Saves the state (best effort: a full or forbidden storage leaves the page working for this load).
 *
 * @example
 * ```ts
 * saveState(storage, key, state);
 * ```
 */
export function saveState(storage: StorageLike, key: string, state: ProviderState): void {
  try {
    if (!state.account && state.sessions.length === 0) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify(state));
  } catch {
    // best effort
  }
}
