import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { type ProxyRequestParameters, proxyRequest } from './proxyRequest.ts';
import { startHttpServer } from './startHttpServer.ts';

// An upstream that records what reached it; /busy answers 503 + Retry-After, /slow never answers.
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
const seen: Seen[] = [];
const upstream: Server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => {
    body += chunk;
  });
  req.on('end', () => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    if (req.url === '/slow') return;
    const status = req.url === '/busy' ? 503 : 200;
    res.writeHead(status, {
      'content-type': 'application/json',
      'retry-after': '7',
      'cache-control': 'max-age=5',
      'set-cookie': 'tracking=1',
      'x-upstream': 'secret',
    });
    res.end(JSON.stringify({ url: req.url, body }));
  });
});
await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;

// The proxy: the request's path picks the options under test.
const proxy = await startHttpServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://proxy.invalid');
  const options: Record<string, Omit<ProxyRequestParameters, 'name'>> = {
    '/default': { target: `${upstreamUrl}/echo?x=1`, timeoutMs: 5_000 },
    '/busy': { target: new URL(`${upstreamUrl}/busy`), timeoutMs: 5_000 },
    '/json-rpc': {
      target: upstreamUrl,
      timeoutMs: 5_000,
      headers: { 'content-type': 'application/json' },
      passHeaders: ['content-type'],
    },
    '/small': { target: upstreamUrl, timeoutMs: 5_000, maxBodyBytes: 10 },
    '/down': { target: 'http://127.0.0.1:9', timeoutMs: 5_000, errorFields: { service: 'rpc' } },
    '/slow': { target: `${upstreamUrl}/slow`, timeoutMs: 200, errorFields: { service: 'prover' } },
  };
  const chosen = options[url.pathname];
  if (!chosen) throw new Error('no such test route');
  proxyRequest(req, res, { name: 'chain', ...chosen });
});
afterAll(async () => {
  await proxy.close();
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

describe('proxyRequest', () => {
  it('forwards method, body, content-type and accept only, and passes back status, type, retry and cache', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId' });
    const response = await fetch(`${proxy.url}/default`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        cookie: 'secret=1',
        origin: 'https://evil.test',
        authorization: 'Bearer x',
      },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ url: '/echo?x=1', body });
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('x-upstream')).toBeNull();
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.get('cache-control')).toBe('max-age=5');
    const last = seen.at(-1);
    expect(last?.method).toBe('POST');
    expect(last?.headers['content-type']).toBe('application/json');
    expect(last?.headers.accept).toBe('application/json');
    for (const header of ['cookie', 'origin', 'authorization', 'referer'])
      expect(last?.headers[header], header).toBeUndefined();
    const get = await fetch(`${proxy.url}/default`);
    expect(get.status).toBe(200);
    expect(seen.at(-1)?.method).toBe('GET');
  });

  it('passes a 503 with Retry-After through as sent', async () => {
    const response = await fetch(`${proxy.url}/busy`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('7');
  });

  it('sends the given request headers instead, and passes back only the named answer headers', async () => {
    const response = await fetch(`${proxy.url}/json-rpc`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'text/plain', accept: 'text/html' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('retry-after')).toBeNull();
    expect(seen.at(-1)?.headers['content-type']).toBe('application/json');
    expect(seen.at(-1)?.headers.accept).toBeUndefined();
  });

  it('refuses a body over the limit with 413 BODY_TOO_LARGE, declared or streamed', async () => {
    const before = seen.length;
    const declared = await fetch(`${proxy.url}/small`, { method: 'POST', body: 'x'.repeat(11) });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ error: { code: 'BODY_TOO_LARGE', message: 'at most 10 bytes' } });
    expect(seen.length).toBe(before);
    const streamed = await fetch(`${proxy.url}/small`, {
      method: 'POST',
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('x'.repeat(64)));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await streamed.json()).error.code).toBe('BODY_TOO_LARGE');
  });

  it('answers 502 UPSTREAM_UNREACHABLE and 504 UPSTREAM_TIMEOUT, with the caller fields', async () => {
    const down = await fetch(`${proxy.url}/down`, { method: 'POST', body: '{}' });
    expect(down.status).toBe(502);
    expect(await down.json()).toEqual({
      error: { code: 'UPSTREAM_UNREACHABLE', message: 'the chain is unreachable', service: 'rpc' },
    });
    const slow = await fetch(`${proxy.url}/slow`, { method: 'POST', body: '{}' });
    expect(slow.status).toBe(504);
    expect(await slow.json()).toEqual({
      error: { code: 'UPSTREAM_TIMEOUT', message: 'the chain did not answer in time', service: 'prover' },
    });
  });
});
