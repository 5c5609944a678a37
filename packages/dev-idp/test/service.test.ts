// The dev IdP as a service: health, metrics, and its typed error answers (every documented code).

import { devLogin, ServiceError } from '@zksso/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_USERS, type DevIdp, type DevUser, startDevIdp } from '../src/index.ts';

type ErrorAnswer = { error: { code: string; message: string } };

let idp: DevIdp;
beforeAll(async () => {
  idp = await startDevIdp();
});
afterAll(async () => {
  await idp?.stop();
});

describe('dev IdP health and metrics', () => {
  it('serves GET /health and Prometheus GET /metrics counting requests and rotations', async () => {
    const health = await fetch(`${idp.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', issuer: idp.issuer, keys: 1, users: 3 });

    await devLogin({ issuerUrl: idp.issuer, user: 'alice', nonce: 'metrics' });
    await fetch(`${idp.url}/dev/rotate-keys`, { method: 'POST' });
    const metrics = await fetch(`${idp.url}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    expect(text).toMatch(
      /dev_idp_http_requests_total\{route="\/\.well-known\/openid-configuration",status="200"\} [1-9]/,
    );
    expect(text).toMatch(/dev_idp_http_requests_total\{route="\/auth",status="303"\} [1-9]/);
    expect(text).toMatch(/dev_idp_http_requests_total\{route="\/interaction",status="303"\} [1-9]/);
    expect(text).toContain('dev_idp_key_rotations_total 1');
    expect(text).toContain('dev_idp_published_keys 1');
    expect(text).not.toContain('alice'); // no personal data in metrics labels
  });
});

describe('dev IdP error codes', () => {
  it('answers 400 DEV_IDP_BAD_REQUEST for a bad rotation request, and rotates with a JSON body overlap', async () => {
    for (const [query, body] of [
      ['?overlapMs=-5', undefined],
      ['?overlapMs=soon', undefined],
      ['', '{not json'],
      ['', '{"overlapMs": -1}'],
    ] as const) {
      const answer = await fetch(`${idp.url}/dev/rotate-keys${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(answer.status, `${query} ${body}`).toBe(400);
      expect(((await answer.json()) as ErrorAnswer).error.code).toBe('DEV_IDP_BAD_REQUEST');
    }
    const before = idp.signingKid();
    const ok = await fetch(`${idp.url}/dev/rotate-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '{"overlapMs": 60000}',
    });
    expect(ok.status).toBe(200);
    const { kid, retiredKids } = (await ok.json()) as { kid: string; retiredKids: string[] };
    expect(retiredKids).toEqual([before]);
    const published = (await (await fetch(idp.jwksUri)).json()) as { keys: { kid: string }[] };
    expect(published.keys.map((k) => k.kid)).toEqual([kid, before]); // the overlap keeps the old key
  });

  it('answers 415 DEV_IDP_UNSUPPORTED_MEDIA_TYPE for a rotation body not declared as JSON, rotating nothing', async () => {
    const before = idp.signingKid();
    const answer = await fetch(`${idp.url}/dev/rotate-keys`, { method: 'POST', body: '{"overlapMs": 1}' });
    expect(answer.status).toBe(415); // fetch sends a string body as text/plain
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await answer.json()) as ErrorAnswer).error.code).toBe('DEV_IDP_UNSUPPORTED_MEDIA_TYPE');
    expect(idp.signingKid()).toBe(before);
  });

  it('answers 405 DEV_IDP_METHOD_NOT_ALLOWED with Allow for a wrong method, on its own and on OpenID routes', async () => {
    for (const [method, path, allow] of [
      ['POST', '/health', 'GET, HEAD'],
      ['DELETE', '/metrics', 'GET, HEAD'],
      ['GET', '/dev/rotate-keys', 'POST'],
      ['PUT', '/dev/users', 'GET, HEAD'],
      ['GET', '/token', 'POST, OPTIONS'],
      ['DELETE', '/jwks', 'GET, HEAD, OPTIONS'],
      ['POST', '/.well-known/openid-configuration', 'GET, HEAD, OPTIONS'],
      ['PUT', '/auth', 'GET, HEAD'],
      ['DELETE', '/interaction/some-uid', 'GET, HEAD'],
      ['GET', '/interaction/some-uid/login', 'POST'],
    ] as const) {
      const answer = await fetch(`${idp.url}${path}`, { method });
      expect([answer.status, answer.headers.get('allow')], `${method} ${path}`).toEqual([405, allow]);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await answer.json()) as ErrorAnswer;
      expect(body.error.code).toBe('DEV_IDP_METHOD_NOT_ALLOWED');
      expect(body.error.message).toContain(path);
    }
    // OPTIONS without an Origin (no CORS pre-flight) says what the route takes.
    const options = await fetch(`${idp.url}/token`, { method: 'OPTIONS' });
    expect([options.status, options.headers.get('allow')]).toEqual([204, 'POST, OPTIONS']);
  });

  it('answers 404 DEV_IDP_NOT_FOUND as JSON for an unknown path, whatever the method', async () => {
    for (const [method, path] of [
      ['GET', '/nothing'],
      ['POST', '/token/nothing'],
      ['GET', '/dev'],
      ['DELETE', '/.well-known/nothing'],
    ] as const) {
      const answer = await fetch(`${idp.url}${path}`, { method });
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expect(((await answer.json()) as ErrorAnswer).error.code).toBe('DEV_IDP_NOT_FOUND');
    }
  });

  it("keeps oidc-provider's OAuth error format on its endpoints", async () => {
    const token = await fetch(`${idp.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=authorization_code&code=nope',
    });
    expect(token.status).toBe(400);
    const body = (await token.json()) as { error: string; error_description: string };
    expect(typeof body.error).toBe('string'); // RFC 6749 §5.2: a string code, not an object
    expect(body.error).toMatch(/^invalid_/);
    const userinfo = await fetch(`${idp.url}/me`);
    expect(userinfo.status).toBe(401);
    expect(((await userinfo.json()) as { error: string }).error).toBe('invalid_token');
  });

  it('answers 400 DEV_IDP_BAD_REQUEST for an interaction without its session cookie', async () => {
    const answer = await fetch(`${idp.url}/interaction/not-a-real-uid`);
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as ErrorAnswer).error.code).toBe('DEV_IDP_BAD_REQUEST');
  });

  it('answers 500 DEV_IDP_INTERNAL for a failure of its own, without the cause', async () => {
    const broken: DevUser = {
      username: 'broken',
      sub: '100000000000000000099',
      emailVerified: true,
      get email(): string {
        throw new Error('secret cause');
      },
    };
    const faulty = await startDevIdp({ users: [...DEFAULT_USERS, broken] });
    try {
      const answer = await fetch(`${faulty.url}/dev/users`);
      expect(answer.status).toBe(500);
      const text = await answer.text();
      expect((JSON.parse(text) as ErrorAnswer).error.code).toBe('DEV_IDP_INTERNAL');
      expect(text).not.toContain('secret cause');
    } finally {
      await faulty.stop();
    }
  });

  it("a login through an issuer it does not serve fails at discovery with the IdP's 404 DEV_IDP_NOT_FOUND", async () => {
    const error = await devLogin({ issuerUrl: `${idp.url}/no-such-issuer`, user: 'alice', nonce: 'n' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).details).toEqual({
      service: 'idp',
      status: 404,
      code: 'DEV_IDP_NOT_FOUND',
    });
  });
});
