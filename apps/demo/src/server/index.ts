import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { ZkSsoNetwork } from '@zksso/sdk';
import {
  proxyRequest,
  sendJson,
  sendMethodNotAllowed,
  serveBuiltFile,
  startHttpServer,
} from '@zksso/web-server';
import { DEMO_CONFIG_PATH, type DemoConfig, FAUCET_PATH } from '../shared/config.ts';
import { DEMO_DIST_DIR, ensureDemoBuilt } from './build.ts';
import { addTestEth, FaucetError } from './faucet.ts';
import { demoSecurityHeaders } from './headers.ts';

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

const PROXY_TIMEOUT_MS = 60_000;

/** The page; every other file of the build (assets, `public/`) is served by its path. */
const PAGES = { '/': 'index.html' };

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
      if (req.method !== 'POST') return sendMethodNotAllowed(res, { allow: ['POST'], message: 'POST only' });
      // JSON-RPC either way: the upstream is told so whatever the page sent, and gets nothing else of it.
      return proxyRequest(req, res, {
        name: pathname === '/rpc' ? 'chain' : 'bundler',
        target: pathname === '/rpc' ? network.rpcUrl : network.bundlerUrl,
        timeoutMs: PROXY_TIMEOUT_MS,
        headers: { 'content-type': 'application/json' },
        passHeaders: ['content-type'],
      });
    }
    if (pathname === FAUCET_PATH) {
      if (!faucet)
        return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'no faucet on this chain' } });
      if (req.method !== 'POST') return sendMethodNotAllowed(res, { allow: ['POST'], message: 'POST only' });
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
      return sendMethodNotAllowed(res, { allow: ['GET', 'HEAD'], message: 'GET only' });
    if (pathname === DEMO_CONFIG_PATH) return sendJson(res, 200, config);
    serveBuiltFile(req, res, pathname, { distDir: DEMO_DIST_DIR, pages: PAGES, files: 'all' });
  };

  return startHttpServer(handle, { port: options.port, host: options.host });
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
