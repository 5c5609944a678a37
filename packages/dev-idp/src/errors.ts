import { ZkSsoError } from '@zksso/core';

/**
 * An error of the dev IdP or of {@link fetchIdToken}: `code` is `DEV_IDP_LOGIN_FAILED` (the flow did not end
 * at the redirect URI with a token), `DEV_IDP_UNKNOWN_USER` or `DEV_IDP_HTTP` (an unexpected HTTP answer).
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
