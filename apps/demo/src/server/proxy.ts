import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { sendJson } from './respond.ts';

/** Largest JSON-RPC request body forwarded (a user operation is a few KB). */
export const MAX_RPC_BODY_BYTES = 1_048_576;

/**
 * Forwards one JSON-RPC POST to `target` and streams the answer back. The demo proxies the chain (`/rpc`)
 * and the bundler (`/bundler`) on its own origin so the page needs no CORS from them and its CSP can say
 * `connect-src 'self'`. Only the body and `content-type` go upstream (no cookies, no origin); only the
 * status and `content-type` come back. An unreachable upstream answers 502 `UPSTREAM_UNREACHABLE`, a slow
 * one 504 `UPSTREAM_TIMEOUT`, a body over {@link MAX_RPC_BODY_BYTES} 413 `BODY_TOO_LARGE`.
 *
 * @example
 * ```ts
 * proxyJsonRpc(req, res, { name: 'chain', target: 'http://127.0.0.1:8545', timeoutMs: 60_000 });
 * ```
 */
export function proxyJsonRpc(
  req: IncomingMessage,
  res: ServerResponse,
  options: { name: string; target: string; timeoutMs: number },
): void {
  const { name, target, timeoutMs } = options;
  if (Number(req.headers['content-length'] ?? 0) > MAX_RPC_BODY_BYTES) {
    req.resume();
    sendJson(res, 413, { error: { code: 'BODY_TOO_LARGE', message: `at most ${MAX_RPC_BODY_BYTES} bytes` } });
    return;
  }
  const url = new URL(target);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const upstream = send(
    url,
    { method: 'POST', headers: { 'content-type': 'application/json' }, timeout: timeoutMs },
    (answer) => {
      const type = answer.headers['content-type'];
      res.writeHead(answer.statusCode ?? 502, typeof type === 'string' ? { 'content-type': type } : {});
      answer.pipe(res);
    },
  );
  upstream.on('timeout', () => {
    upstream.destroy();
    if (!res.headersSent)
      sendJson(res, 504, {
        error: { code: 'UPSTREAM_TIMEOUT', message: `the ${name} did not answer in time` },
      });
  });
  upstream.on('error', () => {
    if (!res.headersSent)
      sendJson(res, 502, { error: { code: 'UPSTREAM_UNREACHABLE', message: `the ${name} is unreachable` } });
    else res.destroy();
  });
  let received = 0;
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received <= MAX_RPC_BODY_BYTES) return;
    req.unpipe(upstream);
    upstream.destroy();
    if (!res.headersSent)
      sendJson(res, 413, {
        error: { code: 'BODY_TOO_LARGE', message: `at most ${MAX_RPC_BODY_BYTES} bytes` },
      });
  });
  req.pipe(upstream);
}
