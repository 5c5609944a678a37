import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local HTTP proxy in front of a service that counts the requests one test file sent through it. */
export interface CountingProxy {
  /** Base URL to use in place of the service's. */
  url: string;
  /** Requests forwarded so far whose method and path match `counts`. */
  count(): number;
  close(): Promise<void>;
}

const readBody = async (request: IncomingMessage): Promise<Uint8Array> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
};

/**
 * Forwards every request to `target` and counts those that `counts` selects. Why: on the shared dev stack
 * the prover's own request counter (`/metrics`) also counts other files' logins, so a test that asserts "no
 * proof was asked" counts the requests of its own SDK calls or CLI runs instead.
 *
 * @example
 * ```ts
 * const prover = await startCountingProxy(ready.urls.prover, (method, path) => method === 'POST' && path === '/v1');
 * const network = { ...devStackNetwork(ready), proverUrl: prover.url };
 * ```
 */
export async function startCountingProxy(
  target: string,
  counts: (method: string, path: string) => boolean,
): Promise<CountingProxy> {
  let counted = 0;
  const server = createServer(async (request, response) => {
    try {
      const method = request.method ?? 'GET';
      const path = request.url ?? '/';
      const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(request);
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === 'string' && name !== 'host' && name !== 'content-length')
          headers.set(name, value);
      }
      if (counts(method, path)) counted += 1;
      const answer = await fetch(`${target}${path}`, {
        method,
        headers,
        ...(body ? { body: body as unknown as BodyInit } : {}),
      });
      const payload = Buffer.from(await answer.arrayBuffer());
      const out: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (name !== 'content-encoding' && name !== 'transfer-encoding' && name !== 'content-length')
          out[name] = value;
      });
      response.writeHead(answer.status, out).end(payload);
    } catch (error) {
      response.writeHead(502, { 'content-type': 'text/plain' }).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => counted,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
