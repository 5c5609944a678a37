import type { EphemeralSigner } from '@zksso/core';
import { toZkLoginSmartAccount, type ZkLoginSmartAccount } from '../accounts/zklogin-account.ts';
import { createZkSsoClients } from '../clients.ts';
import { type ChainChangedError, WrongChainError } from '../errors.ts';
import { assertSameGenesis } from '../genesis.ts';
import type { ZkSsoNetwork } from '../network.ts';
import { parseZkLoginSession, type ZkLoginSession } from '../zklogin-session.ts';

/** Parameters of {@link restoreZkLoginAccount}. */
export interface RestoreZkLoginAccountParameters {
  network: ZkSsoNetwork;
  session: ZkLoginSession;
  /** A P-256 login's WebCrypto key (e.g. `p256EphemeralKeyFromKeyPair(await idb.get(...))`); required for those. */
  ephemeralKey?: EphemeralSigner;
}

/** What {@link restoreZkLoginAccount} returns: the account, signing with the saved proof or key. */
export type RestoreZkLoginAccountReturnType = ZkLoginSmartAccount;

/**
 * The typed errors {@link restoreZkLoginAccount} throws (and a TypeError for a malformed session).
 *
 * @example
 * ```ts
 * try { await restoreZkLoginAccount(p); } catch (e) { console.log((e as RestoreZkLoginAccountErrorType).code); }
 * ```
 */
export type RestoreZkLoginAccountErrorType = WrongChainError | ChainChangedError;

/**
 * Rebuilds the account of a saved login session: no token, no salt, no new proof. It signs with the proof
 * until the key is registered on chain, then with the key alone.
 *
 * @throws WrongChainError (`where: 'session'`) when the session belongs to another chain; ChainChangedError
 * when the chain was started afresh since the login (another genesis block); TypeError for a malformed
 * session.
 * @example
 * ```ts
 * const session = JSON.parse(readFileSync('alice.json', 'utf8'));
 * const account = await restoreZkLoginAccount({ network, session });
 * await sendCalls({ network, account, calls: [{ to, value: 1n }] });
 * ```
 */
export async function restoreZkLoginAccount(
  p: RestoreZkLoginAccountParameters,
): Promise<RestoreZkLoginAccountReturnType> {
  const session = parseZkLoginSession(p.session);
  if (session.chainId !== p.network.chainId) {
    throw new WrongChainError(p.network.chainId, session.chainId, 'session');
  }
  const clients = await createZkSsoClients(p.network);
  assertSameGenesis(session.genesisHash, clients.genesisHash, 'login');
  return toZkLoginSmartAccount({
    network: p.network,
    clients,
    session,
    ...(p.ephemeralKey ? { ephemeralKey: p.ephemeralKey } : {}),
  });
}
