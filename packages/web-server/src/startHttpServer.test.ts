import { describe, expect, it } from 'vitest';
import { sendJson } from './sendJson.ts';
import { startHttpServer } from './startHttpServer.ts';

describe('startHttpServer', () => {
  it('answers 500 INTERNAL without details when the handler throws', async () => {
    const server = await startHttpServer(async (req, res) => {
      if (req.url === '/ok') return sendJson(res, 200, { status: 'ok' });
      throw new Error('ENOENT /secret/path');
    });
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      expect(await (await fetch(`${server.url}/ok`)).json()).toEqual({ status: 'ok' });
      const failed = await fetch(`${server.url}/boom`);
      expect(failed.status).toBe(500);
      expect(await failed.text()).toBe('{"error":{"code":"INTERNAL","message":"internal error"}}');
    } finally {
      await server.close();
    }
  });

  it('shows 127.0.0.1 for a wildcard bind address, and sets the request timeout when asked', async () => {
    const server = await startHttpServer(async (_req, res) => sendJson(res, 200, {}), {
      host: '0.0.0.0',
      requestTimeoutMs: 0,
    });
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      expect((await fetch(server.url)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('closes open connections, and rejects a port in use', async () => {
    const server = await startHttpServer(async (_req, res) => {
      // An answer that never ends: close() must not wait for it.
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
    });
    const hanging = await fetch(server.url);
    expect(hanging.status).toBe(200);
    await expect(startHttpServer(async () => {}, { port: server.port })).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
    await server.close();
    await expect(hanging.text()).rejects.toThrow();
    await expect(fetch(server.url)).rejects.toThrow();
  });
});
