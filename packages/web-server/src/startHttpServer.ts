import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendJson } from './sendJson.ts';

/**
 * Options of {@link startHttpServer}.
 *
 * @example
 * ```ts
 * const options: StartHttpServerOptions = { port: 5561, host: '127.0.0.1' };
 * ```
 */
export interface StartHttpServerOptions {
  /** TCP port, default 0 (a free port). */
  port?: number;
  /** Bind address, default 127.0.0.1; the URL shows 127.0.0.1 for `0.0.0.0` and `::`. */
  host?: string;
  /** Node's `server.requestTimeout` in ms (its default, 300 s, when not given); 0: none, for long proxied calls. */
  requestTimeoutMs?: number;
}

/**
 * A running server: `url` is its origin (`http://127.0.0.1:<port>`, IPv6 hosts in brackets).
 *
 * @example
 * ```ts
 * const running: RunningHttpServer = await startHttpServer(handle);
 * await running.close();
 * ```
 */
export interface RunningHttpServer {
  url: string;
  port: number;
  /** Stops listening and closes every connection, idle or not. */
  close(): Promise<void>;
}

/**
 * Starts `node:http` with an async handler and resolves once it listens. A handler that throws answers 500
 * `INTERNAL` (no details: they could name a path or an upstream), or, when the answer had begun, cuts the
 * connection. Listening errors (the port in use) reject.
 *
 * @example
 * ```ts
 * const server = await startHttpServer(async (req, res) => sendJson(res, 200, { status: 'ok' }), { port: 0 });
 * console.log(server.url); // http://127.0.0.1:41234
 * await server.close();
 * ```
 */
export async function startHttpServer(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  options: StartHttpServerOptions = {},
): Promise<RunningHttpServer> {
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'INTERNAL', message: 'internal error' } });
      else res.destroy();
    });
  });
  if (options.requestTimeoutMs !== undefined) server.requestTimeout = options.requestTimeoutMs;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  // A wildcard bind is reached on loopback; an IPv6 address goes in brackets.
  const wildcard = host === '' || host === '0.0.0.0' || host === '::';
  const shownHost = wildcard ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
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
