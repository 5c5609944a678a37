import { ZkSsoError } from '@zksso/core';
import type { Address, Hex } from 'viem';

/**
 * WebAuthn is not available here (no `navigator.credentials`, e.g. Node or an insecure context) and no
 * `authenticator` was passed.
 *
 * @example
 * ```ts
 * await createPasskeyAccount({ network, rpId, name }); // in Node: throws WebAuthnUnavailableError
 * await createPasskeyAccount({ network, rpId, name, authenticator: createSoftwareAuthenticator({ origin }) });
 * ```
 */
export class WebAuthnUnavailableError extends ZkSsoError {
  constructor(reason: string) {
    super('WEBAUTHN_UNAVAILABLE', `WebAuthn is not available: ${reason} (pass an authenticator)`, {
      details: { reason },
    });
  }
}

/**
 * No zkSSO account holds the passkey the user chose: it was never used on this chain (the account is
 * counterfactual and the authenticator gave no way to tell its key), or it was removed from every account
 * (`details.removedFrom`: its own account, which no longer signs with it, e.g. after {@link removePasskey}
 * uninstalled the WebAuthnValidator).
 *
 * @example
 * ```ts
 * try { await loginWithPasskey({ network, rpId }); } catch (e) {
 *   if (e instanceof PasskeyNotFoundError) e.details.removedFrom ? showOpenIdSignIn() : showSignUp();
 * }
 * ```
 */
export class PasskeyNotFoundError extends ZkSsoError {
  declare readonly details: Readonly<{ credentialId: Hex; reason: string; removedFrom?: Address }>;
  /** `removedFrom`: the account the passkey was removed from, when the chain tells. */
  constructor(credentialId: Hex, reason: string, removedFrom?: Address) {
    super('PASSKEY_NOT_FOUND', `no account holds passkey ${credentialId}: ${reason}`, {
      details: { credentialId, reason, ...(removedFrom ? { removedFrom } : {}) },
    });
  }
}

/**
 * The authenticator's answer cannot be used by the WebAuthnValidator: user verification missing (the validator
 * requires the UV flag), another credential than the one asked for, a cross-origin assertion, or a public key
 * that is not P-256.
 *
 * @example
 * ```ts
 * await sendCalls({ network, account, calls }); // throws PasskeyAssertionRefusedError, details { reason: 'user verification missing' }
 * ```
 */
export class PasskeyAssertionRefusedError extends ZkSsoError {
  constructor(reason: string) {
    super('PASSKEY_ASSERTION_REFUSED', `the passkey's answer cannot be used: ${reason}`, {
      details: { reason },
    });
  }
}

/**
 * A recovery is pending but its delay has not elapsed: it can be executed from `readyAt` (unix seconds, chain
 * time) on. The account's owner can still cancel it until then.
 *
 * @example
 * ```ts
 * try { await executeRecovery({ ... }); } catch (e) { if (e instanceof RecoveryNotReadyError) console.log(new Date(e.details.readyAt * 1000)); }
 * ```
 */
export class RecoveryNotReadyError extends ZkSsoError {
  declare readonly details: Readonly<{ account: Address; recoveryId: Hex; readyAt: number }>;
  constructor(account: Address, recoveryId: Hex, readyAt: number) {
    super(
      'RECOVERY_NOT_READY',
      readyAt === 0
        ? `no recovery ${recoveryId} is pending for ${account}: initiate it first`
        : `the recovery of ${account} can be executed from ${new Date(readyAt * 1000).toISOString()} (chain time)`,
      { details: { account, recoveryId, readyAt } },
    );
  }
}

/**
 * The credential was not registered as a recovery credential of the account (RecoveryModule), or the account has
 * no RecoveryModule installed.
 *
 * @example
 * ```ts
 * await initiateRecovery({ ... }); // throws RecoveryNotRegisteredError when the account never added this identity
 * ```
 */
export class RecoveryNotRegisteredError extends ZkSsoError {
  constructor(account: Address, recoveryId: Hex) {
    super('RECOVERY_NOT_REGISTERED', `${account} has no recovery credential ${recoveryId}`, {
      details: { account, recoveryId },
    });
  }
}

/**
 * The passkey is the last one of the account and nothing else can sign for the account (no OpenID identity:
 * its ZkLoginValidator is not installed). Removing it would lock the account: the WebAuthnValidator keeps at
 * least one passkey and the account keeps at least one validator. Refused before anything is sent.
 *
 * @example
 * ```ts
 * try { await removePasskey({ network, account, credentialId }); } catch (e) {
 *   if (e instanceof LastPasskeyError) showHint('Add another passkey or an OpenID identity first');
 * }
 * ```
 */
export class LastPasskeyError extends ZkSsoError {
  declare readonly details: Readonly<{ account: Address; credentialId: Hex }>;
  constructor(account: Address, credentialId: Hex) {
    super(
      'LAST_PASSKEY',
      `passkey ${credentialId} is the only credential that signs for ${account}: add another passkey ` +
        '(addPasskey) or an OpenID identity (replaceOpenIdIdentity, or a recovery identity after executeRecovery) ' +
        'before removing it',
      { details: { account, credentialId } },
    );
  }
}
