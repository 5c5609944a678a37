import { createHash, randomBytes } from 'node:crypto';
import { DevIdpError } from './errors.ts';

export type FetchIdTokenOptions = {
  /** The issuer (its discovery document is at `<issuerUrl>/.well-known/openid-configuration`). */
  issuerUrl: string;
  /** Username of a test user (sent as `login_hint`; the client must be a dev client). */
  user: string;
  /** The nonce the ID token must carry (zksso/v1 §6: 43 base64url characters). */
  nonce: string;
  /** Default `zksso-dev`. */
  clientId?: string;
  /** `implicit` (default): `response_type=id_token`; `code`: authorization code + PKCE S256. */
  flow?: 'implicit' | 'code';
  /** Default `http://127.0.0.1/callback` (never contacted: the flow stops at the redirect). */
  redirectUri?: string;
  /** Default `openid email`. */
  scope?: string;
};

type Discovery = { authorization_endpoint: string; token_endpoint: string };

/** A minimal cookie jar: oidc-provider's flow cookies have distinct names, so paths can be ignored. */
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

/**
 * Gets an ID token from a dev IdP (or any OpenID provider that logs a dev client in by `login_hint`) over
 * real HTTP: discovery, authorization request, redirects followed by hand with cookies, and, for the code
 * flow, the token request with the PKCE verifier. Tests and the dev stack use it instead of Google.
 *
 * @example
 * ```ts
 * const idToken = await fetchIdToken({ issuerUrl: 'http://127.0.0.1:18800', user: 'alice', nonce });
 * ```
 */
export async function fetchIdToken(options: FetchIdTokenOptions): Promise<string> {
  const clientId = options.clientId ?? 'zksso-dev';
  const redirectUri = options.redirectUri ?? 'http://127.0.0.1/callback';
  const flow = options.flow ?? 'implicit';
  const discoveryResponse = await fetch(
    `${options.issuerUrl.replace(/\/$/, '')}/.well-known/openid-configuration`,
  );
  if (!discoveryResponse.ok) {
    throw new DevIdpError('DEV_IDP_HTTP', `discovery answered ${discoveryResponse.status}`, {
      details: { status: discoveryResponse.status },
    });
  }
  const discovery = (await discoveryResponse.json()) as Discovery;
  const state = randomBytes(16).toString('base64url');
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL(discovery.authorization_endpoint);
  const params: Record<string, string> = {
    client_id: clientId,
    response_type: flow === 'code' ? 'code' : 'id_token',
    scope: options.scope ?? 'openid email',
    redirect_uri: redirectUri,
    nonce: options.nonce,
    state,
    login_hint: options.user,
  };
  if (flow === 'code') {
    params.code_challenge = createHash('sha256').update(verifier).digest('base64url');
    params.code_challenge_method = 'S256';
  }
  for (const [key, value] of Object.entries(params)) authorize.searchParams.set(key, value);

  const jar = new CookieJar();
  let next = authorize.toString();
  for (let hop = 0; hop < 10; hop++) {
    if (next.startsWith(redirectUri)) return finish(new URL(next));
    const response = await fetch(next, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.store(response);
    const location = response.headers.get('location');
    if (response.status < 300 || response.status > 399 || !location) {
      // The IdP's JSON refusal (e.g. DEV_IDP_INVALID_USER) says why; an HTML page (the login form shown to a
      // non-dev client, or a user unknown with `anyUser: false`) does not.
      const refusal = await readRefusal(response);
      throw new DevIdpError(
        'DEV_IDP_LOGIN_FAILED',
        refusal
          ? `the login was refused: ${refusal.message} [${refusal.code}]`
          : `the login stopped with HTTP ${response.status} (unknown user or client?)`,
        {
          details: {
            status: response.status,
            user: options.user,
            clientId,
            ...(refusal ? { code: refusal.code } : {}),
          },
        },
      );
    }
    await response.body?.cancel();
    next = new URL(location, next).toString();
  }
  throw new DevIdpError('DEV_IDP_LOGIN_FAILED', 'too many redirects', { details: { clientId } });

  async function finish(callback: URL): Promise<string> {
    const answer = new URLSearchParams(flow === 'code' ? callback.search : callback.hash.slice(1));
    const error = answer.get('error');
    if (error) {
      throw new DevIdpError('DEV_IDP_LOGIN_FAILED', `the provider answered ${error}`, {
        details: { error, description: answer.get('error_description') ?? undefined },
      });
    }
    if (answer.get('state') !== state) throw new DevIdpError('DEV_IDP_LOGIN_FAILED', 'state mismatch');
    if (flow === 'implicit') {
      const idToken = answer.get('id_token');
      if (!idToken) throw new DevIdpError('DEV_IDP_LOGIN_FAILED', 'no id_token in the redirect');
      return idToken;
    }
    const tokenResponse = await fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: answer.get('code') ?? '',
        redirect_uri: redirectUri,
        client_id: clientId,
        code_verifier: verifier,
      }),
    });
    const body = (await tokenResponse.json()) as { id_token?: string; error?: string };
    if (!tokenResponse.ok || !body.id_token) {
      throw new DevIdpError('DEV_IDP_LOGIN_FAILED', `token endpoint answered ${tokenResponse.status}`, {
        details: { status: tokenResponse.status, error: body.error },
      });
    }
    return body.id_token;
  }
}

/** The `{"error":{"code","message"}}` of a JSON answer, else undefined (the body is consumed either way). */
async function readRefusal(response: Response): Promise<{ code: string; message: string } | undefined> {
  if (!/^application\/json\b/i.test(response.headers.get('content-type') ?? '')) {
    await response.body?.cancel();
    return undefined;
  }
  try {
    const { error } = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    if (typeof error?.code !== 'string') return undefined;
    return { code: error.code, message: String(error.message ?? '') };
  } catch {
    return undefined;
  }
}
