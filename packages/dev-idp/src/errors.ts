// @zksso/core has no index.ts yet: import the base class from its file. Switch to '@zksso/core' once it exports it.
import { ZkSsoError } from '../../core/src/errors.ts';

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
