import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { ZkSsoNetwork } from '@zksso/sdk';
import { DEMO_CONFIG_PATH, type DemoConfig, FAUCET_PATH } from '../shared/config.ts';
import { DEMO_DIST_DIR, ensureDemoBuilt } from './build.ts';
import { addTestEth, FaucetError } from './faucet.ts';
import { demoSecurityHeaders } from './headers.ts';
import { proxyJsonRpc } from './proxy.ts';
import { sendJson } from './respond.ts';

export { DEMO_DIST_DIR, demoBuildReason, ensureDemoBuilt } from './build.ts';
export { addTestEth, FaucetError } from './faucet.ts';
export { demoSecurityHeaders } from './headers.ts';

/**
 * Options of {@link startDemo}.
 *
 * @example
 * ```ts
 * const options: StartDemoOptions = { authServerUrl: 'http://localhost:5559', network, port: 5560 };
 * ```
 */
export interface StartDemoOptions {
  /** The zkSSO auth server the dapp opens its popup on (another origin than the demo's). */
  authServerUrl: string;
  /** The deployment, as this server reaches it; the page reaches the chain and bundler through it. */
  network: ZkSsoNetwork;
  /** TCP port, default 0 (a free port). */
  port?: number;
  /** Bind address, default 127.0.0.1 (the URL uses it too). */
  host?: string;
  /** Offer `POST /faucet` (anvil_setBalance). Default: `network.local`, else chain ids 31337 and 1337. */
  faucet?: boolean;
  /** `auto` (default): build with Vite when `dist/` is missing or older than a source; `never`: serve as is. */
  build?: 'auto' | 'never';
  /** Receives one-line status messages (the build). */
  onStatus?: (line: string) => void;
}

/**
 * A running demo: open `url` in a browser.
 *
 * @example
 * ```ts
 * const demo = await startDemo(options);
 * console.log(demo.url);
 * await demo.close();
 * ```
 */
export interface DemoServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

const PROXY_TIMEOUT_MS = 60_000;

/**
 * Serves the demo dapp (built with Vite into `dist/` on first use and whenever its sources change), its
 * runtime configuration (`GET /demo-config.json`: the auth server URL and the network), same-origin proxies
 * of the chain (`POST /rpc`) and the bundler (`POST /bundler`), and on a dev chain a faucet (`POST /faucet`).
 *
 * @example
 * ```ts
 * import { startDemo } from '@zksso/demo';
 * const demo = await startDemo({ authServerUrl: auth.url, network: devStackNetwork(ready) });
 * console.log(`open ${demo.url}`);
 * await demo.close();
 * ```
 */
export async function startDemo(options: StartDemoOptions): Promise<DemoServer> {
  const { network } = options;
  const authServerUrl = new URL(options.authServerUrl).origin;
  if (options.build !== 'never')
    await ensureDemoBuilt(options.onStatus ? { onStatus: options.onStatus } : {});
  else if (!existsSync(join(DEMO_DIST_DIR, 'index.html')))
    throw new Error(`the demo is not built (${DEMO_DIST_DIR}); start it with build: 'auto'`);
  const faucet = options.faucet ?? network.local ?? [31337, 1337].includes(network.chainId);
  const config: DemoConfig = {
    authServerUrl,
    // The page resolves these against its own origin.
    network: { ...network, rpcUrl: '/rpc', bundlerUrl: '/bundler' },
    faucet,
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { pathname } = new URL(req.url ?? '/', 'http://demo.invalid');
    for (const [name, value] of Object.entries(demoSecurityHeaders())) res.setHeader(name, value);
    if (pathname === '/rpc' || pathname === '/bundler') {
      if (req.method !== 'POST')
        return sendJson(
          res,
          405,
          { error: { code: 'METHOD_NOT_ALLOWED', message: 'POST only' } },
          { allow: 'POST' },
        );
      return proxyJsonRpc(req, res, {
        name: pathname === '/rpc' ? 'chain' : 'bundler',
        target: pathname === '/rpc' ? network.rpcUrl : network.bundlerUrl,
        timeoutMs: PROXY_TIMEOUT_MS,
      });
    }
    if (pathname === FAUCET_PATH) {
      if (!faucet)
        return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'no faucet on this chain' } });
      if (req.method !== 'POST')
        return sendJson(
          res,
          405,
          { error: { code: 'METHOD_NOT_ALLOWED', message: 'POST only' } },
          { allow: 'POST' },
        );
      try {
        const balance = await addTestEth(network.rpcUrl, await readJson(req));
        return sendJson(res, 200, { balance: balance.toString() });
      } catch (error) {
        if (error instanceof FaucetError)
          return sendJson(res, error.status, { error: { code: error.code, message: error.message } });
        throw error;
      }
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendJson(
        res,
        405,
        { error: { code: 'METHOD_NOT_ALLOWED', message: 'GET only' } },
        { allow: 'GET, HEAD' },
      );
    if (pathname === DEMO_CONFIG_PATH) return sendJson(res, 200, config);
    const file = pathname === '/' ? join(DEMO_DIST_DIR, 'index.html') : builtFile(pathname);
    if (!file) return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `no page ${pathname}` } });
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': statSync(file).size,
      // Vite names assets by content hash; the page itself must always be fresh.
      'cache-control': pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-store',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'INTERNAL', message: 'internal error' } });
      else res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A file of the build (no path traversal, no dotfiles), else undefined. */
function builtFile(pathname: string): string | undefined {
  if (pathname.includes('/.')) return undefined;
  const file = normalize(join(DEMO_DIST_DIR, decodeURIComponent(pathname)));
  if (!file.startsWith(`${DEMO_DIST_DIR}${sep}`)) return undefined;
  try {
    return statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

/** A small JSON body (the faucet's `{ address }`). */
async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 4096) throw new FaucetError(413, 'BODY_TOO_LARGE', 'at most 4096 bytes');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new FaucetError(400, 'BAD_JSON', 'the body is not JSON');
  }
}
