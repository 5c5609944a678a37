import {
  buildAuthorizationUrl,
  discoveryUrl,
  type OpenIdProvider,
  type ProviderId,
  providerFromDiscovery,
} from '@zksso/core';
import { LoginRefusedError, ServiceError } from './errors.ts';

/**
 * Where the ID token of a login comes from:
 * - `dev`: the dev OpenID provider logs `user` in without a browser (`login_hint`, dev clients only);
 *   `issuerUrl` defaults to the network's `devIssuer`.
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

/** The redirect URI of the dev login: never contacted, the flow stops at the redirect. */
const DEV_REDIRECT_URI = 'http://127.0.0.1/callback';

/**
 * Gets an ID token carrying `nonce` for `clientId` from `source`.
 *
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
  return devLogin(issuer, source.user, options.clientId, options.nonce);
}

/** A minimal cookie jar: the provider's flow cookies have distinct names, so paths can be ignored. */
class CookieJar {
  readonly #cookies = new Map<string, string>();
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=.*1970/i.test(a) || /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

async function idpFetch(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (cause) {
    throw new ServiceError('idp', 0, undefined, `${new URL(url).origin} unreachable`, { cause });
  }
}

/**
 * The dev provider's non-interactive implicit login: discovery, the authorization URL with `login_hint`,
 * redirects followed by hand (with cookies) up to the redirect URI, whose fragment carries the token.
 */
async function devLogin(issuer: string, user: string, clientId: string, nonce: string): Promise<string> {
  const discovery = await idpFetch(discoveryUrl(issuer));
  if (!discovery.ok) {
    throw new ServiceError('idp', discovery.status, undefined, `discovery answered HTTP ${discovery.status}`);
  }
  const provider = providerFromDiscovery(await discovery.json(), { id: 'dev', expectedIssuer: issuer });
  const state = crypto.randomUUID();
  let next = buildAuthorizationUrl({
    provider,
    clientId,
    redirectUri: DEV_REDIRECT_URI,
    nonce,
    state,
    loginHint: user,
    scope: 'openid email',
  });
  const jar = new CookieJar();
  for (let hop = 0; hop < 10; hop++) {
    if (next.startsWith(DEV_REDIRECT_URI)) return tokenFromRedirect(new URL(next), state, user);
    const response = await idpFetch(next, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.store(response);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status <= 399 && location) {
      await response.body?.cancel();
      next = new URL(location, next).toString();
      continue;
    }
    const said = await errorOf(response);
    if (response.status >= 500 || response.status === 429) {
      throw new ServiceError(
        'idp',
        response.status,
        said.code,
        `the dev login answered HTTP ${response.status}`,
      );
    }
    // The provider answered, and not with the redirect that carries the token: it refused this user or
    // client (a 4xx, or a page where a redirect was due). Trying again the same way fails the same way.
    throw new LoginRefusedError(
      'idp',
      response.status,
      said.code ?? 'DEV_LOGIN_FAILED',
      `the dev login of ${JSON.stringify(user)} stopped with HTTP ${response.status}${said.message ? `: ${said.message}` : ' (unknown user or client?)'}`,
      { user },
    );
  }
  throw new ServiceError('idp', 0, 'DEV_LOGIN_FAILED', 'the dev login took too many redirects');
}

/** The error code and message of a provider's answer, when it sent JSON (`{ error: { code, message } }` or OAuth's `{ error, error_description }`). */
async function errorOf(response: Response): Promise<{ code?: string; message?: string }> {
  let body: unknown;
  try {
    body = JSON.parse(await response.text());
  } catch {
    return {};
  }
  const e = (body as { error?: unknown; error_description?: unknown } | null)?.error;
  if (e && typeof e === 'object') {
    const { code, message } = e as { code?: unknown; message?: unknown };
    return {
      ...(typeof code === 'string' ? { code } : {}),
      ...(typeof message === 'string' ? { message } : {}),
    };
  }
  const description = (body as { error_description?: unknown }).error_description;
  return {
    ...(typeof e === 'string' ? { code: e } : {}),
    ...(typeof description === 'string' ? { message: description } : {}),
  };
}

function tokenFromRedirect(callback: URL, state: string, user: string): string {
  const answer = new URLSearchParams(callback.hash.slice(1) || callback.search.slice(1));
  const error = answer.get('error');
  if (error) {
    // An OAuth error redirect (access_denied, invalid_client, login_required…): the provider said no.
    const description = answer.get('error_description');
    throw new LoginRefusedError(
      'idp',
      0,
      error,
      `the provider answered ${error}${description ? `: ${description}` : ''}`,
      { user },
    );
  }
  if (answer.get('state') !== state) throw new ServiceError('idp', 0, 'DEV_LOGIN_FAILED', 'state mismatch');
  const token = answer.get('id_token');
  if (!token) throw new ServiceError('idp', 0, 'DEV_LOGIN_FAILED', 'no id_token in the redirect');
  return token;
}
