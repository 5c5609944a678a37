import { checkRedirectUri } from './authorize.ts';
import { ProviderError } from './errors.ts';
import { getProvider } from './lookup.ts';
import type { OpenIdProvider, ProviderId } from './types.ts';

/**
 * Options of {@link buildTokenExchangeRequest}.
 *
 * @example
 * ```ts
 * const options: TokenExchangeOptions = { provider: 'kakao', code, clientId, redirectUri };
 * ```
 */
export interface TokenExchangeOptions {
  provider: ProviderId | OpenIdProvider;
  /** The authorization code from the redirect. */
  code: string;
  clientId: string;
  /** Required by Slack; Kakao only when enabled for the app. Never put it in a browser bundle. */
  clientSecret?: string;
  /** The redirect URI sent in the authorization request (both providers require it to match). */
  redirectUri: string;
  /** PKCE verifier, when the authorization request had a code challenge. */
  codeVerifier?: string;
}

/**
 * A token request to send (this library does no I/O): `fetch(r.url, r)` sends it.
 *
 * @example
 * ```ts
 * const response = await fetch(request.url, request);
 * ```
 */
export interface TokenExchangeRequest {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  /** `application/x-www-form-urlencoded` body (URLSearchParams serialisation). */
  body: string;
}

const FORM_CONTENT_TYPE: Readonly<Record<string, string>> = {
  // Kakao's REST API docs give the charset explicitly.
  kakao: 'application/x-www-form-urlencoded;charset=utf-8',
};

function text(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ProviderError('AUTH_PARAM_INVALID', `${name} must be a non-empty string`, { param: name });
  }
  return value;
}

/**
 * Describes the authorization-code exchange of a code-flow provider (Kakao: POST
 * https://kauth.kakao.com/oauth/token; Slack: POST https://slack.com/api/openid.connect.token) as a plain
 * object: `grant_type=authorization_code`, `client_id`, `client_secret` (if any), `code`, `redirect_uri`,
 * `code_verifier` (if any), form-encoded. The response goes to {@link parseTokenResponse}.
 *
 * @throws ProviderError `TOKEN_EXCHANGE_UNSUPPORTED` (implicit-flow provider or no token endpoint),
 * `CLIENT_SECRET_REQUIRED` (Slack without secret), `AUTH_PARAM_INVALID`, `REDIRECT_URI_INVALID`.
 * @example
 * ```ts
 * const request = buildTokenExchangeRequest({
 *   provider: 'slack',
 *   code,
 *   clientId: '2141029472.691202649728',
 *   clientSecret,
 *   redirectUri: 'https://wallet.example/slack/callback',
 * });
 * const idToken = parseTokenResponse(await (await fetch(request.url, request)).json());
 * ```
 */
export function buildTokenExchangeRequest(options: TokenExchangeOptions): TokenExchangeRequest {
  const provider = getProvider(options.provider);
  if (provider.responseType !== 'code' || provider.tokenEndpoint === undefined) {
    throw new ProviderError(
      'TOKEN_EXCHANGE_UNSUPPORTED',
      `${provider.name} logins do not use a code exchange here`,
      {
        provider: provider.id,
      },
    );
  }
  if (provider.id === 'slack' && (options.clientSecret === undefined || options.clientSecret === '')) {
    throw new ProviderError(
      'CLIENT_SECRET_REQUIRED',
      'Slack’s openid.connect.token needs the client secret',
      {
        provider: provider.id,
      },
    );
  }
  const body = new URLSearchParams();
  body.set('grant_type', 'authorization_code');
  body.set('client_id', text(options.clientId, 'clientId'));
  if (options.clientSecret !== undefined)
    body.set('client_secret', text(options.clientSecret, 'clientSecret'));
  body.set('code', text(options.code, 'code'));
  body.set('redirect_uri', checkRedirectUri(text(options.redirectUri, 'redirectUri')));
  if (options.codeVerifier !== undefined)
    body.set('code_verifier', text(options.codeVerifier, 'codeVerifier'));
  return {
    url: provider.tokenEndpoint,
    method: 'POST',
    headers: {
      'Content-Type': FORM_CONTENT_TYPE[provider.id] ?? 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    },
    body: body.toString(),
  };
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Takes the `id_token` out of a token endpoint's JSON answer (object or JSON text). Understands OAuth
 * errors (`{ error, error_description }`) and Slack's (`{ ok: false, error }`, sent with HTTP 200).
 * Checks only the JWT shape; the signature and claims are checked elsewhere.
 *
 * @throws ProviderError `TOKEN_RESPONSE_MALFORMED`, `TOKEN_RESPONSE_ERROR`, `TOKEN_RESPONSE_MISSING_ID_TOKEN`.
 * @example
 * ```ts
 * parseTokenResponse({ ok: true, access_token: 'xoxp-…', id_token: 'eyJ….eyJ….sig' }); // 'eyJ….eyJ….sig'
 * ```
 */
export function parseTokenResponse(json: unknown): string {
  let value = json;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (cause) {
      throw new ProviderError('TOKEN_RESPONSE_MALFORMED', 'the token response is not JSON', {}, cause);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProviderError('TOKEN_RESPONSE_MALFORMED', 'the token response is not a JSON object', {});
  }
  const record = value as Record<string, unknown>;
  if (record.ok === false || typeof record.error === 'string') {
    throw new ProviderError('TOKEN_RESPONSE_ERROR', 'the provider refused the code exchange', {
      error: typeof record.error === 'string' ? record.error : 'unknown',
      ...(typeof record.error_description === 'string' ? { description: record.error_description } : {}),
    });
  }
  if (record.id_token === undefined) {
    throw new ProviderError(
      'TOKEN_RESPONSE_MISSING_ID_TOKEN',
      'the token response has no id_token (is openid in scope?)',
      {
        fields: Object.keys(record),
      },
    );
  }
  if (typeof record.id_token !== 'string' || !JWT_SHAPE.test(record.id_token)) {
    throw new ProviderError('TOKEN_RESPONSE_MALFORMED', 'id_token is not a compact JWS', {});
  }
  return record.id_token;
}
