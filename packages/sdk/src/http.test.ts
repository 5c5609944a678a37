import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginRefusedError, ServiceError } from './errors.ts';
import { fetchTransport, type HttpTransport, postJson } from './http.ts';
import { nodeHttpTransport } from './node/http.ts';

// A service that echoes the JSON it gets, answers a zkSSO error body on /refuse, non-JSON on /text, and never
// answers on /slow.
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      if (req.url === '/slow') return;
      if (req.url === '/refuse') {
        res.writeHead(400, { 'content-type': 'application/json' });
        return res.end(
          JSON.stringify({ error: { code: 'AUDIENCE_NOT_ALLOWED', message: 'not this client' } }),
        );
      }
      if (req.url === '/text') {
        res.writeHead(502);
        return res.end('bad gateway');
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ method: req.method, type: req.headers['content-type'], got: JSON.parse(body) }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

/** A call that was expected to fail resolved: make the test fail. */
const failed = (): never => {
  throw new Error('expected a failure');
};

describe.each([
  ['fetchTransport (default)', fetchTransport],
  ['nodeHttpTransport (@zksso/sdk/node)', nodeHttpTransport],
] as [string, HttpTransport][])('postJson over %s', (_name, transport) => {
  it('POSTs JSON and returns the parsed 2xx answer', async () => {
    const answer = await postJson('salt', `${base}/echo`, { token: 't', n: [1, 2] }, { transport });
    expect(answer).toEqual({ method: 'POST', type: 'application/json', got: { token: 't', n: [1, 2] } });
  });

  it("turns an error answer into a ServiceError with the service's code, or onError's error", async () => {
    const error = await postJson('salt', `${base}/refuse`, {}, { transport }).then(
      failed,
      (e: ServiceError) => e,
    );
    expect(error).toBeInstanceOf(ServiceError);
    expect(error.details).toEqual({ service: 'salt', status: 400, code: 'AUDIENCE_NOT_ALLOWED' });
    expect(error.message).toBe('salt: not this client');
    const refused = await postJson(
      'salt',
      `${base}/refuse`,
      {},
      {
        transport,
        onError: (status, code, message) => new LoginRefusedError('salt', status, code, message),
      },
    ).then(failed, (e: ServiceError) => e);
    expect(refused).toBeInstanceOf(LoginRefusedError);
  });

  it('reports a non-JSON answer by its status', async () => {
    const error = await postJson('prover', `${base}/text`, {}, { transport }).then(
      failed,
      (e: ServiceError) => e,
    );
    expect(error).toBeInstanceOf(ServiceError);
    expect(error.details).toEqual({ service: 'prover', status: 502 });
    expect(error.message).toBe('prover: HTTP 502');
  });

  it('reports an unreachable service as status 0, naming its origin', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await postJson('prover', `http://127.0.0.1:${port}/v1`, {}, { transport }).then(
      failed,
      (e: ServiceError) => e,
    );
    expect(error).toBeInstanceOf(ServiceError);
    expect(error.details.status).toBe(0);
    expect(error.message).toMatch(
      new RegExp(`^prover: http://127\\.0\\.0\\.1:${port} unreachable: .*ECONNREFUSED`),
    );
  });

  it('gives up after timeoutMs without an answer', async () => {
    const error = await postJson('prover', `${base}/slow`, {}, { transport, timeoutMs: 200 }).then(
      failed,
      (e: ServiceError) => e,
    );
    expect(error).toBeInstanceOf(ServiceError);
    expect(error.details.status).toBe(0);
    expect(error.message).toBe(`prover: ${base} unreachable: no answer from ${base} in time`);
  });
});
