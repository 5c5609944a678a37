import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ZkSsoNetwork } from '@zksso/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startDemo } from '../src/server/index.ts';

// A JSON-RPC upstream that echoes what it received (the chain), and a closed port (the bundler).
let upstream: Server;
let demo: DemoServer;
let seen: { body: string; headers: Record<string, unknown> }[] = [];

const address = '0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108';

beforeAll(async () => {
  upstream = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      seen.push({ body, headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'x=1' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: 1, result: '0x7a69' }));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const { port } = upstream.address() as AddressInfo;
  const network: ZkSsoNetwork = {
    chainId: 31337,
    rpcUrl: `http://127.0.0.1:${port}`,
    bundlerUrl: 'http://127.0.0.1:1',
    saltUrl: 'http://127.0.0.1:5557',
    proverUrl: 'http://127.0.0.1:5558',
    clientIds: ['zksso-dev'],
    local: true,
    addresses: {
      entryPoint: address,
      factory: address,
      zkLoginValidator: address,
      sessionKeyValidator: address,
      webAuthnValidator: address,
      jwkRegistry: address,
    },
  };
  demo = await startDemo({ authServerUrl: 'http://localhost:5560/ignored/path', network });
});

afterAll(async () => {
  await demo?.close();
  await new Promise((resolve) => upstream?.close(resolve));
});

describe('startDemo', () => {
  it('serves the built page with a strict CSP that keeps the popup opener', async () => {
    const res = await fetch(demo.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin-allow-popups');
    const html = await res.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${demo.url}${script}`);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
  });

  it('gives the page its configuration: the auth server origin and same-origin chain and bundler URLs', async () => {
    const config = await (await fetch(`${demo.url}/demo-config.json`)).json();
    expect(config.authServerUrl).toBe('http://localhost:5560');
    expect(config.network.rpcUrl).toBe('/rpc');
    expect(config.network.bundlerUrl).toBe('/bundler');
    expect(config.network.chainId).toBe(31337);
    expect(config.faucet).toBe(true);
  });

  it('proxies JSON-RPC to the chain without cookies or origin either way, and reports an unreachable bundler', async () => {
    seen = [];
    const res = await fetch(`${demo.url}/rpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'secret=1', origin: 'http://evil.test' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId' }),
    });
    expect(await res.json()).toMatchObject({ result: '0x7a69' });
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(seen[0]?.body).toContain('eth_chainId');
    expect(seen[0]?.headers.cookie).toBeUndefined();
    expect(seen[0]?.headers.origin).toBeUndefined();
    const bundler = await fetch(`${demo.url}/bundler`, { method: 'POST', body: '{}' });
    expect(bundler.status).toBe(502);
    expect((await bundler.json()).error.code).toBe('UPSTREAM_UNREACHABLE');
    expect((await fetch(`${demo.url}/rpc`)).status).toBe(405);
  });

  it('refuses bad faucet requests, unknown paths, dotfiles and traversal with a machine-readable code', async () => {
    const faucet = await fetch(`${demo.url}/faucet`, {
      method: 'POST',
      body: JSON.stringify({ address: '0x12' }),
    });
    expect(faucet.status).toBe(400);
    expect((await faucet.json()).error.code).toBe('BAD_ADDRESS');
    const notJson = await fetch(`${demo.url}/faucet`, { method: 'POST', body: 'x' });
    expect((await notJson.json()).error.code).toBe('BAD_JSON');
    for (const path of [
      '/nope',
      '/.build-stamp.json',
      '/..%2fpackage.json',
      '/assets/..%2F..%2Fpackage.json',
    ]) {
      const res = await fetch(`${demo.url}${path}`);
      expect(res.status, path).toBe(404);
      expect((await res.json()).error.code).toBe('NOT_FOUND');
    }
    expect((await fetch(demo.url, { method: 'DELETE' })).status).toBe(405);
  });
});
