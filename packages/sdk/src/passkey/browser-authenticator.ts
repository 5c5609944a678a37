import { bytesToHex, type Hex, hexToBytes } from 'viem';
import type { WebAuthnAssertion } from '../contracts/index.ts';
import type { PasskeyAuthenticator, PasskeyCreated } from './authenticator.ts';
import { PasskeyAssertionRefusedError, WebAuthnUnavailableError } from './errors.ts';

/** COSE algorithm ES256 (ECDSA P-256 with SHA-256): the only one the WebAuthnValidator verifies. */
const COSE_ES256 = -7;

/** The parts of the WebAuthn DOM API the SDK uses (typed here so that the SDK builds without the DOM lib). */
interface CredentialsContainerLike {
  create(options: unknown): Promise<unknown>;
  get(options: unknown): Promise<unknown>;
}
interface AttestationCredentialLike {
  rawId: ArrayBuffer;
  response: {
    clientDataJSON: ArrayBuffer;
    getPublicKey(): ArrayBuffer | null;
    getPublicKeyAlgorithm(): number;
  };
}
interface AssertionCredentialLike {
  rawId: ArrayBuffer;
  response: {
    clientDataJSON: ArrayBuffer;
    authenticatorData: ArrayBuffer;
    signature: ArrayBuffer;
    userHandle: ArrayBuffer | null;
  };
}

function credentialsContainer(): CredentialsContainerLike {
  const nav = (globalThis as { navigator?: { credentials?: CredentialsContainerLike } }).navigator;
  if (!nav?.credentials || typeof nav.credentials.create !== 'function') {
    throw new WebAuthnUnavailableError(
      'navigator.credentials is missing (not a browser, or not a secure context)',
    );
  }
  if (typeof (globalThis as { PublicKeyCredential?: unknown }).PublicKeyCredential === 'undefined') {
    throw new WebAuthnUnavailableError('PublicKeyCredential is missing (WebAuthn not supported)');
  }
  return nav.credentials;
}

const buffer = (hex: Hex): Uint8Array => hexToBytes(hex);
const hex = (data: ArrayBuffer): Hex => bytesToHex(new Uint8Array(data));
const utf8 = (data: ArrayBuffer): string => new TextDecoder().decode(data);

/**
 * The browser's WebAuthn (`navigator.credentials`) as a {@link PasskeyAuthenticator}: discoverable ES256
 * credentials (so that {@link loginWithPasskey} can offer them without a server), user verification as asked.
 *
 * @throws WebAuthnUnavailableError outside a browser or a secure context.
 * @example
 * ```ts
 * const { account } = await createPasskeyAccount({ network, rpId: location.hostname, name: 'alice', authenticator: browserAuthenticator() });
 * ```
 */
export function browserAuthenticator(): PasskeyAuthenticator {
  return {
    async create({ rpId, name, challenge, userId, userVerification }): Promise<PasskeyCreated> {
      const credential = (await credentialsContainer().create({
        publicKey: {
          rp: { id: rpId, name: rpId },
          user: { id: buffer(userId), name, displayName: name },
          challenge: buffer(challenge),
          pubKeyCredParams: [{ type: 'public-key', alg: COSE_ES256 }],
          authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification },
          attestation: 'none',
        },
      })) as AttestationCredentialLike | null;
      if (!credential) throw new PasskeyAssertionRefusedError('the browser returned no credential');
      if (credential.response.getPublicKeyAlgorithm() !== COSE_ES256) {
        throw new PasskeyAssertionRefusedError('the credential is not ES256 (P-256)');
      }
      const spki = credential.response.getPublicKey();
      if (!spki) throw new PasskeyAssertionRefusedError('the browser did not expose the public key');
      // A P-256 SubjectPublicKeyInfo ends with the uncompressed point 0x04 ‖ x ‖ y.
      const point = new Uint8Array(spki).slice(-65);
      if (point[0] !== 0x04)
        throw new PasskeyAssertionRefusedError('the public key is not an uncompressed P-256 point');
      const clientData = JSON.parse(utf8(credential.response.clientDataJSON)) as { origin: string };
      return {
        credentialId: hex(credential.rawId),
        publicKey: {
          x: BigInt(bytesToHex(point.slice(1, 33))),
          y: BigInt(bytesToHex(point.slice(33, 65))),
        },
        origin: clientData.origin,
      };
    },
    async get({ rpId, challenge, allowCredentials, userVerification }) {
      const credential = (await credentialsContainer().get({
        publicKey: {
          rpId,
          challenge: buffer(challenge),
          allowCredentials: allowCredentials.map((id) => ({ type: 'public-key', id: buffer(id) })),
          userVerification,
        },
      })) as AssertionCredentialLike | null;
      if (!credential) throw new PasskeyAssertionRefusedError('the browser returned no assertion');
      const { response } = credential;
      const assertion: WebAuthnAssertion & { userHandle?: Hex } = {
        credentialId: hex(credential.rawId),
        authenticatorData: hex(response.authenticatorData),
        clientDataJSON: utf8(response.clientDataJSON),
        signature: hex(response.signature),
      };
      if (response.userHandle) assertion.userHandle = hex(response.userHandle);
      return assertion;
    },
  };
}
