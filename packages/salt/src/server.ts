import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROTOCOL_VERSION } from '@zksso/core';
import { type Logger, pino } from 'pino';
import type { SaltConfig } from './config.ts';
import { deriveSalt, formatSalt, type SaltKey } from './derive.ts';
import { SaltError } from './errors.ts';
import { createMetrics, type SaltMetrics } from './metrics.ts';
import { TokenBucketLimiter } from './rate-limit.ts';
import { openStore } from './store/open.ts';
import type { SaltStore } from './store/types.ts';
import { createTokenVerifier, type TokenVerifier } from './verify.ts';

export type SaltServiceOptions = {
  config: SaltConfig;
  /** Stored mode: the store (default: opened from the config). The service closes it on `close()`. */
  store?: SaltStore;
  /** Default: pino at `config.logLevel` on stdout. */
  logger?: Logger;
  /** Default: {@link createTokenVerifier} of the config. */
  verifier?: TokenVerifier;
};

/** A running salt service. */
export type SaltService = {
  url: string;
  port: number;
  metrics: SaltMetrics;
  /** Stops accepting, lets in-flight requests finish (up to `shutdownTimeoutMs`), closes the store. */
  close(): Promise<void>;
};

type GetSaltBody = { token?: unknown; keyClaimName?: unknown };

/**
 * Starts the salt service: `POST /get_salt {token, keyClaimName?}` → `{salt, saltHex}` for a valid ID token,
 * `GET /health`, `GET /metrics`.
 *
 * @example
 * ```ts
 * const service = await startSaltService({ config: loadConfig() });
 * // ... on SIGTERM:
 * await service.close();
 * ```
 */
export async function startSaltService(options: SaltServiceOptions): Promise<SaltService> {
  const { config } = options;
  const log = options.logger ?? pino({ level: config.logLevel, base: { service: 'salt' } });
  const verify = options.verifier ?? createTokenVerifier(config);
  const store = config.mode === 'stored' ? (options.store ?? (await openStore(config))) : options.store;
  const seed = config.masterSeed;
  const metrics = createMetrics();
  const ipLimiter = new TokenBucketLimiter({ perMinute: config.ipRatePerMinute, burst: config.ipBurst });
  const subjectLimiter = new TokenBucketLimiter({
    perMinute: config.subjectRatePerMinute,
    burst: config.subjectBurst,
  });
  let inFlight = 0;
  let draining = false;
  let drained: (() => void) | undefined;

  async function saltFor(key: SaltKey): Promise<bigint> {
    if (config.mode === 'derived') return deriveSalt(seed as Uint8Array, key);
    const candidate = BigInt(`0x${randomBytes(16).toString('hex')}`);
    return (store as SaltStore).getOrCreate(key, candidate);
  }

  function clientIp(req: IncomingMessage): string {
    const forwarded = req.headers['x-forwarded-for'];
    if (config.trustProxy && typeof forwarded === 'string')
      return forwarded.split(',')[0]?.trim() || 'unknown';
    return req.socket.remoteAddress ?? 'unknown';
  }

  async function readJson(req: IncomingMessage): Promise<GetSaltBody> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > config.maxBodyBytes)
        throw new SaltError('PAYLOAD_TOO_LARGE', 'the request body is too large');
      chunks.push(chunk);
    }
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
      return body as GetSaltBody;
    } catch {
      throw new SaltError('BAD_REQUEST', 'the body must be a JSON object {"token": "<id token>"}');
    }
  }

  async function getSalt(req: IncomingMessage, res: ServerResponse, context: Record<string, unknown>) {
    const ipWait = ipLimiter.take(clientIp(req));
    if (ipWait > 0)
      throw new SaltError('RATE_LIMITED', 'too many requests from this address', {
        retryAfterSeconds: ipWait,
      });
    const body = await readJson(req);
    if (typeof body.token !== 'string' || body.token.length === 0) {
      throw new SaltError('BAD_REQUEST', 'token must be a non-empty string');
    }
    if (body.keyClaimName !== undefined && typeof body.keyClaimName !== 'string') {
      throw new SaltError('BAD_REQUEST', 'keyClaimName must be a string');
    }
    const verified = await verify(body.token, body.keyClaimName);
    context.iss = verified.iss;
    context.aud = verified.aud;
    const subjectWait = subjectLimiter.take(`${verified.iss}\n${verified.sub}`);
    if (subjectWait > 0) {
      throw new SaltError('RATE_LIMITED', 'too many requests for this account', {
        retryAfterSeconds: subjectWait,
      });
    }
    const salt = await saltFor(verified);
    metrics.saltsIssued.inc({ mode: config.mode });
    sendJson(res, 200, formatSalt(salt));
  }

  async function route(
    req: IncomingMessage,
    res: ServerResponse,
    context: Record<string, unknown>,
  ): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    context.route = path === '/get_salt' || path === '/health' || path === '/metrics' ? path : 'other';
    if (path === '/health') {
      if (req.method !== 'GET') throw new SaltError('METHOD_NOT_ALLOWED', 'use GET', { allow: ['GET'] });
      if (draining)
        throw new SaltError('SHUTTING_DOWN', 'the service is shutting down', { retryAfterSeconds: 1 });
      return sendJson(res, 200, {
        status: 'ok',
        version: PROTOCOL_VERSION,
        mode: config.mode,
        store: store?.kind ?? null,
      });
    }
    if (path === '/metrics') {
      if (req.method !== 'GET') throw new SaltError('METHOD_NOT_ALLOWED', 'use GET', { allow: ['GET'] });
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(await metrics.registry.metrics());
      return;
    }
    if (path !== '/get_salt') throw new SaltError('NOT_FOUND', 'no such route');
    if (req.method !== 'POST') throw new SaltError('METHOD_NOT_ALLOWED', 'use POST', { allow: ['POST'] });
    // Refuse a body that is not declared JSON before reading it: a form or text body is a client bug to report
    // as such (415), not a "malformed JSON" one.
    if (!isJsonContentType(req.headers['content-type'])) {
      throw new SaltError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json', {
        details: { contentType: String(req.headers['content-type'] ?? '').slice(0, 100) },
      });
    }
    if (draining)
      throw new SaltError('SHUTTING_DOWN', 'the service is shutting down', { retryAfterSeconds: 1 });
    if (inFlight >= config.maxInFlight) {
      throw new SaltError('OVERLOADED', 'too many requests in flight', { retryAfterSeconds: 1 });
    }
    inFlight++;
    metrics.inFlight.set(inFlight);
    try {
      await getSalt(req, res, context);
    } finally {
      inFlight--;
      metrics.inFlight.set(inFlight);
      if (inFlight === 0) drained?.();
    }
  }

  const server = createServer((req, res) => {
    const started = process.hrtime.bigint();
    const context: Record<string, unknown> = { route: 'other' };
    if (draining) res.setHeader('connection', 'close');
    route(req, res, context)
      .catch((error: unknown) => {
        const saltError =
          error instanceof SaltError
            ? error
            : new SaltError('INTERNAL_ERROR', 'internal error', { cause: error });
        context.code = saltError.code;
        if (
          saltError.status >= 500 &&
          saltError.code !== 'OVERLOADED' &&
          saltError.code !== 'SHUTTING_DOWN'
        ) {
          // The message of a store/JWKS error never contains the token or the salt.
          log.error(
            { code: saltError.code, cause: String((saltError.cause as Error)?.message ?? '') },
            'request failed',
          );
        }
        if (res.headersSent) return void res.end();
        if (saltError.allow) res.setHeader('allow', saltError.allow.join(', '));
        if (saltError.retryAfterSeconds !== undefined)
          res.setHeader('retry-after', String(saltError.retryAfterSeconds));
        // Unread request bodies would keep the socket busy: close it after refusals.
        if (!req.complete) res.setHeader('connection', 'close');
        sendJson(res, saltError.status, { error: { code: saltError.code, message: saltError.message } });
      })
      .finally(() => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const route = String(context.route);
        metrics.requests.inc({ route, status: String(res.statusCode), code: String(context.code ?? 'OK') });
        metrics.duration.observe({ route }, seconds);
        log.info(
          {
            method: req.method,
            route,
            status: res.statusCode,
            code: context.code,
            ms: Math.round(seconds * 1e4) / 10,
            iss: context.iss,
            aud: context.aud,
          },
          'request',
        );
      });
  });
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host}:${port}`;
  log.info({ url, port, mode: config.mode, store: store?.kind ?? null }, 'salt service listening');

  let closing: Promise<void> | undefined;
  async function close(): Promise<void> {
    closing ??= (async () => {
      draining = true;
      log.info({ inFlight }, 'draining');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        const timeout = new Promise<void>((resolve) => setTimeout(resolve, config.shutdownTimeoutMs).unref());
        await Promise.race([new Promise<void>((resolve) => (drained = resolve)), timeout]);
      }
      server.closeAllConnections();
      await closed;
      await store?.close();
      log.info('stopped');
    })();
    return closing;
  }

  return { url, port, metrics, close };
}

/** Whether a `Content-Type` header declares JSON: `application/json` or a `+json` type, any parameters. */
function isJsonContentType(header: string | undefined): boolean {
  const type = (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}
