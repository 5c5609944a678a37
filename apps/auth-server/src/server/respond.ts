import type { ServerResponse } from 'node:http';

/**
 * Answers JSON with `no-store` (nothing here is cacheable), e.g. `{ error: { code, message } }`.
 *
 * @example
 * ```ts
 * sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'no such page' } });
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
