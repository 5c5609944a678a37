// devLogin against a small hand-written provider, for the answers the real dev OpenID provider never gives
// (5xx, a redirect loop, a wrong state, a broken discovery document) and to check the PKCE S256 challenge on
// its own. The flows against the real provider are tested in packages/dev-idp/test/dev-idp.test.ts.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { devLogin } from './dev-login.ts';
import { LoginRefusedError, ServiceError } from './errors.ts';

const nonce = 'x'.repeat(43);
const REDIRECT = 'http://127.0.0.1/callback';
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, issuer: string) => void;
let stop: (() => Promise<void>) | undefined;

afterEach(async () => {
  await stop?.();
  stop = undefined;
});

/** Starts a provider whose discovery document is served as usual and whose other routes `handle` answers. */
async function provider(handle: Handler, discovery?: (issuer: string) => unknown): Promise<string> {
  let issuer = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname === '/.well-known/openid-configuration') {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify(
          discovery?.(issuer) ?? {
            issuer,
            authorization_endpoint: `${issuer}/auth`,
            token_endpoint: `${issuer}/token`,
            jwks_uri: `${issuer}/jwks`,
            id_token_signing_alg_values_supported: ['RS256'],
            response_types_supported: ['id_token', 'code'],
          },
        ),
      );
      return;
    }
    handle(req, res, url, issuer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return issuer;
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { location });
  res.end();
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

describe('devLogin', () => {
  it('sends login_hint, nonce and state, keeps cookies across redirects, and reads the implicit token', async () => {
    const seen: { cookie?: string; params?: URLSearchParams } = {};
    const issuer = await provider((req, res, url) => {
      if (url.pathname === '/auth') {
        seen.params = url.searchParams;
        res.setHeader('set-cookie', 'flow=abc; Path=/; HttpOnly');
        return redirect(res, '/interaction/1');
      }
      seen.cookie = req.headers.cookie;
      redirect(res, `${REDIRECT}#id_token=${JWT}&state=${seen.params?.get('state')}`);
    });
    expect(await devLogin({ issuerUrl: issuer, user: 'alice', nonce })).toBe(JWT);
    expect(Object.fromEntries(seen.params ?? [])).toMatchObject({
      client_id: 'zksso-dev',
      response_type: 'id_token',
      login_hint: 'alice',
      nonce,
      redirect_uri: REDIRECT,
      scope: 'openid email',
    });
    expect(seen.params?.get('code_challenge')).toBeNull();
    expect(seen.cookie).toBe('flow=abc');
  });

  it('code flow: sends an S256 challenge and exchanges the code with its verifier', async () => {
    let authorize = new URLSearchParams();
    let exchange: URLSearchParams | undefined;
    const issuer = await provider((req, res, url) => {
      if (url.pathname === '/auth') {
        authorize = url.searchParams;
        const back = new URL(url.searchParams.get('redirect_uri') as string);
        back.search = new URLSearchParams({
          code: 'c0de',
          state: url.searchParams.get('state') ?? '',
        }).toString();
        return redirect(res, back.toString());
      }
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        exchange = new URLSearchParams(body);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ id_token: JWT, access_token: 'a' }));
      });
    });
    const token = await devLogin({
      issuerUrl: issuer,
      user: 'carol',
      nonce,
      flow: 'code',
      clientId: 'other',
      redirectUri: 'http://127.0.0.1:5173/auth/callback',
      scope: 'openid',
    });
    expect(token).toBe(JWT);
    const verifier = exchange?.get('code_verifier') ?? '';
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.get('response_type')).toBe('code');
    expect(authorize.get('code_challenge_method')).toBe('S256');
    expect(authorize.get('code_challenge')).toBe(createHash('sha256').update(verifier).digest('base64url'));
    expect(Object.fromEntries(exchange ?? [])).toMatchObject({
      grant_type: 'authorization_code',
      code: 'c0de',
      client_id: 'other',
      redirect_uri: 'http://127.0.0.1:5173/auth/callback',
    });
  });

  it('reports a refused code exchange as LoginRefusedError with the OAuth error', async () => {
    const issuer = await provider((_req, res, url) => {
      if (url.pathname === '/auth') {
        return redirect(res, `${REDIRECT}?code=c&state=${url.searchParams.get('state')}`);
      }
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_grant', error_description: 'PKCE verification failed' }));
    });
    const error = await caught(devLogin({ issuerUrl: issuer, user: 'alice', nonce, flow: 'code' }));
    expect(error).toBeInstanceOf(LoginRefusedError);
    expect((error as LoginRefusedError).details).toEqual({
      by: 'idp',
      status: 400,
      code: 'invalid_grant',
      user: 'alice',
    });
  });

  it('reports an OAuth error redirect as LoginRefusedError with its error', async () => {
    const issuer = await provider((_req, res, url) =>
      redirect(res, `${REDIRECT}#error=access_denied&state=${url.searchParams.get('state')}`),
    );
    const error = await caught(devLogin({ issuerUrl: issuer, user: 'bob', nonce }));
    expect(error).toBeInstanceOf(LoginRefusedError);
    expect((error as LoginRefusedError).details).toMatchObject({
      by: 'idp',
      code: 'access_denied',
      user: 'bob',
    });
  });

  it('reports a 5xx, a redirect loop, a wrong state and a broken discovery document as ServiceError', async () => {
    let issuer = await provider((_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'OVERLOADED', message: 'busy' } }));
    });
    let error = await caught(devLogin({ issuerUrl: issuer, user: 'alice', nonce }));
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).details).toEqual({ service: 'idp', status: 503, code: 'OVERLOADED' });
    await stop?.();

    issuer = await provider((_req, res, url) => redirect(res, `${url.pathname}?again`));
    error = await caught(devLogin({ issuerUrl: issuer, user: 'alice', nonce }));
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).message).toContain('too many redirects');
    await stop?.();

    issuer = await provider((_req, res) => redirect(res, `${REDIRECT}#id_token=${JWT}&state=forged`));
    error = await caught(devLogin({ issuerUrl: issuer, user: 'alice', nonce }));
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).message).toContain('state mismatch');
    await stop?.();

    issuer = await provider(
      () => undefined,
      (own) => ({ issuer: `${own}/elsewhere`, authorization_endpoint: `${own}/auth` }),
    );
    error = await caught(devLogin({ issuerUrl: issuer, user: 'alice', nonce }));
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).details).toEqual({
      service: 'idp',
      status: 200,
      code: 'DISCOVERY_ISSUER_MISMATCH',
    });
  });

  it('reports an unreachable provider as a ServiceError with status 0', async () => {
    const error = await caught(devLogin({ issuerUrl: 'http://127.0.0.1:1', user: 'alice', nonce }));
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).details).toEqual({ service: 'idp', status: 0 });
  });
});
