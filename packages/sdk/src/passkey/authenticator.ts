import type { Hex } from 'viem';
import type { P256PublicKey, WebAuthnAssertion } from '../contracts/index.ts';

// The one seam between the SDK and a WebAuthn authenticator: a browser's `navigator.credentials`
// (browser-authenticator.ts), the development-only software authenticator (software-authenticator.ts), or a
// native platform's passkey API wrapped by the app.

/**
 * Whether the authenticator must verify the user (PIN, biometrics). The WebAuthnValidator requires the UV flag
 * in every assertion, so `'discouraged'` is not offered: `'preferred'` (the default) lets password managers
 * that reject `'required'` still answer, and the SDK refuses an assertion without UV before sending it.
 */
export type PasskeyUserVerification = 'required' | 'preferred';

/** What {@link PasskeyAuthenticator.create} is asked (a subset of `PublicKeyCredentialCreationOptions`). */
export interface PasskeyCreateOptions {
  rpId: string;
  /** Shown by the authenticator (e.g. the user's name for this wallet). */
  name: string;
  /** 32 random bytes: registration is not verified on chain, so the challenge only satisfies the API. */
  challenge: Hex;
  /** Opaque user handle (≤ 64 bytes), returned by later assertions. */
  userId: Hex;
  userVerification: PasskeyUserVerification;
}

/** A new credential: what the WebAuthnValidator needs to register it. */
export interface PasskeyCreated {
  /** `PublicKeyCredential.rawId`. */
  credentialId: Hex;
  /** The credential's P-256 (ES256) public key. */
  publicKey: P256PublicKey;
  /** The origin the browser bound the credential to (clientDataJSON `origin`). */
  origin: string;
}

/** What {@link PasskeyAuthenticator.get} is asked (a subset of `PublicKeyCredentialRequestOptions`). */
export interface PasskeyGetOptions {
  rpId: string;
  /** The 32-byte hash to sign (user-operation hash, ERC-1271 digest); the SDK encodes it as WebAuthn does. */
  challenge: Hex;
  /** Credential ids the assertion may come from; empty: any discoverable credential of the rpId (login). */
  allowCredentials: readonly Hex[];
  userVerification: PasskeyUserVerification;
}

/**
 * A WebAuthn authenticator as the SDK drives it. Implementations: {@link browserAuthenticator} (the default
 * in browsers), {@link createSoftwareAuthenticator} (Node, development and tests only).
 *
 * @example
 * ```ts
 * const authenticator: PasskeyAuthenticator = createSoftwareAuthenticator({ origin: 'https://wallet.example' });
 * const created = await authenticator.create({ rpId: 'wallet.example', name: 'alice', challenge, userId, userVerification: 'preferred' });
 * ```
 */
export interface PasskeyAuthenticator {
  create(options: PasskeyCreateOptions): Promise<PasskeyCreated>;
  get(options: PasskeyGetOptions): Promise<WebAuthnAssertion & { userHandle?: Hex }>;
}
