import type { ServerResponse } from 'node:http';

/**
 * Answers with a JSON body and `cache-control: no-store` (nothing an app server answers in JSON is cacheable);
 * errors as `{ error: { code, message } }`, a machine-readable `code`. `headers` are added (e.g. `allow`), but
 * cannot replace `content-type`, `content-length` or `cache-control`.
 *
 * @example
 * ```ts
 * sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'no page /x' } });
 * sendJson(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'POST only' } }, { allow: 'POST' });
 * ```
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/**
 * Answers 405 `METHOD_NOT_ALLOWED` with the `allow` header a client needs to retry correctly.
 *
 * @example
 * ```ts
 * if (req.method !== 'POST') return sendMethodNotAllowed(res, { allow: ['POST'], message: 'POST only' });
 * ```
 */
export function sendMethodNotAllowed(
  res: ServerResponse,
  options: { allow: readonly string[]; message: string },
): void {
  sendJson(
    res,
    405,
    { error: { code: 'METHOD_NOT_ALLOWED', message: options.message } },
    { allow: options.allow.join(', ') },
  );
}
