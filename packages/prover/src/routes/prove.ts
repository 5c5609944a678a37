import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { type ProveResponse, toHex32 } from '@zksso/core';
import type { Logger } from 'pino';
import type { ProverConfig } from '../config.ts';
import { ProverError } from '../errors.ts';
import { clientAddress, type ErrorResponder, HttpAnswer, readBody, send } from '../http.ts';
import type { JwksCache } from '../jwks.ts';
import type { ProverMetrics } from '../metrics.ts';
import type { PoolResult, ProvingPool } from '../pool.ts';
import { type PreparedProof, prepareProof } from '../prepare.ts';
import type { ProofLimits } from '../proof-limits.ts';
import { type ProveRequest, parseProveRequest } from '../request.ts';
import type { ServiceState } from '../state.ts';

/** What the `POST /v1` handler works with. */
export interface ProveRouteContext {
  readonly config: ProverConfig;
  readonly state: ServiceState;
  readonly jwks: JwksCache;
  readonly pool: ProvingPool;
  readonly limits: ProofLimits;
  readonly metrics: ProverMetrics;
  readonly log: Logger;
  readonly answerError: ErrorResponder;
  /** Unix seconds now, for the token's lifetime and the expiry check. */
  readonly nowSeconds?: () => number;
}

/** `POST /v1` for one request (`handleProve` of {@link createProveRoute}). */
export type ProveRoute = (req: IncomingMessage, res: ServerResponse, requestId: string) => Promise<void>;

/**
 * The `POST /v1` handler: one pass over each request, in the shape of Aptos Keyless's prover handler.
 * admit (shutting down, not ready, media type, body size, queue) → parse → validate the token and fetch its
 * issuer's key (JWKS) → circuit inputs with named public inputs (`prepareProof`) → rate limits → prove and
 * self-verify in a worker (`ProvingPool`) → answer `ProveResponse`. A client that hangs up is not worked for:
 * its queued job is dropped, its running one killed (CLIENT_CLOSED). Logs ids, tier, durations and the code,
 * never the token, salt, randomness or circuit inputs.
 *
 * @example
 * ```ts
 * const handleProve = createProveRoute({ config, state, jwks, pool, limits, metrics, log, answerError });
 * await handleProve(req, res, requestId);
 * ```
 */
export function createProveRoute(context: ProveRouteContext): ProveRoute {
  const { config, state, pool, metrics, log } = context;

  return async function handleProve(req, res, requestId) {
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
      const request = await admit(req);
      const prepared = await prepareProof(request, {
        jwks: context.jwks,
        tiers: [...state.tiers.keys()].sort((a, b) => a - b),
        maxExpirySeconds: config.maxExpirySeconds,
        audiences: config.audiences,
        clockSkewSeconds: config.clockSkewSeconds,
        ...(context.nowSeconds ? { nowSeconds: context.nowSeconds } : {}),
      });
      tier = prepared.tier;
      timings.prepareMs = performance.now() - started;
      if (hungUp.signal.aborted) throw clientClosed('checks');
      const result = await prove(prepared, clientAddress(req, config.trustProxy), deadline, hungUp.signal);
      timings.queuedMs = result.queuedMs;
      timings.provingMs = result.provingMs;
      metrics.provingTime.observe({ tier: String(tier) }, result.provingMs / 1000);
      send(res, HttpAnswer.json(200, proveResponse(prepared, result)), requestId);
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
      code = context.answerError(res, cause, requestId);
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
  };

  /** Refusals that cost nothing, before the token is looked at; then the parsed request. */
  async function admit(req: IncomingMessage): Promise<ProveRequest> {
    if (state.closing) throw shuttingDown();
    if (!state.ready) {
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
    if (state.closing) throw shuttingDown();
    // Shed load before any work: a full queue refuses at once.
    if (!pool.hasCapacity()) throw queueFull();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ProverError('BAD_REQUEST', 'the body is not valid JSON');
    }
    return parseProveRequest(body);
  }

  /** Charges the rate limits (only for a job the queue takes), then proves and self-verifies in a worker. */
  async function prove(
    prepared: PreparedProof,
    address: string,
    deadline: number,
    signal: AbortSignal,
  ): Promise<PoolResult> {
    const keys = state.tiers.get(prepared.tier);
    if (!keys) throw new Error(`invariant: tier ${prepared.tier} is not loaded`); // 500 INTERNAL
    // From here to submit nothing awaits: the limits are charged only for a job the queue takes.
    context.limits.check(prepared.subject, address);
    // The queue may have filled while the checks awaited JWKS: refuse before charging (QUEUE_FULL, 503).
    if (!pool.hasCapacity()) throw queueFull();
    context.limits.take(prepared.subject, address);
    return pool.submit(
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
      { signal },
    );
  }

  function queueFull(): ProverError {
    return new ProverError('QUEUE_FULL', 'the proving queue is full; retry later', {
      details: { queueSize: config.queueSize, inFlight: pool.inFlight },
      retryAfterSeconds: pool.retryAfterSeconds(),
    });
  }
}

/** The answer of `POST /v1`: the worker's proof and public inputs with the prepared values, all 32-byte hex. */
function proveResponse(prepared: PreparedProof, result: PoolResult): ProveResponse {
  return {
    tier: prepared.tier,
    proof: result.proof,
    publicInputs: result.publicInputs,
    issHash: prepared.issHash,
    identityCommitment: prepared.identityCommitment,
    modulusHash: prepared.modulusHash,
    expiry: toHex32(prepared.expiry),
    keyId: prepared.keyId,
  };
}

function shuttingDown(): ProverError {
  return new ProverError('SHUTTING_DOWN', 'the prover is shutting down', { retryAfterSeconds: 1 });
}

function clientClosed(stage: string): ProverError {
  return new ProverError('CLIENT_CLOSED', 'the client went away before its answer', { details: { stage } });
}
