import { type Hex, hexToBytes } from 'viem';
import { AUTHENTICATOR_FLAGS, type WebAuthnAssertion } from '../contracts/index.ts';
import { PasskeyAssertionRefusedError } from './errors.ts';

/**
 * Checks an authenticator's assertion before it goes on chain, so that a refusal the validator would give
 * (AA24, gas spent by the bundler's simulation only) comes back as a clear error instead: the credential asked
 * for, `webauthn.get`, the UV flag (the validator requires user verification), and no cross-origin assertion
 * unless allowed (the validator checks the origin only; an assertion made in a cross-origin iframe carries
 * the wallet's origin and could be clickjacked by the embedding page).
 *
 * @throws PasskeyAssertionRefusedError
 * @example
 * ```ts
 * checkAssertion(assertion, { credentialId, allowCrossOrigin: false });
 * ```
 */
export function checkAssertion(
  assertion: WebAuthnAssertion,
  expected: { credentialId?: Hex; allowCrossOrigin?: boolean },
): void {
  if (expected.credentialId && assertion.credentialId.toLowerCase() !== expected.credentialId.toLowerCase()) {
    throw new PasskeyAssertionRefusedError(
      `answered with credential ${assertion.credentialId}, not ${expected.credentialId}`,
    );
  }
  const flags = hexToBytes(assertion.authenticatorData)[32] ?? 0;
  if ((flags & AUTHENTICATOR_FLAGS.userVerified) === 0) {
    throw new PasskeyAssertionRefusedError(
      'user verification missing (the authenticator did not set UV; the WebAuthnValidator requires it)',
    );
  }
  let clientData: { type?: unknown; crossOrigin?: unknown };
  try {
    clientData = JSON.parse(assertion.clientDataJSON) as typeof clientData;
  } catch {
    throw new PasskeyAssertionRefusedError('clientDataJSON is not JSON');
  }
  if (clientData.type !== 'webauthn.get') {
    throw new PasskeyAssertionRefusedError(
      `clientDataJSON type is ${String(clientData.type)}, not webauthn.get`,
    );
  }
  if (clientData.crossOrigin === true && !expected.allowCrossOrigin) {
    throw new PasskeyAssertionRefusedError('cross-origin assertion (pass allowCrossOrigin to accept it)');
  }
}
