import { bytesToHex, type Hex, hexToBigInt, hexToBytes } from 'viem';
import {
  AUTHENTICATOR_FLAGS,
  createSoftwarePasskey,
  P256_N,
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
  /** Credentials saved earlier with {@link SoftwareAuthenticator.exportCredentials} (a CLI's device file). */
  credentials?: readonly SoftwareCredentialExport[];
}

/**
 * A software credential with its PRIVATE KEY, for saving between runs (development only: the dev stack's CLI
 * keeps it in a mode-0600 file).
 */
export interface SoftwareCredentialExport {
  credentialId: Hex;
  rpId: string;
  /** 32-byte P-256 private key. SECRET. */
  privateKey: Hex;
  userHandle?: Hex;
}

/** The software authenticator: a {@link PasskeyAuthenticator} plus its credentials, for tests to inspect. */
export interface SoftwareAuthenticator extends PasskeyAuthenticator {
  /** Every credential created so far, oldest first. */
  readonly credentials: readonly SoftwarePasskey[];
  /** Forgets a credential, as when a user deletes a passkey from their device (tests of recovery). */
  forget(credentialId: Hex): void;
  /** Every credential with its private key (SECRET), to restore with the `credentials` option. */
  exportCredentials(): SoftwareCredentialExport[];
}

/** A uniformly random P-256 private key (1 ≤ d < n). */
function randomPrivateKey(): Hex {
  for (;;) {
    const key = bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
    const d = hexToBigInt(key);
    if (d > 0n && d < P256_N) return key;
  }
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
  const privateKeys = new Map<Hex, Hex>();
  const add = (c: { credentialId?: Hex; rpId: string; privateKey: Hex; userHandle?: Hex }) => {
    const passkey = createSoftwarePasskey({
      rpId: c.rpId,
      origin: options.origin,
      privateKey: hexToBytes(c.privateKey),
      ...(c.credentialId ? { credentialId: c.credentialId } : {}),
    });
    credentials.push(passkey);
    privateKeys.set(passkey.credentialId, c.privateKey);
    if (c.userHandle) userHandles.set(passkey.credentialId, c.userHandle);
    return passkey;
  };
  for (const saved of options.credentials ?? []) add(saved);
  const flags =
    AUTHENTICATOR_FLAGS.userPresent | (options.userVerified === false ? 0 : AUTHENTICATOR_FLAGS.userVerified);
  return {
    credentials,
    forget(credentialId) {
      const index = credentials.findIndex((c) => c.credentialId.toLowerCase() === credentialId.toLowerCase());
      if (index >= 0) credentials.splice(index, 1);
    },
    exportCredentials: () =>
      credentials.map((c) => {
        const userHandle = userHandles.get(c.credentialId);
        return {
          credentialId: c.credentialId,
          rpId: c.rpId,
          privateKey: privateKeys.get(c.credentialId) as Hex,
          ...(userHandle ? { userHandle } : {}),
        };
      }),
    async create({ rpId, userId }): Promise<PasskeyCreated> {
      const passkey = add({ rpId, privateKey: randomPrivateKey(), userHandle: userId });
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
