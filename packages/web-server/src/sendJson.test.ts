import { afterAll, describe, expect, it } from 'vitest';
import { sendJson, sendMethodNotAllowed } from './sendJson.ts';
import { startHttpServer } from './startHttpServer.ts';

const server = await startHttpServer(async (req, res) => {
  if (req.url === '/405')
    return sendJson(
      res,
      405,
      { error: { code: 'METHOD_NOT_ALLOWED', message: 'POST only' } },
      { allow: 'POST', 'cache-control': 'public, max-age=60' },
    );
  if (req.url === '/get-only')
    return sendMethodNotAllowed(res, { allow: ['GET', 'HEAD'], message: 'GET only' });
  sendJson(res, 200, { greeting: 'grüß dich ✓' });
});
afterAll(() => server.close());

describe('sendJson', () => {
  it('answers JSON, not cacheable, with the byte length of non-ASCII text', async () => {
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = '{"greeting":"grüß dich ✓"}';
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(await response.text()).toBe(text);
  });

  it('adds the caller headers but keeps its own cache-control', async () => {
    const response = await fetch(`${server.url}/405`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ error: { code: 'METHOD_NOT_ALLOWED', message: 'POST only' } });
  });

  it('sendMethodNotAllowed: 405 with the allowed methods', async () => {
    const response = await fetch(`${server.url}/get-only`, { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(await response.json()).toEqual({ error: { code: 'METHOD_NOT_ALLOWED', message: 'GET only' } });
  });
});
