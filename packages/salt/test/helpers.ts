import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { DevIdp, PrivateJwk } from '@zksso/dev-idp';
import { devLogin } from '@zksso/sdk';
import { importJWK, SignJWT } from 'jose';
import { pino } from 'pino';
import { loadConfig, type SaltConfig } from '../src/index.ts';

/** A quiet logger for tests. */
export const silentLogger = pino({ level: 'silent' });

/** A fresh random 32-byte master seed, hex. */
export const randomSeedHex = () => randomBytes(32).toString('hex');

/** Test configuration: loopback, port 0, generous limits unless a test narrows them. */
export function testConfig(idp: DevIdp, env: Record<string, string> = {}): SaltConfig {
  return loadConfig({
    SALT_PORT: '0',
    SALT_MODE: 'stored',
    SALT_SQLITE_PATH: ':memory:',
    SALT_ISSUERS: idp.issuer,
    SALT_AUDIENCES: 'zksso-dev',
    SALT_RATE_IP_PER_MIN: '100000',
    SALT_RATE_IP_BURST: '10000',
    SALT_RATE_SUBJECT_PER_MIN: '100000',
    SALT_RATE_SUBJECT_BURST: '10000',
    LOG_LEVEL: 'silent',
    ...env,
  });
}

export type SaltAnswer = { status: number; body: Record<string, unknown>; headers: Headers };

/** POSTs a JSON body (or a raw string) to /get_salt. */
export async function postSalt(url: string, body: unknown): Promise<SaltAnswer> {
  const response = await fetch(`${url}/get_salt`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

/** The error code of an answer. */
export const errorCode = (answer: SaltAnswer) => (answer.body.error as { code?: string } | undefined)?.code;

let nonceCounter = 0;
/** Gets a token for `user` from the dev IdP with a fresh nonce. */
export function tokenFor(idp: DevIdp, user: string, clientId = 'zksso-dev'): Promise<string> {
  return devLogin({
    issuerUrl: idp.issuer,
    user,
    nonce: `nonce-${process.pid}-${nonceCounter++}`,
    clientId,
  });
}

/** A TCP port nobody listens on (bound, then released). */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Time claims of {@link signTestToken}, each set on its own (unix seconds). */
export type TestTokenTimes = {
  /** Default: now. */
  iat?: number;
  /** Default: iat + 600. */
  exp?: number;
  /** Default: absent. Independent of `iat`, so a test can put `nbf` alone in the future. */
  nbf?: number;
};

/**
 * Signs an RS256 ID token for `idp` with a private key it publishes (start the IdP with
 * `startDevIdp({ keys: [key] })`), with `iat`, `nbf` and `exp` set independently. `claims` add to or replace
 * the payload (`sub`, `aud`, ...); the default audience is the dev client `zksso-dev`.
 *
 * @example
 * ```ts
 * const now = Math.floor(Date.now() / 1000);
 * const token = await signTestToken(idp, key, { times: { iat: now, nbf: now + 3600 } });
 * ```
 */
export async function signTestToken(
  idp: DevIdp,
  key: PrivateJwk,
  options: { times?: TestTokenTimes; claims?: Record<string, unknown> } = {},
): Promise<string> {
  const iat = options.times?.iat ?? Math.floor(Date.now() / 1000);
  const exp = options.times?.exp ?? iat + 600;
  const nbf = options.times?.nbf;
  const payload = {
    iss: idp.issuer,
    aud: 'zksso-dev',
    sub: '100000000000000000001',
    nonce: `nonce-${process.pid}-${nonceCounter++}`,
    iat,
    exp,
    ...(nbf === undefined ? {} : { nbf }),
    ...options.claims,
  };
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', kid: key.kid })
    .sign(await importJWK(key, 'RS256'));
}
