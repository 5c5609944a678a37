import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { HttpTransport } from '../http.ts';

/**
 * An {@link HttpTransport} on `node:http` / `node:https` instead of fetch: Node's fetch gives up on answers
 * slower than 300 s (undici's `headersTimeout`), and a proof queued behind others on a busy prover can take
 * longer. This one waits for `timeoutMs` (default 900 s in the SDK). Node only: pass it as `httpTransport` of
 * `createZkLoginAccount` from a CLI or a server.
 *
 * @example
 * ```ts
 * import { nodeHttpTransport } from '@zksso/sdk/node';
 * const { account } = await createZkLoginAccount({ network, source, httpTransport: nodeHttpTransport });
 * ```
 */
export const nodeHttpTransport: HttpTransport = ({ url, body, timeoutMs }) => {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${target.origin} in time`)));
    req.on('error', reject);
    req.end(body);
  });
};
