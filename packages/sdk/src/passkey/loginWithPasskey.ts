import { type Address, bytesToHex, type Hex, isAddressEqual, keccak256 } from 'viem';
import { createZkSsoClients, type ZkSsoClients } from '../clients.ts';
import { type P256PublicKey, recoverWebAuthnPublicKeys, type WebAuthnAssertion } from '../contracts/index.ts';
import type { WrongChainError } from '../errors.ts';
import type { ZkSsoNetwork } from '../network.ts';
import { webAuthnValidatorAbi } from './abi.ts';
import { checkAssertion } from './assertion.ts';
import type { PasskeyAuthenticator, PasskeyUserVerification } from './authenticator.ts';
import { browserAuthenticator } from './browser-authenticator.ts';
import {
  type PasskeyAssertionRefusedError,
  PasskeyNotFoundError,
  type WebAuthnUnavailableError,
} from './errors.ts';
import {
  type PasskeyCredential,
  type PasskeySmartAccount,
  passkeyAccountAddress,
  toPasskeySmartAccount,
} from './passkey-account.ts';

/** Parameters of {@link loginWithPasskey}. */
export interface LoginWithPasskeyParameters {
  network: ZkSsoNetwork;
  rpId: string;
  /** Default: the browser's WebAuthn. */
  authenticator?: PasskeyAuthenticator;
  /** Default `'preferred'`. */
  userVerification?: PasskeyUserVerification;
  /** When the passkey signs for several accounts: which one (default: its own passkey account, else the first). */
  address?: Address;
  /** Accept assertions made in a cross-origin iframe (default false). */
  allowCrossOrigin?: boolean;
}

/** What {@link loginWithPasskey} returns. */
export interface LoginWithPasskeyReturnType {
  account: PasskeySmartAccount;
  passkey: PasskeyCredential;
  /** Every account that holds this passkey on chain (with the same public key), the chosen one included. */
  accounts: Address[];
}

const randomChallenge = (): Hex => bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
const sameKey = (a: P256PublicKey, b: P256PublicKey) => a.x === b.x && a.y === b.y;

/** Accounts registered for the credential on chain whose stored key is one of `candidates`. */
async function accountsOnChain(
  network: ZkSsoNetwork,
  clients: ZkSsoClients,
  credentialId: Hex,
  candidates: P256PublicKey[],
): Promise<{ key: P256PublicKey; accounts: Address[] } | undefined> {
  const credentialIdHash = keccak256(credentialId);
  const read = { address: network.addresses.webAuthnValidator, abi: webAuthnValidatorAbi } as const;
  const registered = await clients.publicClient.readContract({
    ...read,
    functionName: 'accountsOf',
    args: [credentialIdHash],
  });
  let key: P256PublicKey | undefined;
  const accounts: Address[] = [];
  for (const account of registered) {
    const stored = await clients.publicClient.readContract({
      ...read,
      functionName: 'getPasskey',
      args: [account, credentialIdHash],
    });
    // Anyone may register any credential id on their own account: only the ones with this key count.
    const match = candidates.find((c) => sameKey(c, stored));
    if (match && (!key || sameKey(key, match))) {
      key = match;
      accounts.push(account);
    }
  }
  return key ? { key, accounts } : undefined;
}

/**
 * The typed errors {@link loginWithPasskey} throws.
 *
 * @example
 * ```ts
 * try { await loginWithPasskey(p); } catch (e) { console.log((e as LoginWithPasskeyErrorType).name); }
 * ```
 */
export type LoginWithPasskeyErrorType =
  | PasskeyNotFoundError
  | PasskeyAssertionRefusedError
  | WebAuthnUnavailableError
  | WrongChainError;

/**
 * Signs in with a passkey and no server database: WebAuthn `get` over a random challenge (the user picks one
 * of their discoverable passkeys for `rpId`), then the account is found on chain. Why not the user handle: the
 * account address depends on the credential's id and public key, which exist only after `create`, so it cannot
 * be written into the credential's user handle; and `get` returns no public key. So the SDK recovers the two
 * public keys the signature admits, and reads the WebAuthnValidator's `accountsOf(credentialIdHash)` (filled when
 * an account is deployed or a passkey added), keeping only accounts whose stored key is a candidate. A passkey
 * whose account is not deployed yet is on no list: a second assertion leaves one common key, whose
 * counterfactual account is the answer (two prompts, only in that case). A passkey removed from its own,
 * deployed account ({@link removePasskey}) is refused after the first prompt (`PasskeyNotFoundError`,
 * `details.removedFrom`).
 *
 * @throws PasskeyNotFoundError, PasskeyAssertionRefusedError, WebAuthnUnavailableError, WrongChainError.
 * @example
 * ```ts
 * const { account } = await loginWithPasskey({ network, rpId: 'wallet.example' });
 * console.log(account.address);
 * ```
 */
export async function loginWithPasskey(p: LoginWithPasskeyParameters): Promise<LoginWithPasskeyReturnType> {
  const { network } = p;
  const clients = await createZkSsoClients(network);
  const authenticator = p.authenticator ?? browserAuthenticator();
  const userVerification = p.userVerification ?? 'preferred';
  const ask = async (allowCredentials: Hex[]): Promise<WebAuthnAssertion> => {
    const assertion = await authenticator.get({
      rpId: p.rpId,
      challenge: randomChallenge(),
      allowCredentials,
      userVerification,
    });
    checkAssertion(assertion, {
      ...(allowCredentials[0] ? { credentialId: allowCredentials[0] } : {}),
      ...(p.allowCrossOrigin ? { allowCrossOrigin: true } : {}),
    });
    return assertion;
  };

  const first = await ask([]);
  const { credentialId } = first;
  const candidates = recoverWebAuthnPublicKeys(first);
  const origin = (JSON.parse(first.clientDataJSON) as { origin: string }).origin;
  const found = await accountsOnChain(network, clients, credentialId, candidates);

  let key: P256PublicKey;
  let accounts: Address[];
  if (found) {
    ({ key, accounts } = found);
  } else {
    // On no account's list. If the passkey's own account is deployed, the passkey was removed from it (its
    // last passkey, with the WebAuthnValidator uninstalled): say so, rather than hand back an account it no
    // longer signs for (its operations would be refused by the validator). Only the right key's counterfactual
    // address can hold code: the other candidate is a random point.
    for (const candidate of candidates) {
      const address = await passkeyAccountAddress(network, clients, { credentialId, publicKey: candidate });
      const code = await clients.publicClient.getCode({ address });
      if (code && code !== '0x') {
        throw new PasskeyNotFoundError(
          credentialId,
          `it was removed from its account ${address}: sign in with another credential of that account (its OpenID identity)`,
          address,
        );
      }
    }
    // Not deployed anywhere yet: a second signature by the same credential pins the key down.
    const second = recoverWebAuthnPublicKeys(await ask([credentialId]));
    const common = candidates.filter((c) => second.some((d) => sameKey(c, d)));
    if (common.length !== 1 || !common[0]) {
      throw new PasskeyNotFoundError(credentialId, 'the two assertions do not share one public key');
    }
    key = common[0];
    accounts = [];
  }
  const passkey: PasskeyCredential = { credentialId, publicKey: key, rpId: p.rpId, origin };
  const own = await passkeyAccountAddress(network, clients, passkey);
  if (!found) accounts = [own];
  const chosen = p.address ?? accounts.find((a) => isAddressEqual(a, own)) ?? accounts[0];
  if (!chosen || !accounts.some((a) => isAddressEqual(a, chosen))) {
    throw new PasskeyNotFoundError(credentialId, `the passkey does not sign for ${chosen ?? 'any account'}`);
  }
  const account = await toPasskeySmartAccount({
    network,
    clients,
    passkey,
    authenticator,
    userVerification,
    address: chosen,
    ...(p.allowCrossOrigin ? { allowCrossOrigin: true } : {}),
  });
  return { account, passkey, accounts };
}
