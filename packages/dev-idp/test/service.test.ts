// The dev IdP as a service: health, metrics, and its typed error answers (every documented code).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_USERS, type DevIdp, type DevUser, fetchIdToken, startDevIdp } from '../src/index.ts';

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

    await fetchIdToken({ issuerUrl: idp.issuer, user: 'alice', nonce: 'metrics' });
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
      const answer = await fetch(`${idp.url}/dev/rotate-keys${query}`, { method: 'POST', body });
      expect(answer.status, `${query} ${body}`).toBe(400);
      expect(((await answer.json()) as ErrorAnswer).error.code).toBe('DEV_IDP_BAD_REQUEST');
    }
    const before = idp.signingKid();
    const ok = await fetch(`${idp.url}/dev/rotate-keys`, { method: 'POST', body: '{"overlapMs": 60000}' });
    expect(ok.status).toBe(200);
    const { kid, retiredKids } = (await ok.json()) as { kid: string; retiredKids: string[] };
    expect(retiredKids).toEqual([before]);
    const published = (await (await fetch(idp.jwksUri)).json()) as { keys: { kid: string }[] };
    expect(published.keys.map((k) => k.kid)).toEqual([kid, before]); // the overlap keeps the old key
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

  it('fetchIdToken throws DEV_IDP_HTTP when discovery fails', async () => {
    await expect(
      fetchIdToken({ issuerUrl: `${idp.url}/no-such-issuer`, user: 'alice', nonce: 'n' }),
    ).rejects.toMatchObject({ code: 'DEV_IDP_HTTP', details: { status: 404 } });
  });
});
