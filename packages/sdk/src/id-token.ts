import { buildAuthorizationUrl, type OpenIdProvider, type ProviderId } from '@zksso/core';
import { devLogin } from './dev-login.ts';
import { ServiceError } from './errors.ts';

/**
 * Where the ID token of a login comes from:
 * - `dev`: the dev OpenID provider logs `user` in without a browser ({@link devLogin}: `login_hint`, dev
 *   clients only); `issuerUrl` defaults to the network's `devIssuer`.
 * - `callback`: a real provider; the SDK builds the authorization URL (when `provider` and `redirectUri`
 *   are given, else it passes an empty string) and `getIdToken` runs the login (browser, local redirect
 *   server...) and returns the ID token whose `nonce` is the one given.
 *
 * @example
 * ```ts
 * const dev: IdTokenSource = { kind: 'dev', user: 'alice' };
 * const google: IdTokenSource = {
 *   kind: 'callback',
 *   provider: 'google',
 *   redirectUri: 'http://127.0.0.1:8765/callback',
 *   getIdToken: async (url) => openBrowserAndWaitForToken(url),
 * };
 * ```
 */
export type IdTokenSource =
  | { kind: 'dev'; user: string; issuerUrl?: string }
  | {
      kind: 'callback';
      getIdToken(authorizationUrl: string, nonce: string): Promise<string>;
      provider?: ProviderId | OpenIdProvider;
      redirectUri?: string;
      state?: string;
    };

/**
 * Gets an ID token carrying `nonce` for `clientId` from `source`.
 *
 * @throws ServiceError (`dev` without an issuer), what {@link devLogin} throws for a `dev` source, and
 * whatever `getIdToken` throws for a `callback` source.
 * @example
 * ```ts
 * const jwt = await fetchIdToken({ kind: 'dev', user: 'alice', issuerUrl }, { clientId: 'zksso-dev', nonce });
 * ```
 */
export async function fetchIdToken(
  source: IdTokenSource,
  options: { clientId: string; nonce: string; devIssuer?: string },
): Promise<string> {
  if (source.kind === 'callback') {
    const url =
      source.provider && source.redirectUri
        ? buildAuthorizationUrl({
            provider: source.provider,
            clientId: options.clientId,
            redirectUri: source.redirectUri,
            nonce: options.nonce,
            ...(source.state ? { state: source.state } : {}),
          })
        : '';
    return source.getIdToken(url, options.nonce);
  }
  const issuer = source.issuerUrl ?? options.devIssuer;
  if (!issuer)
    throw new ServiceError('idp', 0, undefined, 'no dev issuer: pass issuerUrl or use a dev stack');
  return devLogin({ issuerUrl: issuer, user: source.user, clientId: options.clientId, nonce: options.nonce });
}
