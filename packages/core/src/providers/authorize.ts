import { ProviderError } from './errors.ts';
import { getProvider } from './lookup.ts';
import { microsoftAuthority } from './microsoft.ts';
import type { OpenIdProvider, ProviderId, ResponseMode } from './types.ts';

/**
 * Options of {@link buildAuthorizationUrl}.
 *
 * @example
 * ```ts
 * const options: AuthorizationUrlOptions = { provider: 'google', clientId, redirectUri, nonce };
 * ```
 */
export interface AuthorizationUrlOptions {
  provider: ProviderId | OpenIdProvider;
  clientId: string;
  /** Absolute https URL (http only for localhost / 127.0.0.1 / [::1]). */
  redirectUri: string;
  /** The zksso nonce (protocol §6), sent as `nonce`. */
  nonce: string;
  /** Anti-CSRF value echoed back by the provider. */
  state?: string;
  /** Replaces the default scopes (`openid` is added when missing). */
  scope?: string | readonly string[];
  loginHint?: string;
  /** OpenID `prompt` (e.g. `select_account`, `login`, `none`). */
  prompt?: string;
  /** Microsoft only: `common` (default), `organizations`, `consumers` or a tenant id. */
  tenant?: string;
  /** Overrides the provider's response mode. */
  responseMode?: ResponseMode;
  /** OpenID `claims` request (Twitch needs it for claims beyond the defaults); JSON-encoded. */
  claims?: Record<string, unknown>;
  /** PKCE for code flows: the S256 challenge of the verifier later given to the token request. */
  codeChallenge?: string;
  /** Further parameters; they may not replace the ones above. */
  extraParams?: Readonly<Record<string, string>>;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function requireText(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ProviderError('AUTH_PARAM_INVALID', `${name} must be a non-empty string`, { param: name });
  }
  return value;
}

/**
 * Checks that a redirect URI is absolute, has no fragment, and is https (http only on loopback hosts).
 *
 * @throws ProviderError `REDIRECT_URI_INVALID`.
 * @example
 * ```ts
 * checkRedirectUri('https://app.example/callback'); // 'https://app.example/callback'
 * ```
 */
export function checkRedirectUri(redirectUri: string): string {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch (cause) {
    throw new ProviderError('REDIRECT_URI_INVALID', 'redirectUri must be an absolute URL', {}, cause);
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  if (!secure || url.hash !== '') {
    throw new ProviderError(
      'REDIRECT_URI_INVALID',
      'redirectUri must be https (http only on loopback) without fragment',
      {
        protocol: url.protocol,
        host: url.host,
      },
    );
  }
  return redirectUri;
}

function scopesOf(provider: OpenIdProvider, scope: AuthorizationUrlOptions['scope']): string {
  const list =
    scope === undefined ? [...provider.scopes] : typeof scope === 'string' ? scope.split(/\s+/) : [...scope];
  const words = list.filter((word) => word.length > 0);
  if (!words.includes('openid')) words.unshift('openid');
  return [...new Set(words)].join(' ');
}

/**
 * The URL to send the user to for an OpenID login whose ID token carries `nonce`.
 *
 * Per provider (see {@link PROVIDERS}): Google, Facebook, Twitch and Microsoft use the implicit
 * `response_type=id_token`; Apple `code id_token` with `response_mode=form_post`; Kakao and Slack the
 * code flow (`response_type=code`), followed by {@link buildTokenExchangeRequest}. Microsoft's URL uses
 * `tenant` (default `common`). Parameters are URL-encoded with URLSearchParams (spaces as `+`).
 *
 * @throws ProviderError `AUTH_PARAM_INVALID`, `REDIRECT_URI_INVALID`, `MICROSOFT_TENANT_INVALID`, `UNKNOWN_PROVIDER`.
 * @example
 * ```ts
 * const url = buildAuthorizationUrl({
 *   provider: 'google',
 *   clientId: '1234.apps.googleusercontent.com',
 *   redirectUri: 'https://wallet.example/callback',
 *   nonce,
 *   state,
 * });
 * // https://accounts.google.com/o/oauth2/v2/auth?client_id=…&redirect_uri=…&response_type=id_token&scope=openid&nonce=…&state=…
 * ```
 */
export function buildAuthorizationUrl(options: AuthorizationUrlOptions): string {
  const provider = getProvider(options.provider);
  const clientId = requireText(options.clientId, 'clientId');
  const redirectUri = checkRedirectUri(requireText(options.redirectUri, 'redirectUri'));
  const nonce = requireText(options.nonce, 'nonce');

  let endpoint = provider.authorizationEndpoint;
  if (provider.id === 'microsoft') {
    const tenant = microsoftAuthority(options.tenant ?? 'common');
    endpoint = endpoint.replace('/common/', `/${tenant}/`);
  } else if (options.tenant !== undefined) {
    throw new ProviderError('AUTH_PARAM_INVALID', 'tenant is only for Microsoft', { param: 'tenant' });
  }

  const params = new URLSearchParams();
  params.set('client_id', clientId);
  params.set('redirect_uri', redirectUri);
  params.set('response_type', provider.responseType);
  const responseMode = options.responseMode ?? provider.responseMode;
  if (responseMode) params.set('response_mode', responseMode);
  params.set('scope', scopesOf(provider, options.scope));
  params.set('nonce', nonce);
  if (options.state !== undefined) params.set('state', requireText(options.state, 'state'));
  if (options.loginHint !== undefined) params.set('login_hint', requireText(options.loginHint, 'loginHint'));
  if (options.prompt !== undefined) params.set('prompt', requireText(options.prompt, 'prompt'));
  if (options.claims !== undefined) params.set('claims', JSON.stringify(options.claims));
  if (options.codeChallenge !== undefined) {
    if (!provider.responseType.includes('code')) {
      throw new ProviderError('AUTH_PARAM_INVALID', 'codeChallenge needs a code flow', {
        param: 'codeChallenge',
      });
    }
    params.set('code_challenge', requireText(options.codeChallenge, 'codeChallenge'));
    params.set('code_challenge_method', 'S256');
  }
  for (const [key, value] of Object.entries({
    ...provider.extraAuthorizationParams,
    ...options.extraParams,
  })) {
    if (params.has(key)) {
      throw new ProviderError('AUTH_PARAM_INVALID', `extra parameter ${key} would replace a standard one`, {
        param: key,
      });
    }
    params.set(key, value);
  }
  return `${endpoint}?${params.toString()}`;
}
