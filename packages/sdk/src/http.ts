import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ServiceError, type ZkSsoService } from './errors.ts';

// JSON over HTTP with node:http rather than fetch: Node's fetch gives up on answers slower than 300 s
// (undici's headersTimeout), and a proof queued behind others on a busy prover can take longer.

/** An error answer of a zkSSO service: `{ error: { code, message } }`. */
interface ErrorBody {
  error?: { code?: string; message?: string };
}

/**
 * POSTs `body` as JSON and returns the parsed JSON answer of a 2xx; any other answer becomes a
 * {@link ServiceError} carrying the service's error code (`onError` may turn it into something more precise).
 *
 * @example
 * ```ts
 * const { salt } = await postJson<{ salt: string }>('salt', `${saltUrl}/get_salt`, { token });
 * ```
 */
export function postJson<T>(
  service: ZkSsoService,
  url: string,
  body: unknown,
  options: {
    timeoutMs?: number;
    onError?: (status: number, code: string | undefined, message: string) => Error | undefined;
  } = {},
): Promise<T> {
  const payload = JSON.stringify(body);
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<T>((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        timeout: options.timeoutMs ?? 900_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (cause) => reject(new ServiceError(service, 0, undefined, cause.message, { cause })));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          if (status >= 200 && status < 300 && json !== undefined) return resolve(json as T);
          const error = (json as ErrorBody | undefined)?.error;
          const message = error?.message ?? `HTTP ${status}`;
          reject(
            options.onError?.(status, error?.code, message) ??
              new ServiceError(service, status, error?.code, message),
          );
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${target.origin} in time`)));
    req.on('error', (cause) =>
      reject(
        new ServiceError(service, 0, undefined, `${target.origin} unreachable: ${cause.message}`, { cause }),
      ),
    );
    req.end(payload);
  });
}
