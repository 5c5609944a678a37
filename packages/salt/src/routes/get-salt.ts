import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GetSaltRequest } from '@zksso/core';
import type { SaltConfig } from '../config.ts';
import { formatSalt } from '../derive.ts';
import { SaltError } from '../errors.ts';
import { clientIp, readJsonObject, sendJson } from '../http.ts';
import type { SaltMetrics } from '../metrics.ts';
import type { TokenBucketLimiter } from '../rate-limit.ts';
import type { SaltSource } from '../salt-source.ts';
import type { TokenVerifier } from '../verify.ts';

/** What `POST /get_salt` works with. */
export interface GetSaltRouteContext {
  readonly config: SaltConfig;
  readonly verify: TokenVerifier;
  readonly saltFor: SaltSource;
  readonly ipLimiter: TokenBucketLimiter;
  readonly subjectLimiter: TokenBucketLimiter;
  readonly metrics: SaltMetrics;
}

/** The request's log fields the route fills in (the issuer and audience, never the token or subject). */
export type RequestLogContext = Record<string, unknown>;

/**
 * `POST /get_salt {token, keyClaimName?}` → `{salt, saltHex}` (`@zksso/core`'s `GetSaltRequest` and
 * `GetSaltResponse`): the per-IP limit before any work, the body, the token (`verify`: signature, issuer,
 * audience, lifetime, and the account claims by core's rules), the per-subject limit, then the salt.
 *
 * @example
 * ```ts
 * const getSalt = createGetSaltRoute({ config, verify, saltFor, ipLimiter, subjectLimiter, metrics });
 * await getSalt(req, res, logContext);
 * ```
 */
export function createGetSaltRoute(context: GetSaltRouteContext) {
  const { config } = context;
  return async function getSalt(req: IncomingMessage, res: ServerResponse, log: RequestLogContext) {
    const ipWait = context.ipLimiter.take(clientIp(req, config.trustProxy));
    if (ipWait > 0) {
      throw new SaltError('RATE_LIMITED', 'too many requests from this address', {
        retryAfterSeconds: ipWait,
      });
    }
    const body = parseGetSaltRequest(await readJsonObject(req, config.maxBodyBytes));
    const verified = await context.verify(body.token, body.keyClaimName);
    log.iss = verified.iss;
    log.aud = verified.aud;
    const subjectWait = context.subjectLimiter.take(`${verified.iss}\n${verified.sub}`);
    if (subjectWait > 0) {
      throw new SaltError('RATE_LIMITED', 'too many requests for this account', {
        retryAfterSeconds: subjectWait,
      });
    }
    const salt = await context.saltFor(verified);
    context.metrics.saltsIssued.inc({ mode: config.mode });
    sendJson(res, 200, formatSalt(salt));
  };
}

/**
 * The body of `POST /get_salt`: `token` a non-empty string, `keyClaimName` a string when given.
 *
 * @throws {SaltError} BAD_REQUEST.
 * @example
 * ```ts
 * parseGetSaltRequest({ token: idToken }); // { token: idToken }
 * ```
 */
export function parseGetSaltRequest(body: Record<string, unknown>): GetSaltRequest {
  if (typeof body.token !== 'string' || body.token.length === 0) {
    throw new SaltError('BAD_REQUEST', 'token must be a non-empty string');
  }
  if (body.keyClaimName !== undefined && typeof body.keyClaimName !== 'string') {
    throw new SaltError('BAD_REQUEST', 'keyClaimName must be a string');
  }
  return {
    token: body.token,
    ...(body.keyClaimName === undefined ? {} : { keyClaimName: body.keyClaimName }),
  };
}
