import type { PasskeyCredential, SessionSpecJson, ZkLoginSession } from '@zksso/sdk';
import type { Address, Hex } from 'viem';

/**
 * What the auth server keeps in the browser, all on its own origin (never posted to a dapp):
 * - the current login: an OpenID login's session (address, proof, expiry) or a passkey's credential (public)
 *   in `localStorage`, so the next popup window a dapp opens is signed in too (until the key expires or
 *   "Sign out"); a login whose secp256k1 key had to be kept in the session itself (no WebCrypto P-256) stays
 *   in `sessionStorage` (it ends with the window);
 * - a P-256 ephemeral key as a non-extractable `CryptoKeyPair` in IndexedDB (structured clone keeps it
 *   non-extractable: scripts can sign with it, nobody can read it);
 * - the sessions granted to dapps and the passkeys made here in `localStorage` (public data only), for the
 *   account page.
 */

const LOGIN = 'zksso.login';
const GRANTS = 'zksso.grants';
const DB = 'zksso-auth';
const STORE = 'keys';
const EPHEMERAL = 'ephemeral';

/** A passkey credential as JSON (bigints as hex). */
export interface PasskeyJson {
  credentialId: Hex;
  x: Hex;
  y: Hex;
  rpId: string;
  origin: string;
}

/** The signed-in account of this tab. @example `const login = loadLogin(); if (login?.kind === 'openid') …` */
export type StoredLogin =
  | { kind: 'openid'; provider: string; session: ZkLoginSession }
  | { kind: 'passkey'; address: Address; passkey: PasskeyJson; name?: string };

/** A session this auth server granted to a dapp (public: the key stays in the dapp). */
export interface GrantRecord {
  dappOrigin: string;
  dappName: string;
  chainId: number;
  account: Address;
  sessionHash: Hex;
  spec: SessionSpecJson;
  createdAt: number;
  revoked?: boolean;
}

export function passkeyToJson(p: PasskeyCredential): PasskeyJson {
  const hex = (n: bigint) => `0x${n.toString(16).padStart(64, '0')}` as Hex;
  return {
    credentialId: p.credentialId,
    x: hex(p.publicKey.x),
    y: hex(p.publicKey.y),
    rpId: p.rpId,
    origin: p.origin,
  };
}

export function passkeyFromJson(j: PasskeyJson): PasskeyCredential {
  return {
    credentialId: j.credentialId,
    publicKey: { x: BigInt(j.x), y: BigInt(j.y) },
    rpId: j.rpId,
    origin: j.origin,
  };
}

export function loadLogin(): StoredLogin | undefined {
  try {
    const text = sessionStorage.getItem(LOGIN) ?? localStorage.getItem(LOGIN);
    return text ? (JSON.parse(text) as StoredLogin) : undefined;
  } catch {
    return undefined;
  }
}

export function saveLogin(login: StoredLogin): void {
  sessionStorage.removeItem(LOGIN);
  localStorage.removeItem(LOGIN);
  const holdsKey = login.kind === 'openid' && 'ephemeralPrivateKey' in login.session;
  (holdsKey ? sessionStorage : localStorage).setItem(LOGIN, JSON.stringify(login));
}

export async function clearLogin(): Promise<void> {
  sessionStorage.removeItem(LOGIN);
  localStorage.removeItem(LOGIN);
  await deleteEphemeralKey();
}

export function loadGrants(): GrantRecord[] {
  try {
    return JSON.parse(localStorage.getItem(GRANTS) ?? '[]') as GrantRecord[];
  } catch {
    return [];
  }
}

export function saveGrant(grant: GrantRecord): void {
  const all = loadGrants().filter((g) => g.sessionHash !== grant.sessionHash);
  localStorage.setItem(GRANTS, JSON.stringify([...all, grant]));
}

export function markRevoked(sessionHash: Hex): void {
  localStorage.setItem(
    GRANTS,
    JSON.stringify(loadGrants().map((g) => (g.sessionHash === sessionHash ? { ...g, revoked: true } : g))),
  );
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function keyStore<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = run(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result as T);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

/** Keeps the login's P-256 key pair (non-extractable) for this origin. */
export function saveEphemeralKey(keyPair: CryptoKeyPair): Promise<void> {
  return keyStore('readwrite', (s) => s.put(keyPair, EPHEMERAL));
}

export function loadEphemeralKey(): Promise<CryptoKeyPair | undefined> {
  return keyStore<CryptoKeyPair | undefined>('readonly', (s) => s.get(EPHEMERAL)).catch(() => undefined);
}

export function deleteEphemeralKey(): Promise<void> {
  return keyStore<void>('readwrite', (s) => s.delete(EPHEMERAL)).catch(() => undefined);
}
