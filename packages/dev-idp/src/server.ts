import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InteractionDetails, default as Provider } from 'oidc-provider';
import { DevIdpError } from './errors.ts';
import { generateSigningKey, loadKeys, type PrivateJwk, publicJwk, saveKeys } from './keys.ts';
import { loadOidcProvider } from './load-provider.ts';
import { renderErrorPage, renderLoginPage } from './login-page.ts';
import { DevIdpMetrics, routeGroup } from './metrics.ts';
import { DEFAULT_USERS, type DevUser, userFromName, userNameProblem } from './users.ts';

/** The client id of the dev preset: a native app that accepts any `http://127.0.0.1` / `http://localhost` redirect. */
export const DEV_CLIENT_ID = 'zksso-dev';
/** A second dev client, so tests can get tokens with another `aud`. */
export const DEV_CLIENT_ID_OTHER = 'zksso-dev-other';

/** A client of the dev IdP (a public client: no secret, PKCE for the code flow). */
export type DevClient = {
  clientId: string;
  /** Registered redirect URIs; for dev clients any loopback URI is accepted as well. */
  redirectUris?: string[];
  /**
   * A dev client skips the login form when the request carries `login_hint=<username>` and accepts any
   * redirect URI on `http://127.0.0.1` or `http://localhost` (any port, any path). Default true.
   */
  dev?: boolean;
};

export type StartDevIdpOptions = {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Host to bind; default 127.0.0.1. Keep it on loopback: this IdP signs tokens for anyone who asks. */
  host?: string;
  /** The issuer (origin only, no path); default `http://127.0.0.1:<port>`. */
  issuer?: string;
  users?: readonly DevUser[];
  clients?: readonly DevClient[];
  /** Signing keys, newest (the one that signs) first; default: loaded from `stateDir`, else one fresh key. */
  keys?: readonly PrivateJwk[];
  /** Where to persist signing keys (so restarts keep the same JWKS); default: not persisted. */
  stateDir?: string;
  /** Lifetime of ID tokens in seconds (default 3600). Tests of expiry use 1. */
  idTokenTtlSeconds?: number;
  /**
   * Sign in any user name that is not in `users` (default true): the user is made on the fly by
   * {@link userFromName} (a `sub` derived from the name, `<name>@example.com`). `false`: only `users`.
   */
  anyUser?: boolean;
};

export type RotateKeysOptions = {
  /** Keep the old keys in the JWKS (not signing) for this long; 0 (default) drops them at once. */
  overlapMs?: number;
};

export type RotateKeysResult = { kid: string; retiredKids: string[] };

/** A running dev IdP. */
export type DevIdp = {
  issuer: string;
  /** Base URL of the server (equal to the issuer unless an issuer was given). */
  url: string;
  jwksUri: string;
  users: readonly DevUser[];
  /** Kid of the key that signs new tokens. */
  signingKid(): string;
  /** Adds a new signing key; the old ones leave the JWKS after `overlapMs`. */
  rotateKeys(options?: RotateKeysOptions): Promise<RotateKeysResult>;
  stop(): Promise<void>;
};

const DEFAULT_CLIENTS: readonly DevClient[] = [
  { clientId: DEV_CLIENT_ID },
  { clientId: DEV_CLIENT_ID_OTHER },
];

function isLoopbackUri(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost');
  } catch {
    return false;
  }
}

/**
 * Starts a local OpenID provider (oidc-provider 9) for development and tests: RS256 ID tokens carrying the
 * requested nonce (implicit `id_token` and code + PKCE flows), test users, a login page, a non-interactive
 * login for dev clients (`login_hint=<username>`) and key rotation (`POST /dev/rotate-keys`).
 *
 * @example
 * ```ts
 * const idp = await startDevIdp({ port: 18800 });
 * // A token without a browser: devLogin of @zksso/sdk.
 * const token = await devLogin({ issuerUrl: idp.issuer, user: 'alice', nonce: 'n-0S6_WzA2Mj' });
 * await idp.stop();
 * ```
 */
export async function startDevIdp(options: StartDevIdpOptions = {}): Promise<DevIdp> {
  const users = options.users ?? DEFAULT_USERS;
  const clients = options.clients ?? DEFAULT_CLIENTS;
  const devClientIds = new Set(clients.filter((c) => c.dev !== false).map((c) => c.clientId));
  const stateDir = options.stateDir;
  let keys: PrivateJwk[] = [
    ...(options.keys ?? (stateDir ? loadKeys(stateDir) : undefined) ?? [generateSigningKey()]),
  ];
  if (stateDir) saveKeys(stateDir, keys);
  const cookieKeys = [randomBytes(32).toString('base64url')];
  const { default: OidcProvider } = await loadOidcProvider();
  const anyUser = options.anyUser ?? true;
  const userBySub = new Map(users.map((u) => [u.sub, u]));
  const userByName = new Map(users.map((u) => [u.username, u]));
  /** Users made on the fly from a name, in the order they first signed in. */
  const madeUsers: DevUser[] = [];

  /**
   * The user a name signs in as: a configured user (exact name, then lower case), else, with `anyUser`, one
   * made from the name; undefined when the name is unknown and `anyUser` is off. Throws
   * `DEV_IDP_INVALID_USER` for a name no account can be made for.
   */
  function resolveUser(name: string): DevUser | undefined {
    const configured = userByName.get(name) ?? userByName.get(name.toLowerCase());
    if (configured || !anyUser) return configured;
    const problem = userNameProblem(name);
    if (problem) {
      throw new DevIdpError('DEV_IDP_INVALID_USER', `the user name ${problem}`, {
        details: { length: name.length },
      });
    }
    const made = userFromName(name);
    const known = userBySub.get(made.sub);
    if (known) return known;
    userBySub.set(made.sub, made);
    userByName.set(made.username, made);
    madeUsers.push(made);
    return made;
  }

  const metrics = new DevIdpMetrics();
  let stopping = false;
  const server = createServer((req, res) => {
    const route = routeGroup(new URL(req.url ?? '/', 'http://idp.invalid').pathname);
    res.once('finish', () => metrics.countRequest(route, res.statusCode));
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.end();
      if (error instanceof DevIdpError) {
        if (error.allow) res.setHeader('allow', error.allow.join(', '));
        return sendJson(res, error.status, { error: { code: error.code, message: error.message } });
      }
      // oidc-provider's own refusals (e.g. an interaction whose session cookie is missing) carry a 4xx status.
      const status = (error as { status?: unknown }).status;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        const description = (error as { error_description?: unknown }).error_description;
        return sendJson(res, status, {
          error: { code: 'DEV_IDP_BAD_REQUEST', message: String(description ?? 'bad request') },
        });
      }
      // The cause stays out of the answer: it could quote a request body.
      sendJson(res, 500, { error: { code: 'DEV_IDP_INTERNAL', message: 'internal error' } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  const issuer = options.issuer ?? url;

  function buildProvider(): Provider {
    const provider = new OidcProvider(issuer, {
      clients: clients.map((c) => ({
        client_id: c.clientId,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'implicit'],
        response_types: ['code', 'id_token'],
        redirect_uris: c.redirectUris ?? ['http://127.0.0.1/callback'],
      })),
      jwks: { keys },
      findAccount: (_ctx: unknown, sub: string) => {
        const user = userBySub.get(sub);
        if (!user) return undefined;
        return {
          accountId: sub,
          claims: () => ({
            sub,
            email: user.email,
            email_verified: user.emailVerified,
            ...(user.name === undefined ? {} : { name: user.name }),
          }),
        };
      },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      features: { devInteractions: { enabled: false } },
      interactions: {
        url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
      },
      responseTypes: ['code', 'id_token', 'none'],
      // Email claims reach the ID token of the code flow only with this off (see docs/FACTS).
      conformIdTokenClaims: false,
      cookies: { keys: cookieKeys },
      pkce: { required: () => true },
      renderError: (ctx: { type: string; body: string }, out: Record<string, string>) => {
        ctx.type = 'html';
        ctx.body = renderErrorPage(out);
      },
      ttl: {
        IdToken: options.idTokenTtlSeconds ?? 3600,
        AccessToken: 3600,
        AuthorizationCode: 60,
        Interaction: 600,
        Grant: 3600,
        Session: 3600,
      },
    });
    const ClientPrototype = provider.Client.prototype;
    const registeredAllowed = ClientPrototype.redirectUriAllowed;
    // Dev clients accept any loopback redirect (any port and path), like a native app would.
    ClientPrototype.redirectUriAllowed = function redirectUriAllowed(
      this: { clientId: string },
      uri: string,
    ) {
      if (devClientIds.has(this.clientId) && isLoopbackUri(uri)) return true;
      return registeredAllowed.call(this, uri);
    };
    provider.use(async (ctx, next) => {
      await next();
      // oidc-provider answers a plain-text 404 for an unknown path and for a wrong method on its own routes
      // (which the OpenID specs leave undefined): answer them like the IdP's other errors, a wrong method as
      // 405 with `Allow`. Its protocol errors (`invalid_request` …) have a body already and stay as they are.
      if (ctx.status !== 404 || ctx.body !== undefined) return;
      const allow = providerRouteMethods(provider, ctx.path);
      if (!allow) {
        ctx.status = 404;
        ctx.body = errorBody('DEV_IDP_NOT_FOUND', `no route ${ctx.path}`);
      } else if (ctx.method === 'OPTIONS') {
        // A pre-flight without an Origin is no CORS request: say which methods the route takes.
        ctx.status = 204;
        ctx.set('allow', allow.join(', '));
      } else {
        ctx.status = 405;
        ctx.set('allow', allow.join(', '));
        ctx.body = errorBody('DEV_IDP_METHOD_NOT_ALLOWED', `use ${allow.join(' or ')} ${ctx.path}`);
      }
      if (ctx.body !== undefined) {
        ctx.type = 'application/json';
        ctx.set('cache-control', 'no-store');
      }
    });
    return provider;
  }

  let provider = buildProvider();
  let retireTimers: NodeJS.Timeout[] = [];

  function setKeys(next: PrivateJwk[]): void {
    keys = next;
    if (stateDir) saveKeys(stateDir, keys);
    provider = buildProvider();
  }

  async function finishLogin(
    req: IncomingMessage,
    res: ServerResponse,
    details: InteractionDetails,
    user: DevUser,
  ) {
    const clientId = details.params.client_id ?? '';
    const grant = new provider.Grant({ accountId: user.sub, clientId });
    grant.addOIDCScope(details.params.scope ?? 'openid');
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.sub }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  async function handleInteraction(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    // The method first: a wrong one is refused as such, whatever the state of the interaction.
    const allow = path.endsWith('/login') ? ['POST'] : ['GET', 'HEAD'];
    if (!allow.includes(req.method ?? '')) {
      throw new DevIdpError('DEV_IDP_METHOD_NOT_ALLOWED', `use ${allow.join(' or ')} ${path}`, { allow });
    }
    const details = await provider.interactionDetails(req, res);
    const isDevClient = devClientIds.has(details.params.client_id ?? '');
    if (path.endsWith('/login')) {
      const form = new URLSearchParams(await readBody(req));
      let user: DevUser | undefined;
      let problem = 'Unknown user';
      try {
        user = resolveUser((form.get('user') ?? '').trim());
      } catch (error) {
        if (!(error instanceof DevIdpError)) throw error;
        problem = error.message;
      }
      // A person at the form: the page again, with the reason.
      if (!user) return sendHtml(res, 400, renderLoginPage(details.uid, users, problem, anyUser));
      return finishLogin(req, res, details, user);
    }
    // Only dev clients skip the form, so only their hints are resolved (and refused when malformed).
    const hint = details.params.login_hint;
    const hinted = isDevClient && hint !== undefined ? resolveUser(hint) : undefined;
    const sessionUser = details.session?.accountId ? userBySub.get(details.session.accountId) : undefined;
    if (isDevClient && (hinted ?? sessionUser))
      return finishLogin(req, res, details, (hinted ?? sessionUser) as DevUser);
    sendHtml(res, 200, renderLoginPage(details.uid, users, undefined, anyUser));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', url).pathname;
    const allowed = OWN_ROUTES[path];
    if (allowed && !allowed.includes(req.method ?? '')) {
      throw new DevIdpError('DEV_IDP_METHOD_NOT_ALLOWED', `use ${allowed.join(' or ')} ${path}`, {
        allow: allowed,
      });
    }
    if (path === '/health') {
      if (stopping) return sendJson(res, 503, { status: 'stopping' });
      return sendJson(res, 200, { status: 'ok', issuer, keys: keys.length, users: users.length });
    }
    if (path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      return void res.end(metrics.render(keys.length));
    }
    if (path === '/dev/rotate-keys') {
      const result = await rotateKeys({ overlapMs: await rotateOverlap(req, new URL(req.url ?? '/', url)) });
      metrics.countRotation();
      return sendJson(res, 200, result);
    }
    if (path === '/dev/users') {
      return sendJson(res, 200, {
        users: users.map((u) => ({ username: u.username, sub: u.sub, email: u.email })),
        madeFromNames: madeUsers.map((u) => ({ username: u.username, sub: u.sub, email: u.email })),
        anyUser,
      });
    }
    if (path.startsWith('/interaction/')) return handleInteraction(req, res, path);
    provider.callback()(req, res);
  }

  async function rotateKeys(rotate: RotateKeysOptions = {}): Promise<RotateKeysResult> {
    const key = generateSigningKey();
    const old = keys;
    const overlapMs = rotate.overlapMs ?? 0;
    if (!Number.isFinite(overlapMs) || overlapMs < 0) throw new RangeError('overlapMs must be >= 0');
    if (overlapMs === 0) {
      setKeys([key]);
    } else {
      setKeys([key, ...old]);
      const timer = setTimeout(() => {
        retireTimers = retireTimers.filter((t) => t !== timer);
        setKeys(keys.filter((k) => !old.includes(k)));
      }, overlapMs);
      timer.unref();
      retireTimers.push(timer);
    }
    return { kid: key.kid, retiredKids: old.map((k) => k.kid) };
  }

  return {
    issuer,
    url,
    jwksUri: `${issuer}/jwks`,
    users,
    signingKid: () => (keys[0] as PrivateJwk).kid,
    rotateKeys,
    stop: async () => {
      stopping = true;
      for (const timer of retireTimers) clearTimeout(timer);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A development server: idle keep-alive sockets close now, busy ones after their answer (at most 2 s).
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), 2_000);
      await closed;
      clearTimeout(grace);
    },
  };
}

/** The public JWKS of a set of signing keys (what `/jwks` serves). */
export function toPublicJwks(keys: readonly PrivateJwk[]) {
  return { keys: keys.map(publicJwk) };
}

async function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > limit) throw new DevIdpError('DEV_IDP_BAD_REQUEST', 'request body too large');
  }
  return body;
}

/** The IdP's own routes and the methods each takes (oidc-provider's routes are found by `providerRouteMethods`). */
const OWN_ROUTES: Readonly<Record<string, readonly string[]>> = {
  '/health': ['GET', 'HEAD'],
  '/metrics': ['GET', 'HEAD'],
  '/dev/rotate-keys': ['POST'],
  '/dev/users': ['GET', 'HEAD'],
};

/**
 * oidc-provider's routes as the dev IdP configures them (its defaults: userinfo and RP-initiated logout on,
 * no POST authorization), by route name, with the methods its router takes (GET routes take HEAD too).
 */
const PROVIDER_ROUTES: Readonly<Record<string, readonly string[]>> = {
  discovery: ['GET', 'HEAD', 'OPTIONS'],
  jwks: ['GET', 'HEAD', 'OPTIONS'],
  authorization: ['GET', 'HEAD'],
  resume: ['GET', 'HEAD'],
  token: ['POST', 'OPTIONS'],
  userinfo: ['GET', 'HEAD', 'POST', 'OPTIONS'],
  end_session: ['GET', 'HEAD'],
  end_session_confirm: ['POST'],
  end_session_success: ['GET', 'HEAD'],
};

/** The methods oidc-provider takes on `path`, or undefined when `path` is none of its routes. */
function providerRouteMethods(provider: Provider, path: string): readonly string[] | undefined {
  for (const [name, methods] of Object.entries(PROVIDER_ROUTES)) {
    let route: string;
    try {
      route = name === 'discovery' ? '/.well-known/openid-configuration' : provider.pathFor(name);
    } catch {
      continue; // a route this configuration turns off
    }
    const escaped = route.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`^${escaped.replace(/:[a-z_]+/g, '[^/]+')}$`).test(path)) return methods;
  }
  return undefined;
}

function errorBody(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

/** Whether a `Content-Type` header declares JSON: `application/json` or a `+json` type, any parameters. */
function isJsonContentType(header: string | undefined): boolean {
  const type = (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/** `overlapMs` of a rotation request: query `?overlapMs=`, else JSON body `{"overlapMs": n}`, else 0. */
async function rotateOverlap(req: IncomingMessage, requestUrl: URL): Promise<number> {
  const body = await readBody(req);
  if (body.trim() !== '' && !isJsonContentType(req.headers['content-type'])) {
    throw new DevIdpError('DEV_IDP_UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
  }
  let raw: unknown = requestUrl.searchParams.get('overlapMs') ?? undefined;
  if (raw === undefined && body.trim() !== '') {
    try {
      raw = (JSON.parse(body) as { overlapMs?: unknown }).overlapMs;
    } catch {
      throw new DevIdpError('DEV_IDP_BAD_REQUEST', 'the body must be JSON {"overlapMs": <ms>}');
    }
  }
  const overlapMs = raw === undefined || raw === '' ? 0 : Number(raw);
  if (!Number.isFinite(overlapMs) || overlapMs < 0 || overlapMs > 2_147_483_647) {
    throw new DevIdpError('DEV_IDP_BAD_REQUEST', 'overlapMs must be a number of milliseconds >= 0', {
      details: { overlapMs: String(raw) },
    });
  }
  return overlapMs;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}
