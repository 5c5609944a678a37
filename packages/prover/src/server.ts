import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ensureTierArtifacts, formatProgress, type VerificationKey } from '@zksso/circuits';
import { PROTOCOL_VERSION, toHex32 } from '@zksso/core';
import { type Logger, pino } from 'pino';
import type { ProverConfig } from './config.ts';
import { ProverError, toErrorAnswer } from './errors.ts';
import { JwksCache } from './jwks.ts';
import { loadTierFromKeysDir } from './keys-dir.ts';
import { createMetrics, type ProverMetrics } from './metrics.ts';
import { ProvingPool } from './pool.ts';
import { prepareProof } from './prepare.ts';
import { ProofRateLimiter } from './rate-limit.ts';
import { parseProveRequest } from './request.ts';

/** The protocol version this service speaks (protocol §12), re-exported from @zksso/core. */
export { PROTOCOL_VERSION };

/** The files and key a tier needs to prove. */
export interface TierKeys {
  readonly tier: number;
  readonly wasmPath: string;
  readonly zkeyPath: string;
  /** circom's native witness generator for the tier, when built (the wasm is the fallback). */
  readonly witnessBinaryPath?: string | undefined;
  readonly vkey: VerificationKey;
}

/** Hooks for tests and embedding; production uses the defaults. */
export interface ProverServiceOptions {
  /** Default: pino at `config.logLevel` on stdout. */
  readonly logger?: Logger;
  /** Used for discovery and JWKS requests; default global fetch. */
  readonly fetch?: typeof fetch;
  /**
   * Loads a tier's keys; default: from `config.keysDir` when set (checked, never built), else
   * `ensureTierArtifacts` (builds DEVELOPMENT keys on first use).
   */
  readonly loadTier?: (tier: number, log: Logger) => Promise<TierKeys>;
  /** Module (file URL) exporting the worker's `prove(job)`; default snarkjs (`./prove-job.ts`). */
  readonly proveModule?: string;
  /** Unix seconds now, for the token's lifetime and the expiry check. */
  readonly nowSeconds?: () => number;
  /** Milliseconds now, for the rate limits; default `Date.now`. */
  readonly nowMs?: () => number;
}

/** A prover service. */
export interface ProverService {
  /** Starts HTTP, the workers and the tier preload; resolves when every configured tier is ready. */
  listen(): Promise<string>;
  /** Stops accepting, lets in-flight proofs finish (up to `shutdownTimeoutMs`), stops the workers. */
  close(): Promise<void>;
  /** `http://host:port` once listening. */
  readonly url: string;
  readonly metrics: ProverMetrics;
  readonly jwks: JwksCache;
}

/** The answer of `POST /v1`. */
export interface ProveResponse {
  tier: number;
  /** 256 bytes, protocol §9 encoding. */
  proof: `0x${string}`;
  /** [issHash, idc, ephHi, ephLo, expiry, modulusHash], 32-byte hex each. */
  publicInputs: `0x${string}`[];
  issHash: `0x${string}`;
  identityCommitment: `0x${string}`;
  modulusHash: `0x${string}`;
  /** The ephemeral key's expiry (unix seconds), 32-byte hex like every integer in zksso/v1 JSON (§1). */
  expiry: `0x${string}`;
  /** keccak256(keyType ‖ keyBytes) of the ephemeral key (protocol §6). */
  keyId: `0x${string}`;
}

class HttpAnswer {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly contentType: string,
  ) {}
}

async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
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

/**
 * The address a rate limit is charged to: the connection's peer, or behind a trusted proxy the last
 * `X-Forwarded-For` entry (the one that proxy appended; entries before it are whatever the client sent).
 */
function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = req.headers['x-forwarded-for'];
  const fromProxy = trustProxy && typeof forwarded === 'string' ? forwarded.split(',').at(-1)?.trim() : '';
  const address = fromProxy || req.socket.remoteAddress || 'unknown';
  // One client, one key: an IPv4 peer of a dual-stack socket arrives as ::ffff:a.b.c.d.
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

const clientClosed = (stage: string) =>
  new ProverError('CLIENT_CLOSED', 'the client went away before its answer', { details: { stage } });

function tooLarge(maxBytes: number): ProverError {
  return new ProverError('PAYLOAD_TOO_LARGE', `the body exceeds ${maxBytes} bytes`, {
    details: { maxBytes },
  });
}

/**
 * Creates the prover service: `POST /v1` (token + secrets → zkLogin proof), `GET /ping`, `GET /health`,
 * `GET /metrics`. Stateless: any number of instances can serve behind a load balancer.
 *
 * @example
 * ```ts
 * const service = createProverService(loadConfig());
 * const url = await service.listen();
 * process.on('SIGTERM', () => service.close().then(() => process.exit(0)));
 * ```
 */
export function createProverService(config: ProverConfig, options: ProverServiceOptions = {}): ProverService {
  const log = options.logger ?? pino({ level: config.logLevel, base: { service: 'prover' } });
  const metrics = createMetrics();
  const jwks = new JwksCache(config.issuers, {
    ttlMs: config.jwksTtlMs,
    minRefetchMs: config.jwksMinRefetchMs,
    timeoutMs: config.jwksTimeoutMs,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const keysDir = config.keysDir;
  const loadTier =
    options.loadTier ??
    (async (tier: number, tierLog: Logger): Promise<TierKeys> => {
      if (keysDir !== undefined) {
        const keys = await loadTierFromKeysDir(keysDir, tier);
        if (keys.keyType === 'development') {
          tierLog.warn({ tier, keysDir }, 'ZKSSO_PROVER_KEYS_DIR holds a DEVELOPMENT KEY for this tier');
        } else tierLog.info({ tier, keysDir, keyType: keys.keyType }, 'tier keys from ZKSSO_PROVER_KEYS_DIR');
        return keys;
      }
      let lastStep = -1;
      const artifacts = await ensureTierArtifacts(tier, {
        cacheDir: config.cacheDir,
        log: (line) => tierLog.info({ tier }, line),
        onProgress: (p) => {
          const step = Math.floor(p.fraction * 20);
          if (step !== lastStep) tierLog.info({ tier, stage: p.stage }, formatProgress(p));
          lastStep = step;
        },
      });
      return {
        tier,
        wasmPath: artifacts.wasmPath,
        zkeyPath: artifacts.zkeyPath,
        witnessBinaryPath: artifacts.witnessBinaryPath,
        vkey: artifacts.vkey,
      };
    });
  const pool = new ProvingPool({
    concurrency: config.concurrency,
    queueSize: config.queueSize,
    ...(options.proveModule ? { proveModule: options.proveModule } : {}),
    onChange: () => {
      metrics.queueDepth.set(pool.queueDepth);
      metrics.inFlight.set(pool.inFlight);
    },
  });
  const limits = {
    subject: new ProofRateLimiter({
      perWindow: config.ratePerSubject,
      windowSeconds: config.rateWindowSeconds,
      ...(options.nowMs ? { now: options.nowMs } : {}),
    }),
    address: new ProofRateLimiter({
      perWindow: config.ratePerAddress,
      windowSeconds: config.rateWindowSeconds,
      ...(options.nowMs ? { now: options.nowMs } : {}),
    }),
  };
  const tiers = new Map<number, TierKeys>();
  const inFlightRequests = new Set<Promise<unknown>>();
  let server: Server | undefined;
  let url = '';
  let ready = false;
  let closing: Promise<void> | undefined;

  function errorAnswer(res: ServerResponse, error: unknown, requestId: string): string {
    const answer = toErrorAnswer(error);
    if (answer.retryAfterSeconds !== undefined)
      res.setHeader('retry-after', String(answer.retryAfterSeconds));
    send(res, new HttpAnswer(answer.status, JSON.stringify(answer.body), 'application/json'), requestId);
    metrics.errors.inc({ code: answer.body.error.code });
    if (answer.status >= 500 && answer.status !== 503 && answer.status !== 504) {
      // Server faults: name and message only (never a request body or job).
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
  }

  function send(res: ServerResponse, answer: HttpAnswer, requestId: string): void {
    res.statusCode = answer.status;
    if (res.destroyed) return; // the client is gone: the status stays for the log line
    res.setHeader('content-type', answer.contentType);
    res.setHeader('x-request-id', requestId);
    res.setHeader('zksso-version', PROTOCOL_VERSION);
    res.setHeader('cache-control', 'no-store');
    res.end(answer.body);
  }

  async function prove(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const started = performance.now();
    const deadline = Date.now() + config.timeoutMs;
    let tier: number | undefined;
    let code = 'OK';
    const timings: Record<string, number> = {};
    // The client hanging up (before its answer was sent) cancels its work: a queued job is dropped, a running
    // one killed with its worker. 'close' also follows a complete answer: writableFinished tells them apart.
    const hungUp = new AbortController();
    const onClose = () => {
      if (!res.writableFinished) hungUp.abort();
    };
    res.once('close', onClose);
    try {
      if (closing)
        throw new ProverError('SHUTTING_DOWN', 'the prover is shutting down', { retryAfterSeconds: 1 });
      if (!ready) {
        throw new ProverError('NOT_READY', 'the prover is still loading its proving keys', {
          retryAfterSeconds: 10,
        });
      }
      const type = String(req.headers['content-type'] ?? '');
      if (!/^application\/json\b/i.test(type)) {
        throw new ProverError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
      }
      const text = await readBody(req, config.maxBodyBytes);
      // A shutdown that began while the body was arriving: say so (not QUEUE_FULL from the closed pool).
      if (closing)
        throw new ProverError('SHUTTING_DOWN', 'the prover is shutting down', { retryAfterSeconds: 1 });
      // Shed load before any work: a full queue refuses at once.
      if (!pool.hasCapacity()) {
        throw new ProverError('QUEUE_FULL', 'the proving queue is full; retry later', {
          details: { queueSize: config.queueSize, inFlight: pool.inFlight },
          retryAfterSeconds: pool.retryAfterSeconds(),
        });
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new ProverError('BAD_REQUEST', 'the body is not valid JSON');
      }
      const request = parseProveRequest(body);
      const prepared = await prepareProof(request, {
        jwks,
        tiers: [...tiers.keys()].sort((a, b) => a - b),
        maxExpirySeconds: config.maxExpirySeconds,
        audiences: config.audiences,
        clockSkewSeconds: config.clockSkewSeconds,
        ...(options.nowSeconds ? { nowSeconds: options.nowSeconds } : {}),
      });
      tier = prepared.tier;
      timings.prepareMs = performance.now() - started;
      const keys = tiers.get(prepared.tier);
      if (!keys) throw new Error(`invariant: tier ${prepared.tier} is not loaded`); // 500 INTERNAL
      if (hungUp.signal.aborted) throw clientClosed('checks');
      // From here to submit nothing awaits: the limits are charged only for a job the queue takes.
      chargeRateLimits(prepared.subject, clientAddress(req, config.trustProxy));
      const result = await pool.submit(
        {
          tier: prepared.tier,
          artifacts: {
            wasmPath: keys.wasmPath,
            zkeyPath: keys.zkeyPath,
            witnessBinaryPath: keys.witnessBinaryPath,
          },
          vkey: keys.vkey,
          input: prepared.inputs,
        },
        Math.max(1, deadline - Date.now()),
        { signal: hungUp.signal },
      );
      timings.queuedMs = result.queuedMs;
      timings.provingMs = result.provingMs;
      metrics.provingTime.observe({ tier: String(tier) }, result.provingMs / 1000);
      const response: ProveResponse = {
        tier: prepared.tier,
        proof: result.proof,
        publicInputs: result.publicInputs,
        issHash: prepared.issHash,
        identityCommitment: prepared.identityCommitment,
        modulusHash: prepared.modulusHash,
        expiry: toHex32(prepared.expiry),
        keyId: prepared.keyId,
      };
      send(res, new HttpAnswer(200, JSON.stringify(response), 'application/json'), requestId);
      metrics.latency.observe({ tier: String(tier) }, (performance.now() - started) / 1000);
    } catch (error) {
      // Whatever failed after the client hung up (its body cut short, a check, the cancelled job): it is gone.
      // (The socket test catches a body cut short whose read error arrives before the 'close' event.)
      const gone = hungUp.signal.aborted || (req.socket.destroyed && !res.writableFinished);
      const cause =
        gone && !(error instanceof ProverError && error.code === 'CLIENT_CLOSED')
          ? clientClosed('checks')
          : error;
      if (cause instanceof ProverError && cause.code === 'CLIENT_CLOSED') {
        metrics.cancelled.inc({ stage: String(cause.details.stage ?? 'checks') });
      }
      code = errorAnswer(res, cause, requestId);
    } finally {
      res.off('close', onClose);
      metrics.requests.inc({ code });
      // Only ids, the tier, durations and the code: never the token, salt, randomness or circuit inputs.
      log.info(
        {
          requestId,
          route: 'POST /v1',
          status: res.statusCode,
          code,
          tier,
          totalMs: Math.round(performance.now() - started),
          ...Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])),
        },
        code === 'OK' ? 'proof made' : code === 'CLIENT_CLOSED' ? 'client went away' : 'proof refused',
      );
    }
  }

  /**
   * 429 RATE_LIMITED when the subject or the address has had its proofs for the window; else charges both.
   * Both are checked before either is charged, so a refused request costs nothing.
   */
  function chargeRateLimits(subject: string, address: string): void {
    for (const [limit, key] of [
      ['subject', subject],
      ['address', address],
    ] as const) {
      const retryAfterSeconds = limits[limit].wait(key);
      if (retryAfterSeconds > 0) {
        metrics.rateLimited.inc({ limit });
        throw new ProverError(
          'RATE_LIMITED',
          limit === 'subject' ? 'too many proofs for this account' : 'too many proofs from this address',
          {
            // Never the subject or the address: the limit and its numbers only.
            details: {
              limit,
              perWindow: limit === 'subject' ? config.ratePerSubject : config.ratePerAddress,
              windowSeconds: config.rateWindowSeconds,
            },
            retryAfterSeconds,
          },
        );
      }
    }
    // The queue may have filled while the checks awaited JWKS: refuse before charging (QUEUE_FULL, 503).
    if (!pool.hasCapacity()) {
      throw new ProverError('QUEUE_FULL', 'the proving queue is full; retry later', {
        details: { queueSize: config.queueSize, inFlight: pool.inFlight },
        retryAfterSeconds: pool.retryAfterSeconds(),
      });
    }
    limits.subject.take(subject);
    limits.address.take(address);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && /^[\w.-]{1,64}$/.test(header) ? header : randomUUID();
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (path === '/v1') {
        if (req.method !== 'POST') throw new ProverError('METHOD_NOT_ALLOWED', 'use POST /v1');
        await prove(req, res, requestId);
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        throw new ProverError('METHOD_NOT_ALLOWED', `use GET ${path}`);
      }
      if (path === '/ping') {
        send(res, new HttpAnswer(200, 'pong', 'text/plain; charset=utf-8'), requestId);
      } else if (path === '/health') {
        const keyTypes = Object.fromEntries(
          [...tiers.values()].map((t) => [String(t.tier), t.vkey.zksso?.keyType ?? 'unknown']),
        );
        const distinct = [...new Set(Object.values(keyTypes))];
        const health = {
          status: closing ? 'shutting-down' : ready ? 'ok' : 'loading',
          version: PROTOCOL_VERSION,
          tiers: [...tiers.keys()].sort((a, b) => a - b),
          tiersConfigured: config.tiers,
          // One value when every loaded tier agrees ('mixed' otherwise); per tier in keyTypes.
          keyType: distinct.length === 0 ? null : distinct.length === 1 ? distinct[0] : 'mixed',
          keyTypes,
          keySource: options.loadTier ? 'custom' : keysDir !== undefined ? 'keys-dir' : 'cache',
          queueDepth: pool.queueDepth,
          inFlight: pool.inFlight,
          concurrency: config.concurrency,
          queueSize: config.queueSize,
          estimatedProvingSeconds: Math.round(pool.estimateMs / 100) / 10,
        };
        send(
          res,
          new HttpAnswer(ready && !closing ? 200 : 503, JSON.stringify(health), 'application/json'),
          requestId,
        );
      } else if (path === '/metrics') {
        send(
          res,
          new HttpAnswer(200, await metrics.registry.metrics(), metrics.registry.contentType),
          requestId,
        );
      } else {
        throw new ProverError('NOT_FOUND', `no route ${path}`);
      }
    } catch (error) {
      if (!res.headersSent) errorAnswer(res, error, requestId);
      else res.end();
    }
  }

  async function preload(): Promise<void> {
    for (const tier of config.tiers) {
      const started = performance.now();
      log.info({ tier }, 'loading tier');
      tiers.set(tier, await loadTier(tier, log));
      log.info({ tier, ms: Math.round(performance.now() - started) }, 'tier ready');
    }
  }

  const service: ProverService = {
    metrics,
    jwks,
    get url() {
      return url;
    },
    async listen() {
      if (server) return url;
      const http = createServer((req, res) => {
        const work = handle(req, res);
        inFlightRequests.add(work);
        work.finally(() => inFlightRequests.delete(work));
      });
      server = http;
      http.requestTimeout = config.timeoutMs + 30_000;
      await new Promise<void>((resolve, reject) => {
        http.once('error', reject);
        http.listen(config.port, config.host, () => resolve());
      });
      const { port } = http.address() as AddressInfo;
      url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
      log.info(
        { url, tiers: config.tiers, concurrency: config.concurrency, queueSize: config.queueSize },
        'listening',
      );
      if (config.issuers.length > 0 && config.audiences.length === 0) {
        log.warn('ZKSSO_PROVER_AUDIENCES is empty: every token is refused with AUDIENCE_NOT_ALLOWED');
      }
      const [workers, keys] = await Promise.allSettled([pool.start(), preload()]);
      const failure = [keys, workers].find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure) {
        // A tier that cannot load (e.g. a bad ZKSSO_PROVER_KEYS_DIR file) is a startup error: stop what
        // started (HTTP, workers) so the caller gets the error, not a half-started service.
        log.error(
          { err: { name: failure.reason?.name, message: failure.reason?.message } },
          'startup failed',
        );
        await service.close();
        throw failure.reason;
      }
      ready = true;
      log.info({ tiers: config.tiers }, 'ready');
      return url;
    },
    close() {
      closing ??= (async () => {
        log.info({ inFlight: pool.inFlight, queued: pool.queueDepth }, 'shutting down');
        const stopped = server
          ? new Promise<void>((resolve) => server?.close(() => resolve()))
          : Promise.resolve();
        server?.closeIdleConnections();
        await pool.close(config.shutdownTimeoutMs);
        await Promise.allSettled([...inFlightRequests]);
        server?.closeAllConnections();
        await stopped;
        log.info('stopped');
      })();
      return closing;
    },
  };
  return service;
}
