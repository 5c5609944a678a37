import {
  buildAuthorizationUrl,
  buildTokenExchangeRequest,
  bytesToBase64Url,
  discoveryUrl,
  type OpenIdProvider,
  ProviderError,
  parseTokenResponse,
  providerFromDiscovery,
} from '@zksso/core';
import { LoginRefusedError, ServiceError } from './errors.ts';

/**
 * Parameters of {@link devLogin}.
 *
 * @example
 * ```ts
 * const p: DevLoginParameters = { issuerUrl: 'http://127.0.0.1:5556', user: 'alice', nonce };
 * ```
 */
export interface DevLoginParameters {
  /** The issuer; its discovery document is at `<issuerUrl>/.well-known/openid-configuration`. */
  issuerUrl: string;
  /** The test user's name, sent as `login_hint` (the client must be one of the provider's dev clients). */
  user: string;
  /** The nonce the ID token must carry (zksso/v1 §6: 43 base64url characters). */
  nonce: string;
  /** Default `zksso-dev`, the dev OpenID provider's dev client. */
  clientId?: string;
  /** `implicit` (default): `response_type=id_token`; `code`: authorization code with PKCE S256. */
  flow?: 'implicit' | 'code';
  /** Default `http://127.0.0.1/callback`: never contacted, the flow stops at the redirect. */
  redirectUri?: string;
  /** Default `openid email`. */
  scope?: string;
}

/**
 * What {@link devLogin} returns: the ID token (a compact JWS) carrying the nonce.
 *
 * @example
 * ```ts
 * const jwt: DevLoginReturnType = await devLogin(p);
 * ```
 */
export type DevLoginReturnType = string;

/**
 * The typed errors {@link devLogin} throws:
 * - {@link LoginRefusedError} (`by: 'idp'`): the provider answered, and not with the token: a refused user
 *   name (`code` is the provider's, e.g. `DEV_IDP_INVALID_USER`, `status` 400), an unknown client or
 *   redirect URI (its error page: `code` `DEV_LOGIN_FAILED`), a login form where a dev client would be let in
 *   (a user unknown to a provider that signs in only its own, `status` 200), an OAuth error redirect or a
 *   refused code exchange (`code` the OAuth error). Trying again the same way fails the same way.
 * - {@link ServiceError} (`service: 'idp'`): no answer (`status` 0), a 5xx or 429, a discovery document that
 *   could not be read (`status` its HTTP status), or a flow that broke off (too many redirects, state
 *   mismatch, no token in the redirect; `code` `DEV_LOGIN_FAILED`).
 * - `ProviderError` of `@zksso/core`: bad parameters (an issuer or redirect URI that is not https or
 *   loopback).
 *
 * @example
 * ```ts
 * try { await devLogin(p); } catch (e) { console.log((e as DevLoginErrorType).code); }
 * ```
 */
export type DevLoginErrorType = LoginRefusedError | ServiceError | ProviderError;

const DEFAULT_CLIENT_ID = 'zksso-dev';
const DEFAULT_REDIRECT_URI = 'http://127.0.0.1/callback';
const DEFAULT_SCOPE = 'openid email';
const MAX_HOPS = 10;

/**
 * Logs a test user into a dev OpenID provider without a browser (the dev provider of `@zksso/dev-idp`, or
 * any provider that lets a dev client in by `login_hint`) and returns the ID token: discovery, the
 * authorization request with `login_hint=<user>`, redirects followed by hand with a cookie jar up to the
 * redirect URI, then the token from the redirect's fragment (implicit flow) or from the token endpoint,
 * exchanging the code with its PKCE verifier (code flow). Plain `fetch` and WebCrypto: it runs in browsers,
 * workers and Node. The SDK's `{ kind: 'dev' }` logins, the CLI, the dev stack's smoke test and the
 * services' tests all use it.
 *
 * @throws {@link DevLoginErrorType}.
 * @example
 * ```ts
 * const jwt = await devLogin({ issuerUrl: 'http://127.0.0.1:5556', user: 'alice', nonce });
 * const viaCode = await devLogin({
 *   issuerUrl, user: 'carol', nonce, flow: 'code', clientId: 'zksso-dev-other',
 *   redirectUri: 'http://127.0.0.1:5173/auth/callback',
 * });
 * ```
 */
export async function devLogin(p: DevLoginParameters): Promise<DevLoginReturnType> {
  const clientId = p.clientId ?? DEFAULT_CLIENT_ID;
  const redirectUri = p.redirectUri ?? DEFAULT_REDIRECT_URI;
  const flow = p.flow ?? 'implicit';
  const provider = await discover(p.issuerUrl, flow);
  const state = randomBase64Url(16);
  // PKCE (RFC 7636): the code flow sends the S256 challenge here and the verifier with the code.
  const codeVerifier = flow === 'code' ? randomBase64Url(32) : undefined;
  let next = buildAuthorizationUrl({
    provider,
    clientId,
    redirectUri,
    nonce: p.nonce,
    state,
    loginHint: p.user,
    scope: p.scope ?? DEFAULT_SCOPE,
    ...(codeVerifier ? { codeChallenge: await s256(codeVerifier) } : {}),
  });
  const jar = new CookieJar();
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    if (next.startsWith(redirectUri)) {
      const answer = fromRedirect(new URL(next), state, p.user);
      if (codeVerifier === undefined) {
        const token = answer.get('id_token');
        if (!token) throw new ServiceError('idp', 0, 'DEV_LOGIN_FAILED', 'no id_token in the redirect');
        return token;
      }
      return exchangeCode(
        provider,
        answer.get('code') ?? '',
        { clientId, redirectUri, codeVerifier },
        p.user,
      );
    }
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
    // client (a 4xx, or a page such as the login form where a redirect was due). Trying again fails the
    // same way.
    throw new LoginRefusedError(
      'idp',
      response.status,
      said.code ?? 'DEV_LOGIN_FAILED',
      `the dev login of ${JSON.stringify(p.user)} stopped with HTTP ${response.status}${said.message ? `: ${said.message}` : ' (unknown user, client or redirect URI?)'}`,
      { user: p.user },
    );
  }
  throw new ServiceError('idp', 0, 'DEV_LOGIN_FAILED', 'the dev login took too many redirects');
}

/** The provider from its discovery document, with the response type of the flow. */
async function discover(issuerUrl: string, flow: 'implicit' | 'code'): Promise<OpenIdProvider> {
  const response = await idpFetch(discoveryUrl(issuerUrl));
  if (!response.ok) {
    const said = await errorOf(response);
    throw new ServiceError('idp', response.status, said.code, `discovery answered HTTP ${response.status}`);
  }
  let document: unknown;
  try {
    document = await response.json();
    return providerFromDiscovery(document, {
      id: 'dev',
      expectedIssuer: issuerUrl,
      responseType: flow === 'code' ? 'code' : 'id_token',
    });
  } catch (cause) {
    // The provider's fault, not the caller's: a document that is not JSON or not a usable discovery document.
    const code = cause instanceof ProviderError ? cause.code : 'DISCOVERY_INVALID';
    throw new ServiceError('idp', response.status, code, 'the discovery document is unusable', { cause });
  }
}

/** The parameters of the redirect (fragment: implicit flow; query: code flow), its state checked. */
function fromRedirect(callback: URL, state: string, user: string): URLSearchParams {
  const answer = new URLSearchParams(callback.hash.slice(1) || callback.search.slice(1));
  const error = answer.get('error');
  if (error) {
    // An OAuth error redirect (access_denied, invalid_scope, login_required…): the provider said no.
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
  return answer;
}

/** The code flow's token request (RFC 6749 §4.1.3 with the PKCE verifier); returns its `id_token`. */
async function exchangeCode(
  provider: OpenIdProvider,
  code: string,
  client: { clientId: string; redirectUri: string; codeVerifier: string },
  user: string,
): Promise<string> {
  if (!code) throw new ServiceError('idp', 0, 'DEV_LOGIN_FAILED', 'no code in the redirect');
  const request = buildTokenExchangeRequest({ provider, code, ...client });
  const response = await idpFetch(request.url, request);
  const text = await response.text();
  if (response.status >= 500 || response.status === 429) {
    throw new ServiceError(
      'idp',
      response.status,
      undefined,
      `the token endpoint answered HTTP ${response.status}`,
    );
  }
  try {
    return parseTokenResponse(text);
  } catch (cause) {
    if (cause instanceof ProviderError && cause.code === 'TOKEN_RESPONSE_ERROR') {
      // invalid_grant (a used or expired code, a wrong verifier), invalid_client…: refused, not broken.
      const details = cause.details as { error?: string; description?: string };
      throw new LoginRefusedError(
        'idp',
        response.status,
        details.error,
        `the token endpoint answered ${details.error}${details.description ? `: ${details.description}` : ''}`,
        { user, cause },
      );
    }
    throw new ServiceError(
      'idp',
      response.status,
      cause instanceof ProviderError ? cause.code : 'DEV_LOGIN_FAILED',
      `the token endpoint's answer has no usable id_token (HTTP ${response.status})`,
      { cause },
    );
  }
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
 * The error code and message of a provider's answer, when it sent JSON: `{ error: { code, message } }` or
 * OAuth's `{ error, error_description }`.
 */
async function errorOf(response: Response): Promise<{ code?: string; message?: string }> {
  let body: unknown;
  try {
    body = JSON.parse(await response.text());
  } catch {
    return {};
  }
  const e = (body as { error?: unknown } | null)?.error;
  if (e && typeof e === 'object') {
    const { code, message } = e as { code?: unknown; message?: unknown };
    return {
      ...(typeof code === 'string' ? { code } : {}),
      ...(typeof message === 'string' ? { message } : {}),
    };
  }
  const description = (body as { error_description?: unknown } | null)?.error_description;
  return {
    ...(typeof e === 'string' ? { code: e } : {}),
    ...(typeof description === 'string' ? { message: description } : {}),
  };
}

function randomBase64Url(bytes: number): string {
  return bytesToBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** The PKCE S256 challenge of a verifier, base64url(SHA-256(verifier)): WebCrypto, so browsers run it too. */
async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return bytesToBase64Url(new Uint8Array(digest));
}
