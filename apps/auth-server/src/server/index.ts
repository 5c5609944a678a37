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
import type { Address } from 'viem';
import type { AppConfig, ProviderConfig } from '../shared/config.ts';
import { DIST_DIR, ensureAppBuilt } from './build.ts';
import { securityHeaders } from './csp.ts';
import { type ProviderOption, resolveProvider } from './providers.ts';
import { type ProxiedService, upstreamUrl } from './proxy.ts';

export { appBuildReason, ensureAppBuilt } from './build.ts';
export { contentSecurityPolicy, securityHeaders } from './csp.ts';
export { ProviderConfigError, type ProviderOption, resolveProvider } from './providers.ts';

/**
 * The deployment the auth server serves: the chain and the services, as the auth server itself reaches them
 * (the browser reaches them through the proxies), the client ids and the contracts: `@zksso/sdk`'s
 * `ZkSsoNetwork` plus the RecoveryModule's address.
 *
 * @example
 * ```ts
 * const dev = loadDevStackNetwork();
 * const network: AuthServerNetwork = { ...dev, addresses: { ...dev.addresses, recoveryModule: '0x…' } };
 * ```
 */
export type AuthServerNetwork = ZkSsoNetwork & {
  addresses: ZkSsoNetwork['addresses'] & { recoveryModule?: Address };
};

/**
 * Options of {@link startAuthServer}.
 *
 * @example
 * ```ts
 * const options: StartAuthServerOptions = { network, idp: { issuer: stack.idp.issuer }, port: 5560 };
 * ```
 */
export interface StartAuthServerOptions {
  network: AuthServerNetwork;
  /** The dev OpenID provider (or any discovery issuer): shorthand for one entry of `providers`. */
  idp?: { issuer: string; clientId?: string; name?: string; id?: string };
  /** Every OpenID provider offered ("Continue with …"), after `idp`. */
  providers?: ProviderOption[];
  /** TCP port, default 0 (a free port). */
  port?: number;
  /** Bind address, default 127.0.0.1. */
  host?: string;
  /** WebAuthn relying party id; default: the host name the browser uses. */
  rpId?: string;
  /** Title of the wallet, default "zkSSO". */
  walletName?: string;
  /** Dev mode (fund button, http icons of local dapps): default `network.local` or chain 31337/1337. */
  dev?: boolean;
  /** `auto` (default): build the app with Vite when dist/ is missing or stale; `never`: serve dist/ as is. */
  build?: 'auto' | 'never';
  /** Proxy timeout per service, ms: rpc/bundler/salt 60 s, prover 15 min. */
  timeoutsMs?: Partial<Record<ProxiedService, number>>;
  onStatus?: (line: string) => void;
}

/**
 * A running auth server: `url` is its origin (`http://127.0.0.1:<port>`); dapps open `${url}/popup`.
 *
 * @example
 * ```ts
 * const server = await startAuthServer(options);
 * console.log(`${server.url}/account`);
 * await server.close();
 * ```
 */
export interface AuthServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const PAGES: Record<string, string> = {
  '/': 'index.html',
  '/popup': 'index.html',
  '/account': 'index.html',
  '/callback': 'callback.html',
};

const DEFAULT_TIMEOUTS: Record<ProxiedService, number> = {
  rpc: 60_000,
  bundler: 60_000,
  salt: 60_000,
  prover: 15 * 60_000,
};

/**
 * Starts the zkSSO auth server: the popup wallet (`/popup`, `/callback`, `/account`), built with Vite into
 * `dist/` on first use, served with a strict Content-Security-Policy, plus same-origin proxies of the
 * services the page talks to (`/rpc` → the chain, `/bundler` → the ERC-4337 bundler, `/salt/*` → the salt
 * service, `/prover/*` → the prover) and `GET /config.json` (the network as the page sees it, and the
 * OpenID providers, resolved from their discovery documents).
 *
 * @example
 * ```ts
 * import { startAuthServer } from '@zksso/auth-server';
 * const stack = await startDevStack({ ports: { anvil: 0 } });
 * const auth = await startAuthServer({
 *   network: { ...devStackNetwork(stackReadyDocument(stack)), recoveryModule: stack.addresses.recoveryModule },
 *   idp: { issuer: stack.idp.issuer },
 * });
 * // a dapp: zksso({ authServerUrl: auth.url, metadata: { name: 'Demo' } })
 * await auth.close();
 * ```
 */
export async function startAuthServer(options: StartAuthServerOptions): Promise<AuthServer> {
  const { network } = options;
  const dev = options.dev ?? network.local ?? [31337, 1337].includes(network.chainId);
  if (options.build !== 'never') await ensureAppBuilt(options.onStatus ? { onStatus: options.onStatus } : {});
  else if (!existsSync(join(DIST_DIR, 'index.html')))
    throw new Error(`the auth server app is not built (${DIST_DIR}); run with build: 'auto'`);

  const providerOptions: ProviderOption[] = [
    ...(options.idp
      ? [
          {
            id: options.idp.id ?? 'dev',
            name: options.idp.name ?? 'Dev OpenID provider',
            issuer: options.idp.issuer,
            clientId: options.idp.clientId ?? network.clientIds[0] ?? 'zksso-dev',
          },
        ]
      : []),
    ...(options.providers ?? []),
  ];
  const resolved = new Map<string, ProviderConfig>();
  const resolveProviders = async (): Promise<ProviderConfig[]> => {
    await Promise.all(
      providerOptions.map(async (option) => {
        if (resolved.has(option.id)) return;
        try {
          resolved.set(option.id, await resolveProvider(option));
        } catch (error) {
          options.onStatus?.(`provider ${option.id} unavailable: ${(error as Error).message}`);
        }
      }),
    );
    return providerOptions.flatMap((o) => resolved.get(o.id) ?? []);
  };

  const upstreams: Record<ProxiedService, string> = {
    rpc: network.rpcUrl,
    bundler: network.bundlerUrl,
    salt: network.saltUrl,
    prover: network.proverUrl,
  };
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeoutsMs };

  const appConfig = async (): Promise<AppConfig> => ({
    network: {
      chainId: network.chainId,
      rpcUrl: '/rpc',
      bundlerUrl: '/bundler',
      saltUrl: '/salt',
      proverUrl: network.proverUrl ? '/prover' : '',
      clientIds: [...network.clientIds],
      local: dev,
      ...(network.deploymentBlock === undefined ? {} : { deploymentBlock: network.deploymentBlock }),
      addresses: { ...network.addresses },
    },
    providers: await resolveProviders(),
    ...(options.rpId ? { rpId: options.rpId } : {}),
    walletName: options.walletName ?? 'zkSSO',
    dev,
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://auth.invalid');
    const { pathname } = url;
    for (const [name, value] of Object.entries(securityHeaders(pathname, { dev })))
      res.setHeader(name, value);

    const proxied = /^\/(rpc|bundler|salt|prover)(\/.*)?$/.exec(pathname);
    if (proxied) {
      const service = proxied[1] as ProxiedService;
      const rest = proxied[2] ?? '';
      if (req.method !== 'POST' && req.method !== 'GET')
        return sendMethodNotAllowed(res, { allow: ['GET', 'POST'], message: 'GET or POST' });
      if ((service === 'rpc' || service === 'bundler') && rest !== '')
        return sendJson(res, 404, {
          error: { code: 'NOT_FOUND', message: `/${service} takes JSON-RPC at its root` },
        });
      if (!upstreams[service])
        return sendJson(res, 503, {
          error: { code: 'SERVICE_NOT_CONFIGURED', message: `no ${service} is configured`, service },
        });
      return proxyRequest(req, res, {
        name: service,
        target: upstreamUrl(upstreams[service], rest, url.search),
        timeoutMs: timeouts[service],
        errorFields: { service },
      });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendMethodNotAllowed(res, { allow: ['GET', 'HEAD'], message: 'GET only' });
    if (pathname === '/config.json') return sendJson(res, 200, await appConfig());
    if (pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });

    // The pages, and Vite's hashed assets under /assets/: no other file of dist/.
    serveBuiltFile(req, res, pathname, { distDir: DIST_DIR, pages: PAGES, files: 'assets' });
  };

  // A prover answer can take minutes: no server-side request timeout on the proxied calls.
  return startHttpServer(handle, { port: options.port, host: options.host, requestTimeoutMs: 0 });
}
