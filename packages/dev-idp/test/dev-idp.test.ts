import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devLogin, LoginRefusedError } from '@zksso/sdk';
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CLIENT_ID_OTHER, type DevIdp, startDevIdp, userFromName } from '../src/index.ts';

async function jwks(idp: DevIdp): Promise<JSONWebKeySet> {
  return (await (await fetch(idp.jwksUri)).json()) as JSONWebKeySet;
}

async function verify(idp: DevIdp, token: string, audience = 'zksso-dev') {
  const { payload } = await jwtVerify(token, createLocalJWKSet(await jwks(idp)), {
    issuer: idp.issuer,
    audience,
    algorithms: ['RS256'],
  });
  return payload;
}

describe('dev IdP', () => {
  let idp: DevIdp;
  beforeAll(async () => {
    idp = await startDevIdp();
  });
  afterAll(async () => {
    await idp.stop();
  });

  it('issues an RS256 ID token with the nonce and the user claims (implicit flow)', async () => {
    const token = await devLogin({ issuerUrl: idp.issuer, user: 'alice', nonce: 'nonce-implicit-1' });
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: idp.signingKid() });
    const payload = await verify(idp, token);
    expect(payload).toMatchObject({
      sub: '100000000000000000001',
      nonce: 'nonce-implicit-1',
      email: 'alice@example.com',
      email_verified: true,
    });
  });

  it('issues an ID token with email claims through the code flow with PKCE', async () => {
    const token = await devLogin({
      issuerUrl: idp.issuer,
      user: 'carol',
      nonce: 'nonce-code-1',
      flow: 'code',
      clientId: DEV_CLIENT_ID_OTHER,
      redirectUri: 'http://127.0.0.1:5173/auth/callback',
    });
    const payload = await verify(idp, token, DEV_CLIENT_ID_OTHER);
    expect(payload).toMatchObject({
      sub: '100000000000000000003',
      nonce: 'nonce-code-1',
      email_verified: false,
    });
  });

  it('publishes a JWKS of 2048-bit RSA keys with e = 65537', async () => {
    const { keys } = await jwks(idp);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toMatchObject({ kty: 'RSA', e: 'AQAB', alg: 'RS256' });
      expect(Buffer.from(key.n as string, 'base64url').length).toBe(256);
      expect(key).not.toHaveProperty('d');
    }
  });

  it('shows the login form to people and signs in the user they pick', async () => {
    const discovery = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as {
      authorization_endpoint: string;
    };
    const authorize = new URL(discovery.authorization_endpoint);
    authorize.search = new URLSearchParams({
      client_id: 'zksso-dev',
      response_type: 'id_token',
      scope: 'openid',
      redirect_uri: 'http://127.0.0.1/callback',
      nonce: 'nonce-form',
    }).toString();
    const cookies: string[] = [];
    const cookieHeader = () => cookies.map((c) => c.split(';')[0]).join('; ');
    let response = await fetch(authorize, { redirect: 'manual' });
    cookies.push(...response.headers.getSetCookie());
    const interactionUrl = new URL(response.headers.get('location') as string, idp.issuer);
    response = await fetch(interactionUrl, { headers: { cookie: cookieHeader() } });
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain('value="alice"');
    expect(html).toContain('(email not verified)');
    expect(html).toContain('Any other name');
    // An empty name is refused with the form again and the reason.
    const empty = await fetch(`${interactionUrl}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'user=',
    });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('the user name is empty');
    response = await fetch(`${interactionUrl}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'user=bob',
    });
    let location = response.headers.get('location') as string;
    cookies.push(...response.headers.getSetCookie());
    for (let hop = 0; hop < 5 && !location.startsWith('http://127.0.0.1/callback'); hop++) {
      response = await fetch(new URL(location, idp.issuer), {
        redirect: 'manual',
        headers: { cookie: cookieHeader() },
      });
      cookies.push(...response.headers.getSetCookie());
      location = response.headers.get('location') as string;
    }
    const idToken = new URLSearchParams(new URL(location).hash.slice(1)).get('id_token') as string;
    expect((await verify(idp, idToken)).sub).toBe('100000000000000000002');
  });

  it('signs in any other name as a user made from it: the same sub every time, a plausible email', async () => {
    const token = await devLogin({ issuerUrl: idp.issuer, user: 'mallory', nonce: 'n-mallory' });
    const payload = await verify(idp, token);
    expect(payload).toMatchObject({
      sub: userFromName('mallory').sub,
      nonce: 'n-mallory',
      email: 'mallory@example.com',
      email_verified: true,
    });
    expect(payload.sub).toMatch(/^3\d{20}$/);
    // The same name (any case) is the same account, on this IdP and on another one.
    const again = await verify(idp, await devLogin({ issuerUrl: idp.issuer, user: 'Mallory', nonce: 'n2' }));
    expect(again.sub).toBe(payload.sub);
    const other = await startDevIdp();
    try {
      const elsewhere = await devLogin({ issuerUrl: other.issuer, user: 'mallory', nonce: 'n3' });
      expect((await verify(other, elsewhere)).sub).toBe(payload.sub);
    } finally {
      await other.stop();
    }
    // Another name is another account; the presets keep their subjects.
    const trent = await verify(idp, await devLogin({ issuerUrl: idp.issuer, user: 'trent', nonce: 'n4' }));
    expect(trent.sub).not.toBe(payload.sub);
    const alice = await verify(idp, await devLogin({ issuerUrl: idp.issuer, user: 'alice', nonce: 'n5' }));
    expect(alice.sub).toBe('100000000000000000001');
    const listed = (await (await fetch(`${idp.url}/dev/users`)).json()) as {
      madeFromNames: { username: string }[];
    };
    expect(listed.madeFromNames.map((u) => u.username)).toEqual(['mallory', 'trent']);
  });

  it('refuses an empty, oversized or odd user name with 400 DEV_IDP_INVALID_USER', async () => {
    for (const user of [' ', 'a'.repeat(65), 'eve smith', '../alice', 'mal<script>', '-dash', 'ünï']) {
      const error = await devLogin({ issuerUrl: idp.issuer, user, nonce: 'n' }).catch((e: unknown) => e);
      expect(error, JSON.stringify(user)).toBeInstanceOf(LoginRefusedError);
      expect((error as LoginRefusedError).details).toEqual({
        by: 'idp',
        status: 400,
        code: 'DEV_IDP_INVALID_USER',
        user,
      });
    }
    expect(userFromName('a'.repeat(64)).email).toBe(`${'a'.repeat(64)}@example.com`);
    expect(() => userFromName('a'.repeat(65))).toThrow(RangeError);
  });

  it('signs in only its configured users with anyUser: false', async () => {
    const strict = await startDevIdp({ anyUser: false });
    try {
      // The login form instead of the redirect: refused, with the HTTP status of the form page.
      const refused = await devLogin({ issuerUrl: strict.issuer, user: 'mallory', nonce: 'n' }).catch(
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(LoginRefusedError);
      expect((refused as LoginRefusedError).details).toEqual({
        by: 'idp',
        status: 200,
        code: 'DEV_LOGIN_FAILED',
        user: 'mallory',
      });
      const token = await devLogin({ issuerUrl: strict.issuer, user: 'bob', nonce: 'n' });
      expect((await verify(strict, token)).sub).toBe('100000000000000000002');
    } finally {
      await strict.stop();
    }
  });

  it('refuses a non-loopback redirect', async () => {
    const evil = await devLogin({
      issuerUrl: idp.issuer,
      user: 'alice',
      nonce: 'n',
      redirectUri: 'https://evil.example/cb',
    }).catch((e: unknown) => e);
    // oidc-provider's error page (HTML, as the spec has it for a bad redirect_uri), never the redirect.
    expect(evil).toBeInstanceOf(LoginRefusedError);
    expect((evil as LoginRefusedError).details).toEqual({
      by: 'idp',
      status: 400,
      code: 'DEV_LOGIN_FAILED',
      user: 'alice',
    });
  });
});

describe('dev IdP key rotation', () => {
  it('POST /dev/rotate-keys replaces the signing key and the JWKS follows', async () => {
    const idp = await startDevIdp();
    try {
      const oldKid = idp.signingKid();
      const response = await fetch(`${idp.url}/dev/rotate-keys`, { method: 'POST' });
      const { kid, retiredKids } = (await response.json()) as { kid: string; retiredKids: string[] };
      expect(retiredKids).toEqual([oldKid]);
      expect((await jwks(idp)).keys.map((k) => k.kid)).toEqual([kid]);
      const token = await devLogin({ issuerUrl: idp.issuer, user: 'alice', nonce: 'after-rotation' });
      expect(decodeProtectedHeader(token).kid).toBe(kid);
      expect((await verify(idp, token)).nonce).toBe('after-rotation');
    } finally {
      await idp.stop();
    }
  });

  it('keeps the old key in the JWKS during the overlap, then drops it', async () => {
    const idp = await startDevIdp();
    try {
      const oldKid = idp.signingKid();
      const { kid } = await idp.rotateKeys({ overlapMs: 300 });
      expect((await jwks(idp)).keys.map((k) => k.kid)).toEqual([kid, oldKid]);
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect((await jwks(idp)).keys.map((k) => k.kid)).toEqual([kid]);
    } finally {
      await idp.stop();
    }
  });

  it('persists keys in the state dir across restarts', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'dev-idp-'));
    try {
      const first = await startDevIdp({ stateDir });
      const kid = first.signingKid();
      await first.stop();
      const second = await startDevIdp({ stateDir });
      expect(second.signingKid()).toBe(kid);
      await second.stop();
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});

describe('dev IdP CLI', () => {
  it('takes its port from DEV_IDP_PORT, serves discovery and /health, logs no personal data, stops on SIGTERM', {
    timeout: 60_000,
  }, async () => {
    const { spawn } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', cli], {
      env: { ...process.env, DEV_IDP_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (data) => (output += data));
    let token = '';
    try {
      const issuer = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (data) => {
          output += data;
          const line = output.split('\n').find((l) => l.includes('dev IdP listening'));
          if (line) resolve((JSON.parse(line) as { issuer: string }).issuer);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      expect(issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(issuer).not.toBe('http://127.0.0.1:18800'); // the variable, not the default, chose the port
      const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<
        string,
        unknown
      >;
      expect(discovery.issuer).toBe(issuer);
      expect(discovery.id_token_signing_alg_values_supported).toContain('RS256');
      expect((await fetch(`${issuer}/health`)).status).toBe(200);
      token = await devLogin({ issuerUrl: issuer, user: 'bob', nonce: 'cli' });
      expect(token.split('.')).toHaveLength(3);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(0);
    expect(output).toContain('dev IdP listening');
    for (const secret of [token, token.split('.')[2] as string, '100000000000000000002', 'bob@example.com']) {
      expect(output.includes(secret)).toBe(false);
    }
  });
});
