import type { IncomingMessage, ServerResponse } from 'node:http';
import { PROTOCOL_VERSION } from '@zksso/core';
import type { Logger } from 'pino';
import { ProverError, toErrorAnswer } from './errors.ts';
import type { ProverMetrics } from './metrics.ts';

// The HTTP plumbing every route of the prover shares: reading a bounded body, the client's address for rate
// limits, and writing answers (the same headers on each) and error answers (counted, server faults logged).

/** One answer: status, body and content type. */
export class HttpAnswer {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly contentType: string,
  ) {}

  /** A JSON answer. @example `HttpAnswer.json(200, { ok: true })` */
  static json(status: number, body: unknown): HttpAnswer {
    return new HttpAnswer(status, JSON.stringify(body), 'application/json');
  }
}

/**
 * Writes `answer` with the headers of every prover answer (request id, protocol version, no caching). A client
 * that is gone keeps the status for the log line and gets nothing.
 *
 * @example
 * ```ts
 * send(res, new HttpAnswer(200, 'pong', 'text/plain; charset=utf-8'), requestId);
 * ```
 */
export function send(res: ServerResponse, answer: HttpAnswer, requestId: string): void {
  res.statusCode = answer.status;
  if (res.destroyed) return; // the client is gone: the status stays for the log line
  res.setHeader('content-type', answer.contentType);
  res.setHeader('x-request-id', requestId);
  res.setHeader('zksso-version', PROTOCOL_VERSION);
  res.setHeader('cache-control', 'no-store');
  res.end(answer.body);
}

/** Answers an error (what {@link createErrorResponder} returns): the code it answered. */
export type ErrorResponder = (res: ServerResponse, error: unknown, requestId: string) => string;

/**
 * Answers anything thrown with `toErrorAnswer` (status, JSON body, `Retry-After`), counts it by code and logs
 * server faults by name and message only (never a request body or job).
 *
 * @example
 * ```ts
 * const answerError = createErrorResponder(metrics, log);
 * const code = answerError(res, new ProverError('NOT_FOUND', 'no route /x'), requestId); // 'NOT_FOUND'
 * ```
 */
export function createErrorResponder(metrics: ProverMetrics, log: Logger): ErrorResponder {
  return (res, error, requestId) => {
    const answer = toErrorAnswer(error);
    if (answer.retryAfterSeconds !== undefined)
      res.setHeader('retry-after', String(answer.retryAfterSeconds));
    send(res, HttpAnswer.json(answer.status, answer.body), requestId);
    metrics.errors.inc({ code: answer.body.error.code });
    if (answer.status >= 500 && answer.status !== 503 && answer.status !== 504) {
      const cause = (error as { cause?: unknown })?.cause ?? error;
      log.error(
        {
          requestId,
          code: answer.body.error.code,
          err: { name: (cause as Error)?.name, message: (cause as Error)?.message },
        },
        'server fault',
      );
    }
    return answer.body.error.code;
  };
}

/**
 * The body as text, refused with PAYLOAD_TOO_LARGE past `maxBytes` (declared or received).
 *
 * @example
 * ```ts
 * const text = await readBody(req, 64 * 1024);
 * ```
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(maxBytes: number): ProverError {
  return new ProverError('PAYLOAD_TOO_LARGE', `the body exceeds ${maxBytes} bytes`, {
    details: { maxBytes },
  });
}

/**
 * The address a rate limit is charged to: the connection's peer, or behind a trusted proxy the last
 * `X-Forwarded-For` entry (the one that proxy appended; entries before it are whatever the client sent).
 *
 * @example
 * ```ts
 * limits.charge(subject, clientAddress(req, config.trustProxy));
 * ```
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = req.headers['x-forwarded-for'];
  const fromProxy = trustProxy && typeof forwarded === 'string' ? forwarded.split(',').at(-1)?.trim() : '';
  const address = fromProxy || req.socket.remoteAddress || 'unknown';
  // One client, one key: an IPv4 peer of a dual-stack socket arrives as ::ffff:a.b.c.d.
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/**
 * A request id: the client's `X-Request-Id` when it is short and plain, else a fresh UUID.
 *
 * @example
 * ```ts
 * const requestId = requestIdOf(req, randomUUID);
 * ```
 */
export function requestIdOf(req: IncomingMessage, fresh: () => string): string {
  const header = req.headers['x-request-id'];
  return typeof header === 'string' && /^[\w.-]{1,64}$/.test(header) ? header : fresh();
}
