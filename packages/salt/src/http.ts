import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceErrorBody } from '@zksso/core';
import { SaltError } from './errors.ts';

// The HTTP plumbing the salt service's routes share: bounded JSON bodies, the client's address for the rate
// limit, and answers (JSON, never cached; errors in the body every zkSSO service answers).

/**
 * Writes a JSON answer that no cache keeps (a salt is a secret).
 *
 * @example
 * ```ts
 * sendJson(res, 200, formatSalt(salt));
 * ```
 */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}

/**
 * Answers a {@link SaltError}: its status, `Allow` and `Retry-After` when it has them, and the
 * `ServiceErrorBody` (`{ error: { code, message } }`). A refused request whose body was not read closes its
 * connection (the unread body would keep the socket busy).
 *
 * @example
 * ```ts
 * sendError(req, res, new SaltError('NOT_FOUND', 'no such route'));
 * ```
 */
export function sendError(req: IncomingMessage, res: ServerResponse, error: SaltError): void {
  if (res.headersSent) return void res.end();
  if (error.allow) res.setHeader('allow', error.allow.join(', '));
  if (error.retryAfterSeconds !== undefined) res.setHeader('retry-after', String(error.retryAfterSeconds));
  if (!req.complete) res.setHeader('connection', 'close');
  const body: ServiceErrorBody = { error: { code: error.code, message: error.message } };
  sendJson(res, error.status, body);
}

/**
 * The body as a JSON object, at most `maxBytes`.
 *
 * @throws {SaltError} PAYLOAD_TOO_LARGE, BAD_REQUEST (not JSON, or not an object).
 * @example
 * ```ts
 * const body = await readJsonObject(req, config.maxBodyBytes);
 * ```
 */
export async function readJsonObject(
  req: IncomingMessage,
  maxBytes: number,
): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new SaltError('PAYLOAD_TOO_LARGE', 'the request body is too large');
    chunks.push(chunk);
  }
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
    return body as Record<string, unknown>;
  } catch {
    throw new SaltError('BAD_REQUEST', 'the body must be a JSON object {"token": "<id token>"}');
  }
}

/**
 * Whether a `Content-Type` header declares JSON: `application/json` or a `+json` type, any parameters.
 *
 * @example
 * ```ts
 * isJsonContentType('application/json; charset=utf-8'); // true
 * ```
 */
export function isJsonContentType(header: string | undefined): boolean {
  const type = (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/**
 * The address the per-IP limit is charged to: the peer, or behind a trusted proxy the first
 * `X-Forwarded-For` entry.
 *
 * @example
 * ```ts
 * ipLimiter.take(clientIp(req, config.trustProxy));
 * ```
 */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = req.headers['x-forwarded-for'];
  if (trustProxy && typeof forwarded === 'string') return forwarded.split(',')[0]?.trim() || 'unknown';
  return req.socket.remoteAddress ?? 'unknown';
}
