import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type InteractionDetails } from 'oidc-provider';
import { DevIdpError } from './errors.ts';
import { generateSigningKey, loadKeys, type PrivateJwk, publicJwk, saveKeys } from './keys.ts';
import { renderErrorPage, renderLoginPage } from './login-page.ts';
import { DevIdpMetrics, routeGroup } from './metrics.ts';
import { DEFAULT_USERS, type DevUser } from './users.ts';

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
 * const token = await fetchIdToken({ issuerUrl: idp.issuer, user: 'alice', nonce: 'n-0S6_WzA2Mj' });
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
  const userBySub = new Map(users.map((u) => [u.sub, u]));
  const userByName = new Map(users.map((u) => [u.username, u]));

  const metrics = new DevIdpMetrics();
  let stopping = false;
  const server = createServer((req, res) => {
    const route = routeGroup(new URL(req.url ?? '/', 'http://idp.invalid').pathname);
    res.once('finish', () => metrics.countRequest(route, res.statusCode));
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.end();
      if (error instanceof DevIdpError) {
        return sendJson(res, 400, { error: { code: error.code, message: error.message } });
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
    const provider = new Provider(issuer, {
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
    const details = await provider.interactionDetails(req, res);
    const isDevClient = devClientIds.has(details.params.client_id ?? '');
    if (req.method === 'POST' && path.endsWith('/login')) {
      const form = new URLSearchParams(await readBody(req));
      const user = userByName.get(form.get('user') ?? '');
      if (!user) return sendHtml(res, 400, renderLoginPage(details.uid, users, 'Unknown user'));
      return finishLogin(req, res, details, user);
    }
    const hinted = userByName.get(details.params.login_hint ?? '');
    const sessionUser = details.session?.accountId ? userBySub.get(details.session.accountId) : undefined;
    if (isDevClient && (hinted ?? sessionUser))
      return finishLogin(req, res, details, (hinted ?? sessionUser) as DevUser);
    sendHtml(res, 200, renderLoginPage(details.uid, users));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', url).pathname;
    if (path === '/health' && req.method === 'GET') {
      if (stopping) return sendJson(res, 503, { status: 'stopping' });
      return sendJson(res, 200, { status: 'ok', issuer, keys: keys.length, users: users.length });
    }
    if (path === '/metrics' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      return void res.end(metrics.render(keys.length));
    }
    if (path === '/dev/rotate-keys' && req.method === 'POST') {
      const result = await rotateKeys({ overlapMs: await rotateOverlap(req, new URL(req.url ?? '/', url)) });
      metrics.countRotation();
      return sendJson(res, 200, result);
    }
    if (path === '/dev/users' && req.method === 'GET') {
      return sendJson(res, 200, {
        users: users.map((u) => ({ username: u.username, sub: u.sub, email: u.email })),
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

/** `overlapMs` of a rotation request: query `?overlapMs=`, else JSON body `{"overlapMs": n}`, else 0. */
async function rotateOverlap(req: IncomingMessage, requestUrl: URL): Promise<number> {
  const body = await readBody(req);
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
