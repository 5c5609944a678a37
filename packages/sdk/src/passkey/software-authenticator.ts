import type { Hex } from 'viem';
import {
  AUTHENTICATOR_FLAGS,
  createSoftwarePasskey,
  type SoftwarePasskey,
  type WebAuthnAssertion,
} from '../contracts/index.ts';
import type { PasskeyAuthenticator, PasskeyCreated } from './authenticator.ts';
import { PasskeyNotFoundError } from './errors.ts';

/** Options of {@link createSoftwareAuthenticator}. */
export interface SoftwareAuthenticatorOptions {
  /** The web origin the "browser" reports in clientDataJSON, e.g. `https://wallet.example`. */
  origin: string;
  /**
   * Set the UV flag in assertions (default true). False imitates an authenticator that skipped user
   * verification, which the WebAuthnValidator refuses.
   */
  userVerified?: boolean;
}

/** The software authenticator: a {@link PasskeyAuthenticator} plus its credentials, for tests to inspect. */
export interface SoftwareAuthenticator extends PasskeyAuthenticator {
  /** Every credential created so far, oldest first. */
  readonly credentials: readonly SoftwarePasskey[];
  /** Forgets a credential, as when a user deletes a passkey from their device (tests of recovery). */
  forget(credentialId: Hex): void;
}

/**
 * FOR DEVELOPMENT ONLY. A WebAuthn authenticator in memory for Node, the dev stack and tests: P-256 keys that
 * are extractable and kept in this process, clientDataJSON and authenticatorData as a browser and a platform
 * authenticator build them, DER signatures with high s left as they come (the SDK normalises). Never hold funds
 * with it: anyone with this process's memory holds the keys.
 *
 * `get` with an empty `allowCredentials` answers with the newest credential of the rpId, like a user picking
 * their only passkey in the browser's chooser.
 *
 * @example
 * ```ts
 * const authenticator = createSoftwareAuthenticator({ origin: 'https://wallet.zksso.test' });
 * const { account } = await createPasskeyAccount({ network, rpId: 'wallet.zksso.test', name: 'alice', authenticator });
 * ```
 */
export function createSoftwareAuthenticator(options: SoftwareAuthenticatorOptions): SoftwareAuthenticator {
  const credentials: SoftwarePasskey[] = [];
  const userHandles = new Map<Hex, Hex>();
  const flags =
    AUTHENTICATOR_FLAGS.userPresent | (options.userVerified === false ? 0 : AUTHENTICATOR_FLAGS.userVerified);
  return {
    credentials,
    forget(credentialId) {
      const index = credentials.findIndex((c) => c.credentialId.toLowerCase() === credentialId.toLowerCase());
      if (index >= 0) credentials.splice(index, 1);
    },
    async create({ rpId, userId }): Promise<PasskeyCreated> {
      const passkey = createSoftwarePasskey({ rpId, origin: options.origin });
      credentials.push(passkey);
      userHandles.set(passkey.credentialId, userId);
      return { credentialId: passkey.credentialId, publicKey: passkey.publicKey, origin: options.origin };
    },
    async get({ rpId, challenge, allowCredentials }): Promise<WebAuthnAssertion & { userHandle?: Hex }> {
      const allowed = allowCredentials.map((id) => id.toLowerCase());
      const candidates = credentials.filter(
        (c) => c.rpId === rpId && (allowed.length === 0 || allowed.includes(c.credentialId.toLowerCase())),
      );
      const passkey = candidates.at(-1);
      if (!passkey) {
        throw new PasskeyNotFoundError(
          allowCredentials[0] ?? '0x',
          `this authenticator has no passkey for ${rpId}`,
        );
      }
      const assertion = passkey.sign(challenge, { flags });
      const userHandle = userHandles.get(passkey.credentialId);
      return userHandle ? { ...assertion, userHandle } : assertion;
    },
  };
}
