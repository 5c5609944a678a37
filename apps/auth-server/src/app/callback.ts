/**
 * /callback: the OpenID provider's redirect lands here, in the child window the popup opened. The ID token
 * (or the provider's error) is handed to the popup on this origin with a BroadcastChannel, the URL's
 * fragment is wiped (the token must not stay in history), and the window closes itself.
 */
import { OIDC_CHANNEL, type OidcResult } from './oidc-channel.ts';

const status = document.getElementById('callback-status');
const params = new URLSearchParams(location.hash.slice(1) || location.search.slice(1));
history.replaceState(null, '', '/callback');

const state = params.get('state') ?? '';
const result: OidcResult = params.get('id_token')
  ? { state, idToken: params.get('id_token') as string }
  : {
      state,
      error: params.get('error') ?? 'no_token',
      ...(params.get('error_description') ? { description: params.get('error_description') as string } : {}),
    };
const channel = new BroadcastChannel(OIDC_CHANNEL);
channel.postMessage(result);
channel.close();
if (status)
  status.textContent =
    'error' in result
      ? 'Sign-in failed: you can close this window.'
      : 'Signed in: you can close this window.';
setTimeout(() => window.close(), 300);
