import { ZkSsoError } from '@zksso/core';

/**
 * An error of the dev IdP or of {@link fetchIdToken}. {@link fetchIdToken} throws `DEV_IDP_LOGIN_FAILED` (the
 * flow did not end at the redirect URI with a token, e.g. an unknown user) or `DEV_IDP_HTTP` (discovery
 * failed); the server answers `DEV_IDP_BAD_REQUEST` (400) for a malformed request of its own endpoints.
 *
 * @example
 * ```ts
 * try {
 *   await fetchIdToken({ issuerUrl, user: 'mallory', nonce });
 * } catch (error) {
 *   if (error instanceof DevIdpError && error.code === 'DEV_IDP_LOGIN_FAILED') console.log(error.details);
 * }
 * ```
 */
export class DevIdpError extends ZkSsoError {}
