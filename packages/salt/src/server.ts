import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Logger, pino } from 'pino';
import type { SaltConfig } from './config.ts';
import { SaltError } from './errors.ts';
import { isJsonContentType, sendError } from './http.ts';
import { createMetrics, type SaltMetrics } from './metrics.ts';
import { TokenBucketLimiter } from './rate-limit.ts';
import { createGetSaltRoute, type RequestLogContext } from './routes/get-salt.ts';
import { sendHealth, sendMetrics } from './routes/status.ts';
import { createSaltSource } from './salt-source.ts';
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

const ROUTES = new Set(['/get_salt', '/health', '/metrics']);

/**
 * Starts the salt service: `POST /get_salt {token, keyClaimName?}` → `{salt, saltHex}` for a valid ID token
 * (`routes/get-salt.ts`), `GET /health`, `GET /metrics` (`routes/status.ts`). This function composes the parts
 * (verifier, salt source, limits, routes), admits requests (method, media type, draining, in-flight limit),
 * logs and counts each, and runs the server's life.
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
  const store = config.mode === 'stored' ? (options.store ?? (await openStore(config))) : options.store;
  const metrics = createMetrics();
  const getSalt = createGetSaltRoute({
    config,
    verify: options.verifier ?? createTokenVerifier(config),
    saltFor: createSaltSource(config, store),
    ipLimiter: new TokenBucketLimiter({ perMinute: config.ipRatePerMinute, burst: config.ipBurst }),
    subjectLimiter: new TokenBucketLimiter({
      perMinute: config.subjectRatePerMinute,
      burst: config.subjectBurst,
    }),
    metrics,
  });
  let inFlight = 0;
  let draining = false;
  let drained: (() => void) | undefined;

  async function route(req: IncomingMessage, res: ServerResponse, context: RequestLogContext): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    context.route = ROUTES.has(path) ? path : 'other';
    if (path === '/health') {
      if (req.method !== 'GET') throw new SaltError('METHOD_NOT_ALLOWED', 'use GET', { allow: ['GET'] });
      if (draining) throw shuttingDown();
      return sendHealth(res, config, store);
    }
    if (path === '/metrics') {
      if (req.method !== 'GET') throw new SaltError('METHOD_NOT_ALLOWED', 'use GET', { allow: ['GET'] });
      return sendMetrics(res, metrics);
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
    if (draining) throw shuttingDown();
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
    const context: RequestLogContext = { route: 'other' };
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
        sendError(req, res, saltError);
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

function shuttingDown(): SaltError {
  return new SaltError('SHUTTING_DOWN', 'the service is shutting down', { retryAfterSeconds: 1 });
}
