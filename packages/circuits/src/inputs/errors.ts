import { ZkSsoError } from '@zksso/core';

/**
 * The token's `nonce` is not the nonce of the given ephemeral key, expiry and randomness (protocol §6),
 * so no proof can bind this key (code NONCE_MISMATCH).
 *
 * @example
 * ```ts
 * buildZkLoginInputs({ ...args, randomness: otherRandomness }); // throws NonceMismatchError
 * ```
 */
export class NonceMismatchError extends ZkSsoError {
  constructor() {
    super('NONCE_MISMATCH', "The token's nonce does not commit to this ephemeral key, expiry and randomness");
  }
}

/**
 * A claim is present but written in a way the circuit does not accept (code CLAIM_LAYOUT_UNSUPPORTED):
 * more than 8 bytes of whitespace and colon between a member name and its value, a payload that does
 * not begin with `{`, or a top-level member name written with a `\u` escape.
 *
 * @example
 * ```ts
 * buildZkLoginInputs({ ...args, jwt: tokenWithWideSpacing }); // throws, details { claim: 'aud', reason }
 * ```
 */
export class ClaimLayoutUnsupportedError extends ZkSsoError {
  constructor(claim: string, reason: string) {
    super('CLAIM_LAYOUT_UNSUPPORTED', `Claim ${claim} cannot be proved: ${reason}`, {
      details: { claim, reason },
    });
  }
}

/**
 * The JWT's RS256 signature does not verify under the given RSA key (code JWT_SIGNATURE_INVALID).
 *
 * @example
 * ```ts
 * buildZkLoginInputs({ ...args, jwk: otherProvidersKey }); // throws JwtSignatureInvalidError
 * ```
 */
export class JwtSignatureInvalidError extends ZkSsoError {
  constructor(reason: string) {
    super('JWT_SIGNATURE_INVALID', `The JWT signature does not verify: ${reason}`, { details: { reason } });
  }
}
