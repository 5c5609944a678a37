import { ServiceError, type ZkSsoService } from './errors.ts';

/** One JSON POST as a {@link HttpTransport} sends it: the body is already serialised. */
export interface HttpRequest {
  url: string;
  /** The JSON body. */
  body: string;
  /** Give up after this long without a complete answer, ms. */
  timeoutMs: number;
}

/** The answer of a {@link HttpTransport}: any HTTP status (errors included) with the body as text. */
export interface HttpResponse {
  status: number;
  text: string;
}

/**
 * How the SDK POSTs JSON to the salt service and the prover. It resolves with any HTTP answer and rejects only
 * when there is none (unreachable, timed out). The default, {@link fetchTransport}, runs in browsers and Node;
 * `nodeHttpTransport` of `@zksso/sdk/node` suits Node callers whose proofs may queue for longer than Node's
 * fetch waits for headers (300 s).
 *
 * @example
 * ```ts
 * const transport: HttpTransport = async ({ url, body }) => {
 *   const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
 *   return { status: response.status, text: await response.text() };
 * };
 * ```
 */
export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

/** How long a service may take to answer by default, ms (a proof queued behind others on a busy prover). */
export const DEFAULT_HTTP_TIMEOUT_MS = 900_000;

/**
 * The default {@link HttpTransport}: `fetch`, so it works in browsers, workers and Node. Node's fetch stops
 * waiting for headers after 300 s (undici's `headersTimeout`); pass `nodeHttpTransport` from `@zksso/sdk/node`
 * where an answer may take longer.
 *
 * @example
 * ```ts
 * const { status, text } = await fetchTransport({ url: `${saltUrl}/get_salt`, body: '{"token":"…"}', timeoutMs: 30_000 });
 * ```
 */
export const fetchTransport: HttpTransport = async ({ url, body, timeoutMs }) => {
  const origin = new URL(url).origin;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, text: await response.text() };
  } catch (cause) {
    // fetch says only "fetch failed"; the reason (ECONNREFUSED, ...) is its cause.
    const error = cause as (Error & { cause?: { message?: string } }) | undefined;
    const reason = error?.cause?.message
      ? `${error.message} (${error.cause.message})`
      : String(error?.message ?? cause);
    throw new Error(error?.name === 'TimeoutError' ? `no answer from ${origin} in time` : reason, { cause });
  }
};

/** An error answer of a zkSSO service: `{ error: { code, message } }`. */
interface ErrorBody {
  error?: { code?: string; message?: string };
}

/**
 * POSTs `body` as JSON and returns the parsed JSON answer of a 2xx; any other answer becomes a
 * {@link ServiceError} carrying the service's error code (`onError` may turn it into something more precise),
 * and no answer at all a {@link ServiceError} with status 0.
 *
 * @example
 * ```ts
 * const { salt } = await postJson<{ salt: string }>('salt', `${saltUrl}/get_salt`, { token });
 * ```
 */
export async function postJson<T>(
  service: ZkSsoService,
  url: string,
  body: unknown,
  options: {
    timeoutMs?: number;
    /** Default {@link fetchTransport}. */
    transport?: HttpTransport | undefined;
    onError?: (status: number, code: string | undefined, message: string) => Error | undefined;
  } = {},
): Promise<T> {
  const transport = options.transport ?? fetchTransport;
  const target = new URL(url);
  let answer: HttpResponse;
  try {
    answer = await transport({
      url: target.href,
      body: JSON.stringify(body),
      timeoutMs: options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS,
    });
  } catch (cause) {
    const message = (cause as Error | undefined)?.message ?? String(cause);
    throw new ServiceError(service, 0, undefined, `${target.origin} unreachable: ${message}`, { cause });
  }
  const { status, text } = answer;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (status >= 200 && status < 300 && json !== undefined) return json as T;
  const error = (json as ErrorBody | undefined)?.error;
  const message = error?.message ?? `HTTP ${status}`;
  throw (
    options.onError?.(status, error?.code, message) ?? new ServiceError(service, status, error?.code, message)
  );
}
