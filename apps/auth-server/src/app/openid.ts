import { buildAuthorizationUrl, discoveryUrl, type OpenIdProvider } from '@zksso/core';
import type { ProviderConfig } from '../shared/config.ts';
import { OIDC_CHANNEL, type OidcResult } from './oidc-channel.ts';

/** The OpenID provider's window could not be opened, was cancelled, or the provider answered an error. */
export class IdpError extends Error {
  constructor(
    readonly code: 'POPUP_BLOCKED' | 'CANCELLED' | 'IDP_ERROR',
    message: string,
    readonly providerError?: string,
  ) {
    super(message);
  }
}

/** The page's redirect URI: `/callback` on this origin. @example `redirectUri(location.origin)` */
export function redirectUri(origin: string): string {
  return `${origin}/callback`;
}

/** A ProviderConfig as `@zksso/core`'s provider shape, for `buildAuthorizationUrl`. */
export function asOpenIdProvider(p: ProviderConfig): OpenIdProvider {
  return {
    id: p.id,
    name: p.name,
    issuers: [p.issuer],
    discoveryUrl: discoveryUrl(p.issuer),
    jwksUri: '',
    authorizationEndpoint: p.authorizationEndpoint,
    responseType: 'id_token',
    scopes: p.scopes,
    keyClaim: 'sub',
    emailKeyClaimAllowed: false,
    quirks: [],
  };
}

/**
 * Opens the provider's window at once (inside the click, so the browser allows it) on a blank page; the
 * login navigates it once the nonce is known. Never the popup itself: an IdP page with COOP would sever
 * the dapp's `window.opener`, and a navigation would drop the popup's state.
 *
 * @throws IdpError `POPUP_BLOCKED`
 * @example
 * ```ts
 * button.onclick = () => { const child = openIdpWindow(); login(child); };
 * ```
 */
export function openIdpWindow(): Window {
  const width = 480;
  const height = 640;
  const left = Math.max(0, window.screenX + (window.outerWidth - width) / 2);
  const top = Math.max(0, window.screenY + 40);
  const child = window.open(
    'about:blank',
    'zksso-idp',
    `popup=yes,width=${width},height=${height},left=${left},top=${top}`,
  );
  if (!child) throw new IdpError('POPUP_BLOCKED', 'The browser blocked the sign-in window');
  return child;
}

/**
 * Runs the provider's login in `child` and resolves with the ID token that /callback hands back over a
 * BroadcastChannel of this origin (the token never crosses origins). `state` binds the answer to this
 * login; other answers are ignored.
 *
 * @throws IdpError `IDP_ERROR` (the provider's `error`), `CANCELLED` (the signal)
 * @example
 * ```ts
 * const idToken = await idTokenInWindow({ child, provider, nonce, origin: location.origin, signal });
 * ```
 */
export function idTokenInWindow(p: {
  child: Window;
  provider: ProviderConfig;
  nonce: string;
  origin: string;
  signal?: AbortSignal;
  /** Receives the authorization URL (to open the window again from a click: `reopenIdpWindow(url)`). */
  onUrl?: (url: string) => void;
}): Promise<string> {
  const state = crypto.randomUUID();
  const url = buildAuthorizationUrl({
    provider: asOpenIdProvider(p.provider),
    clientId: p.provider.clientId,
    redirectUri: redirectUri(p.origin),
    nonce: p.nonce,
    state,
    scope: p.provider.scopes,
  });
  p.onUrl?.(url);
  return new Promise<string>((resolve, reject) => {
    const channel = new BroadcastChannel(OIDC_CHANNEL);
    const done = () => {
      channel.close();
      p.signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      done();
      try {
        p.child.close();
      } catch {}
      reject(new IdpError('CANCELLED', 'Sign-in cancelled'));
    };
    channel.onmessage = (event: MessageEvent<OidcResult>) => {
      const result = event.data;
      if (!result || result.state !== state) return;
      done();
      if ('idToken' in result) resolve(result.idToken);
      else
        reject(
          new IdpError(
            'IDP_ERROR',
            `${p.provider.name} refused the sign-in${result.description ? `: ${result.description}` : ` (${result.error})`}`,
            result.error,
          ),
        );
    };
    if (p.signal?.aborted) return onAbort();
    p.signal?.addEventListener('abort', onAbort);
    p.child.location.href = url;
  });
}

/** Opens the provider's window again (the user closed it), from a click. @throws IdpError `POPUP_BLOCKED` */
export function reopenIdpWindow(url: string): void {
  const child = openIdpWindow();
  child.location.href = url;
}
