import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthServer, contentSecurityPolicy, startAuthServer } from '../src/server/index.ts';

// A stand-in upstream per service: it echoes what reached it, so the test sees exactly what the proxy forwards.
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
async function echoServer(name: string, seen: Seen[]): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url === '/busy') {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '7', 'set-cookie': 'x=1' });
        res.end('{"error":{"code":"PROVER_BUSY"}}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'tracking=1' });
      res.end(JSON.stringify({ upstream: name, url: req.url, body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const ADDRESS = '0x0000000000000000000000000000000000000001';
const seen: Seen[] = [];
let upstreams: { server: Server; url: string }[] = [];
let auth: AuthServer;

beforeAll(async () => {
  upstreams = await Promise.all(['rpc', 'bundler', 'salt', 'prover'].map((n) => echoServer(n, seen)));
  const [rpc, bundler, salt, prover] = upstreams.map((u) => u.url) as [string, string, string, string];
  auth = await startAuthServer({
    network: {
      chainId: 31337,
      rpcUrl: rpc,
      bundlerUrl: `${bundler}/rpc`,
      saltUrl: salt,
      proverUrl: prover,
      clientIds: ['zksso-dev'],
      deploymentBlock: 1234,
      addresses: {
        entryPoint: ADDRESS,
        factory: ADDRESS,
        zkLoginValidator: ADDRESS,
        sessionKeyValidator: ADDRESS,
        webAuthnValidator: ADDRESS,
        jwkRegistry: ADDRESS,
      },
    },
    // A provider whose discovery is unreachable is left out of the configuration, not fatal.
    idp: { issuer: 'http://127.0.0.1:9' },
  });
});

afterAll(async () => {
  await auth?.close();
  for (const u of upstreams) u.server.close();
});

describe('pages', () => {
  it.each(['/popup', '/account', '/callback', '/'])(
    '%s is HTML with the strict CSP and no inline script',
    async (path) => {
      const response = await fetch(`${auth.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toMatch(/img-src [^;]*https: data:/);
      expect(csp).not.toContain('unsafe-inline');
      const html = await response.text();
      // Every script is an external file of this origin: the CSP would block an inline one.
      expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/[^"]+\.js">/);
    },
  );

  it('sends no COOP on /popup and /callback (it would sever window.opener), same-origin on /account', async () => {
    for (const path of ['/popup', '/callback']) {
      const response = await fetch(`${auth.url}${path}?origin=https%3A%2F%2Fdapp.test`);
      expect(response.headers.get('cross-origin-opener-policy')).toBeNull();
    }
    const account = await fetch(`${auth.url}/account`);
    expect(account.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  });

  it('serves the built assets, which the pages reference, with the CSP too', async () => {
    const html = await (await fetch(`${auth.url}/popup`)).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const response = await fetch(`${auth.url}${script}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('cache-control')).toContain('immutable');
  });

  it('answers 404 JSON for unknown paths, path traversal and dotfiles', async () => {
    for (const path of [
      '/nope',
      '/assets/nope.js',
      '/assets/../index.html',
      '/assets/%2e%2e/package.json',
      '/.build-stamp.json',
    ]) {
      const response = await fetch(`${auth.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    }
  });

  it('answers 405 to a POST on a page', async () => {
    const response = await fetch(`${auth.url}/popup`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('config.json: service URLs on its own origin, no upstream address leaks, unreachable IdP left out', async () => {
    const response = await fetch(`${auth.url}/config.json`);
    const config = (await response.json()) as {
      network: Record<string, unknown>;
      providers: unknown[];
      dev: boolean;
    };
    expect(config.network).toMatchObject({
      rpcUrl: '/rpc',
      bundlerUrl: '/bundler',
      saltUrl: '/salt',
      proverUrl: '/prover',
      chainId: 31337,
      // The account page and recovery search the contracts' events from their deployment block.
      deploymentBlock: 1234,
    });
    expect(JSON.stringify(config)).not.toContain(upstreams[0]?.url ?? 'x');
    expect(config.providers).toEqual([]);
    expect(config.dev).toBe(true);
  });
});

describe('proxies', () => {
  it('/rpc and /bundler forward the JSON-RPC body, with no cookie or origin, and drop set-cookie', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] });
    const response = await fetch(`${auth.url}/rpc`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', cookie: 'secret=1', origin: 'https://evil.test' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ upstream: 'rpc', url: '/', body });
    expect(response.headers.get('set-cookie')).toBeNull();
    const last = seen.at(-1);
    expect(last?.headers.cookie).toBeUndefined();
    expect(last?.headers.origin).toBeUndefined();

    const bundler = await fetch(`${auth.url}/bundler`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(await bundler.json()).toEqual({ upstream: 'bundler', url: '/rpc', body });
  });

  it('/salt/* and /prover/* keep the rest of the path and the query', async () => {
    const salt = await fetch(`${auth.url}/salt/get_salt?x=1`, { method: 'POST', body: '{"token":"t"}' });
    expect(await salt.json()).toMatchObject({ upstream: 'salt', url: '/get_salt?x=1' });
    const prover = await fetch(`${auth.url}/prover/v1`, { method: 'POST', body: '{}' });
    expect(await prover.json()).toMatchObject({ upstream: 'prover', url: '/v1' });
  });

  it('passes a 503 with Retry-After through (prover busy)', async () => {
    const response = await fetch(`${auth.url}/prover/busy`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await response.json()).toEqual({ error: { code: 'PROVER_BUSY' } });
  });

  it('refuses sub-paths of /rpc, other methods, and bodies over 1 MiB', async () => {
    expect((await fetch(`${auth.url}/rpc/x`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await fetch(`${auth.url}/rpc`, { method: 'PUT', body: '{}' })).status).toBe(405);
    const big = await fetch(`${auth.url}/prover/v1`, { method: 'POST', body: 'x'.repeat(1_048_577) });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { code: string } }).error.code).toBe('BODY_TOO_LARGE');
  });

  it('answers 502 UPSTREAM_UNREACHABLE when the service is down', async () => {
    const down = await startAuthServer({
      network: {
        chainId: 1,
        rpcUrl: 'http://127.0.0.1:9',
        bundlerUrl: 'http://127.0.0.1:9',
        saltUrl: 'http://127.0.0.1:9',
        proverUrl: '',
        clientIds: [],
        addresses: {
          entryPoint: ADDRESS,
          factory: ADDRESS,
          zkLoginValidator: ADDRESS,
          sessionKeyValidator: ADDRESS,
          webAuthnValidator: ADDRESS,
          jwkRegistry: ADDRESS,
        },
      },
      build: 'never',
    });
    try {
      const response = await fetch(`${down.url}/rpc`, { method: 'POST', body: '{}' });
      expect(response.status).toBe(502);
      expect(await response.json()).toMatchObject({
        error: { code: 'UPSTREAM_UNREACHABLE', service: 'rpc' },
      });
      const prover = await fetch(`${down.url}/prover/v1`, { method: 'POST', body: '{}' });
      expect(prover.status).toBe(503);
      expect(await prover.json()).toMatchObject({ error: { code: 'SERVICE_NOT_CONFIGURED' } });
      // Not a dev chain: no http: icons.
      const csp = (await fetch(`${down.url}/popup`)).headers.get('content-security-policy') ?? '';
      expect(csp).not.toContain('http://127.0.0.1');
    } finally {
      await down.close();
    }
  });
});

describe('contentSecurityPolicy', () => {
  it('allows local http icons only in dev mode', () => {
    expect(contentSecurityPolicy({ dev: true })).toContain('http://127.0.0.1:*');
    expect(contentSecurityPolicy({ dev: false })).not.toContain('http:');
  });
});
