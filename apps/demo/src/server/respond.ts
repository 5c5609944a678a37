import type { ServerResponse } from 'node:http';

/**
 * Answers with a JSON body (errors as `{ error: { code, message } }`, a machine-readable `code`).
 *
 * @example
 * ```ts
 * sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'no page /x' } });
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
