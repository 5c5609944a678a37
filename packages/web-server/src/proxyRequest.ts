import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { sendJson } from './sendJson.ts';

/** Default largest request body forwarded: a JSON-RPC call, a user operation or a prover request. */
export const MAX_PROXY_BODY_BYTES = 1_048_576;

/** Default answer headers passed back to the browser: nothing that sets cookies or policies. */
export const PASSED_HEADERS: readonly string[] = ['content-type', 'retry-after', 'cache-control'];

/**
 * Parameters of {@link proxyRequest}.
 *
 * @example
 * ```ts
 * const chain: ProxyRequestParameters = { name: 'chain', target: 'http://127.0.0.1:8545', timeoutMs: 60_000 };
 * ```
 */
export interface ProxyRequestParameters {
  /** The upstream in error messages: `the <name> is unreachable`. */
  name: string;
  /** The upstream URL, path and query included. */
  target: URL | string;
  /** No answer within this time: 504 `UPSTREAM_TIMEOUT`. */
  timeoutMs: number;
  /** Largest body forwarded, default {@link MAX_PROXY_BODY_BYTES}; over it: 413 `BODY_TOO_LARGE`. */
  maxBodyBytes?: number;
  /** The request headers sent upstream; default: the request's own `content-type` and `accept`, no others. */
  headers?: Record<string, string>;
  /** The answer headers passed back, default {@link PASSED_HEADERS}. */
  passHeaders?: readonly string[];
  /** Added to the error of a 502 or 504, e.g. `{ service: 'rpc' }`, for a page that tells them apart. */
  errorFields?: Record<string, string>;
}

/**
 * Forwards one request (its method and body) to `target` and streams the answer back: an app serves the
 * chain, the bundler or a service on its own origin, so the page needs no CORS from them and its CSP can say
 * `connect-src 'self'`. Nothing else of the browser's request goes upstream (no cookies, no origin) and only
 * the status and the passed headers come back (no `set-cookie`), so a 503 + Retry-After of a busy prover
 * reaches the page as sent. An unreachable upstream answers 502 `UPSTREAM_UNREACHABLE`, a slow one 504
 * `UPSTREAM_TIMEOUT`, a body over the limit 413 `BODY_TOO_LARGE` (from `content-length`, or counted).
 *
 * @example
 * ```ts
 * proxyRequest(req, res, { name: 'chain', target: 'http://127.0.0.1:8545', timeoutMs: 60_000 });
 * ```
 */
export function proxyRequest(
  req: IncomingMessage,
  res: ServerResponse,
  parameters: ProxyRequestParameters,
): void {
  const { name, timeoutMs, errorFields = {} } = parameters;
  const maxBodyBytes = parameters.maxBodyBytes ?? MAX_PROXY_BODY_BYTES;
  const passHeaders = parameters.passHeaders ?? PASSED_HEADERS;
  const tooLarge = () =>
    sendJson(res, 413, { error: { code: 'BODY_TOO_LARGE', message: `at most ${maxBodyBytes} bytes` } });
  if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) {
    req.resume();
    tooLarge();
    return;
  }
  let headers = parameters.headers;
  if (!headers) {
    headers = {};
    for (const header of ['content-type', 'accept'] as const) {
      const value = req.headers[header];
      if (typeof value === 'string') headers[header] = value;
    }
  }
  const target = new URL(parameters.target);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const upstream = send(target, { method: req.method, headers, timeout: timeoutMs }, (answer) => {
    const passed: Record<string, string> = {};
    for (const header of passHeaders) {
      const value = answer.headers[header];
      if (typeof value === 'string') passed[header] = value;
    }
    res.writeHead(answer.statusCode ?? 502, passed);
    answer.pipe(res);
  });
  upstream.on('timeout', () => {
    upstream.destroy();
    if (!res.headersSent)
      sendJson(res, 504, {
        error: { code: 'UPSTREAM_TIMEOUT', message: `the ${name} did not answer in time`, ...errorFields },
      });
  });
  upstream.on('error', () => {
    if (!res.headersSent)
      sendJson(res, 502, {
        error: { code: 'UPSTREAM_UNREACHABLE', message: `the ${name} is unreachable`, ...errorFields },
      });
    // An answer cut midway: end the connection so the page sees it failed. Not after an own error answer
    // (a timeout or a body over the limit destroys the upstream request, which reports an error too).
    else if (!res.writableEnded) res.destroy();
  });
  let received = 0;
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received <= maxBodyBytes) return;
    req.unpipe(upstream);
    upstream.destroy();
    if (!res.headersSent) tooLarge();
  });
  req.pipe(upstream);
}
