import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { sendJson } from './respond.ts';

/** A service the browser reaches through the auth server (same origin, so `connect-src 'self'`). */
export type ProxiedService = 'rpc' | 'bundler' | 'salt' | 'prover';

/** Largest request body forwarded: a JSON-RPC call or a prover request (an ID token and a few fields). */
export const MAX_PROXY_BODY_BYTES = 1_048_576;

/** Response headers passed back to the browser (nothing that sets cookies or policies). */
const PASSED_HEADERS = ['content-type', 'retry-after', 'cache-control'];

/**
 * Forwards one request to `target` (the upstream URL with the path already joined) and streams the answer
 * back. Only the body, `content-type` and `accept` go upstream (no cookies, no origin); only the status,
 * `content-type`, `retry-after` and `cache-control` come back, so a 503 + Retry-After of the prover reaches
 * the page as it was sent. An unreachable upstream answers 502 `UPSTREAM_UNREACHABLE`, a slow one 504
 * `UPSTREAM_TIMEOUT`, a body over {@link MAX_PROXY_BODY_BYTES} 413 `BODY_TOO_LARGE`.
 *
 * @example
 * ```ts
 * proxyRequest(req, res, { service: 'rpc', target: new URL('http://127.0.0.1:8545'), timeoutMs: 60_000 });
 * ```
 */
export function proxyRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: { service: ProxiedService; target: URL; timeoutMs: number },
): void {
  const { service, target, timeoutMs } = options;
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_PROXY_BODY_BYTES) {
    req.resume();
    sendJson(res, 413, {
      error: { code: 'BODY_TOO_LARGE', message: `at most ${MAX_PROXY_BODY_BYTES} bytes` },
    });
    return;
  }
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'accept'] as const) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const upstream = send(target, { method: req.method, headers, timeout: timeoutMs }, (answer) => {
    const passed: Record<string, string> = {};
    for (const name of PASSED_HEADERS) {
      const value = answer.headers[name];
      if (typeof value === 'string') passed[name] = value;
    }
    res.writeHead(answer.statusCode ?? 502, passed);
    answer.pipe(res);
  });
  upstream.on('timeout', () => {
    upstream.destroy();
    if (!res.headersSent)
      sendJson(res, 504, {
        error: { code: 'UPSTREAM_TIMEOUT', message: `the ${service} did not answer in time`, service },
      });
  });
  upstream.on('error', () => {
    if (!res.headersSent)
      sendJson(res, 502, {
        error: { code: 'UPSTREAM_UNREACHABLE', message: `the ${service} is unreachable`, service },
      });
    else res.destroy();
  });
  let received = 0;
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > MAX_PROXY_BODY_BYTES) {
      upstream.destroy();
      req.unpipe(upstream);
      if (!res.headersSent)
        sendJson(res, 413, {
          error: { code: 'BODY_TOO_LARGE', message: `at most ${MAX_PROXY_BODY_BYTES} bytes` },
        });
    }
  });
  req.pipe(upstream);
}

/**
 * Joins an upstream base URL and the rest of the proxied path: `/salt/get_salt` with base
 * `http://127.0.0.1:5557` → `http://127.0.0.1:5557/get_salt`; the query string is kept.
 *
 * @example
 * ```ts
 * upstreamUrl('http://127.0.0.1:5558', '/v1', ''); // URL http://127.0.0.1:5558/v1
 * ```
 */
export function upstreamUrl(base: string, rest: string, search: string): URL {
  const url = new URL(base);
  const basePath = url.pathname.replace(/\/+$/, '');
  url.pathname = `${basePath}${rest}` || '/';
  url.search = search;
  return url;
}
