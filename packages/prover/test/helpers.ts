// Test helpers: a tiny OpenID issuer (discovery + JWKS on loopback, keys made with node:crypto) that signs
// any header and payload, so tests can make the malformed tokens a real provider never issues.
import { createSign, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { computeNonce, type EphemeralPublicKey, type RsaJwk } from '@zksso/core';
import type { ProveRequestBody } from '../src/request.ts';

export interface TestKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly jwk: RsaJwk;
}

/** A fresh RSA key (2048-bit unless told otherwise) with its public JWK. */
export function makeKey(kid = `k-${randomBytes(4).toString('hex')}`, bits = 2048): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicExponent: 65537,
  });
  const exported = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  return {
    kid,
    privateKey,
    jwk: { kty: 'RSA', n: exported.n, e: exported.e, kid, alg: 'RS256', use: 'sig' },
  };
}

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Signs `header.payload` (objects, or raw JSON text to control the bytes) with RS256. */
export function signJwt(
  key: TestKey,
  payload: Record<string, unknown> | string,
  header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT', kid: key.kid },
): string {
  const signingInput = `${b64(header)}.${b64(payload)}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(key.privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}

export interface TestIssuer {
  readonly issuer: string;
  readonly jwksUri: string;
  /** Keys published in the JWKS (mutable: tests rotate by replacing it). */
  keys: TestKey[];
  /** How many times the JWKS was served. */
  readonly jwksHits: () => number;
  /** When set, the JWKS answers this status instead. */
  failWith: number | undefined;
  stop(): Promise<void>;
}

/** Starts a loopback issuer serving `/.well-known/openid-configuration` and `/jwks`. */
export async function startTestIssuer(keys: TestKey[] = [makeKey()]): Promise<TestIssuer> {
  let hits = 0;
  const state: { keys: TestKey[]; failWith: number | undefined } = { keys, failWith: undefined };
  let issuer = '';
  const server: Server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') {
      res.end(
        JSON.stringify({
          issuer,
          jwks_uri: `${issuer}/jwks`,
          id_token_signing_alg_values_supported: ['RS256'],
        }),
      );
    } else if (req.url === '/jwks') {
      hits += 1;
      if (state.failWith) {
        res.statusCode = state.failWith;
        res.end('{}');
      } else res.end(JSON.stringify({ keys: state.keys.map((k) => k.jwk) }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    get keys() {
      return state.keys;
    },
    set keys(value: TestKey[]) {
      state.keys = value;
    },
    get failWith() {
      return state.failWith;
    },
    set failWith(value: number | undefined) {
      state.failWith = value;
    },
    jwksHits: () => hits,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A login's client-side secrets: ephemeral key, expiry, randomness, salt, and the nonce they give. */
export interface LoginSecrets {
  readonly ephemeralPublicKey: EphemeralPublicKey;
  readonly expiry: bigint;
  readonly randomness: bigint;
  readonly salt: bigint;
  readonly nonce: string;
}

/** Fresh login secrets: a random secp256k1-style address, expiry an hour from now. */
export function makeSecrets(expiry = BigInt(Math.floor(Date.now() / 1000) + 3600)): LoginSecrets {
  const ephemeralPublicKey: EphemeralPublicKey = {
    type: 'secp256k1',
    address: `0x${randomBytes(20).toString('hex')}`,
  };
  const randomness = BigInt(`0x${randomBytes(16).toString('hex')}`);
  const salt = BigInt(`0x${randomBytes(16).toString('hex')}`);
  return {
    ephemeralPublicKey,
    expiry,
    randomness,
    salt,
    nonce: computeNonce({ ephemeralPublicKey, expiry, randomness }),
  };
}

/** The `POST /v1` body for a token and its secrets (randomness in decimal, salt in hex: both accepted). */
export function proveBody(
  jwt: string,
  secrets: LoginSecrets,
  extra: Record<string, unknown> = {},
): ProveRequestBody {
  const key = secrets.ephemeralPublicKey;
  return {
    jwt,
    ephemeralPublicKey:
      key.type === 'secp256k1'
        ? { type: 'secp256k1', address: key.address }
        : { type: 'p256', x: key.x.toString(), y: key.y.toString() },
    expiry: secrets.expiry.toString(),
    jwtRandomness: secrets.randomness.toString(10),
    salt: `0x${secrets.salt.toString(16)}`,
    ...extra,
  };
}

/** A Google-shaped payload for `issuer` whose nonce commits to `secrets`. */
export function payloadFor(issuer: string, secrets: LoginSecrets, extra: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: issuer,
    aud: 'test-client.apps.example.com',
    sub: '110169484474386276334',
    email: 'user@example.com',
    email_verified: true,
    nonce: secrets.nonce,
    iat: now,
    exp: now + 3600,
    ...extra,
  };
}

/** An HTTP answer: status, headers and parsed JSON body. */
export interface HttpResult {
  status: number;
  headers: { get(name: string): string | null };
  body: Record<string, unknown> & {
    error?: { code: string; message: string; details?: Record<string, unknown> };
  };
}

/**
 * POSTs JSON to `${url}/v1` (node:http, not fetch: fetch gives up on answers slower than 300 s, and a
 * queued real proof on a busy machine can take longer). `contentType` overrides the content type; `headers`
 * are sent too.
 */
export function postProve(
  url: string,
  body: unknown,
  options: { contentType?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/v1`,
      {
        method: 'POST',
        headers: {
          ...options.headers,
          'content-type': options.contentType ?? 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: HttpResult['body'];
          try {
            json = JSON.parse(text);
          } catch {
            json = { raw: text };
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: {
              get: (name) => {
                const value = res.headers[name.toLowerCase()];
                return value === undefined ? null : String(value);
              },
            },
            body: json,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
