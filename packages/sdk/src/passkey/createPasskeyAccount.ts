import { bytesToHex } from 'viem';
import { createZkSsoClients } from '../clients.ts';
import type { WrongChainError } from '../errors.ts';
import type { ZkSsoNetwork } from '../network.ts';
import type { PasskeyAuthenticator, PasskeyUserVerification } from './authenticator.ts';
import { browserAuthenticator } from './browser-authenticator.ts';
import type { PasskeyAssertionRefusedError, WebAuthnUnavailableError } from './errors.ts';
import {
  type PasskeyCredential,
  type PasskeySmartAccount,
  toPasskeySmartAccount,
} from './passkey-account.ts';

/** Parameters of {@link createPasskeyAccount}. */
export interface CreatePasskeyAccountParameters {
  network: ZkSsoNetwork;
  /** The WebAuthn relying party id: the wallet's domain (e.g. `location.hostname`). */
  rpId: string;
  /** The user's name for this passkey, shown by the authenticator. */
  name: string;
  /** Default: the browser's WebAuthn ({@link browserAuthenticator}); Node: {@link createSoftwareAuthenticator}. */
  authenticator?: PasskeyAuthenticator;
  /** Default `'preferred'` (the validator requires the UV flag either way; see {@link PasskeyUserVerification}). */
  userVerification?: PasskeyUserVerification;
  /**
   * The origin the passkey is bound to on chain. Default: the origin the authenticator reports at creation;
   * `''` accepts every origin of the rpId (use `addOrigin` to allow more origins for origin-bound passkeys).
   */
  origin?: string;
  /** Accept assertions made in a cross-origin iframe (default false). */
  allowCrossOrigin?: boolean;
}

/** What {@link createPasskeyAccount} returns. */
export interface CreatePasskeyAccountReturnType {
  account: PasskeySmartAccount;
  /** Public data of the passkey (no secret): keep it to skip {@link loginWithPasskey}'s chain lookups. */
  passkey: PasskeyCredential;
}

const randomBytes = (length: number) => crypto.getRandomValues(new Uint8Array(length));

/**
 * The typed errors {@link createPasskeyAccount} throws.
 *
 * @example
 * ```ts
 * try { await createPasskeyAccount(p); } catch (e) { console.log((e as CreatePasskeyAccountErrorType).name); }
 * ```
 */
export type CreatePasskeyAccountErrorType =
  | WebAuthnUnavailableError
  | PasskeyAssertionRefusedError
  | WrongChainError;

/**
 * Signs up with a passkey: creates a discoverable P-256 credential for `rpId` (WebAuthn `create`) and returns
 * its zkSSO account on the WebAuthnValidator. Nothing is sent on chain: the address is the factory's
 * counterfactual one for (credentialId, public key), and the first {@link sendCalls} deploys the account.
 *
 * @throws WebAuthnUnavailableError (no authenticator and no browser WebAuthn), PasskeyAssertionRefusedError
 * (the credential is not P-256), WrongChainError.
 * @example
 * ```ts
 * const { account } = await createPasskeyAccount({ network, rpId: 'wallet.example', name: 'alice' });
 * await sendCalls({ network, account, calls: [{ to, value: parseEther('0.01') }] });
 * ```
 */
export async function createPasskeyAccount(
  p: CreatePasskeyAccountParameters,
): Promise<CreatePasskeyAccountReturnType> {
  const clients = await createZkSsoClients(p.network);
  const authenticator = p.authenticator ?? browserAuthenticator();
  const userVerification = p.userVerification ?? 'preferred';
  // Registration is not verified on chain (the validator stores the key as given), so the challenge is random
  // and the user handle is an opaque random id: the account is found later from the credential on chain.
  const created = await authenticator.create({
    rpId: p.rpId,
    name: p.name,
    challenge: bytesToHex(randomBytes(32)),
    userId: bytesToHex(randomBytes(16)),
    userVerification,
  });
  const passkey: PasskeyCredential = {
    credentialId: created.credentialId,
    publicKey: created.publicKey,
    rpId: p.rpId,
    origin: p.origin ?? created.origin,
  };
  const account = await toPasskeySmartAccount({
    network: p.network,
    clients,
    passkey,
    authenticator,
    userVerification,
    ...(p.allowCrossOrigin ? { allowCrossOrigin: true } : {}),
  });
  return { account, passkey };
}
