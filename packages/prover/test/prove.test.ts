// Real proofs through the service: dev IdP token → POST /v1 → snarkjs proof in a worker process, checked with
// verifyZkLogin and against @zksso/core's own computations; then a burst beyond capacity (QUEUE_FULL with
// Retry-After, every accepted request still proved) during a graceful shutdown; then the timeout path.
//
// Circuit: by default the real zkLogin circuit at tier 1024 from the shared artifact cache (the circuits
// tests build the same tier; a first run compiles it and makes its DEVELOPMENT KEY, several minutes; then
// about a minute per proof on 2 idle cores). ZKSSO_PROVER_TEST_TIER picks another real tier; the value `stub`
// picks a STAND-IN circuit compiled here (fixtures/zklogin-stub.circom: the same six public inputs, real
// Groth16 proofs, but no token check) for quick local iteration on the service. Everything else (HTTP,
// JWKS, checks, queue, worker processes, snarkjs, self-verification, encoding) is the same code either way.
import { generateKeyPairSync } from 'node:crypto';
import { ensureTierArtifacts, formatProgress, type TierArtifacts, verifyZkLogin } from '@zksso/circuits';
import {
  buildPublicInputs,
  computeIdentityCommitment,
  computeNonce,
  type EphemeralPublicKey,
  ephemeralKeyId,
  hashIssuer,
  modulusFromJwk,
  modulusHash,
  parsePublicInputs,
  type RsaJwk,
  toHex32,
} from '@zksso/core';
import { type DevIdp, startDevIdp } from '@zksso/dev-idp';
import { devLogin } from '@zksso/sdk';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ProverConfig } from '../src/config.ts';
import { createProverService, type ProverService, type ProverServiceOptions } from '../src/server.ts';
import { extendedEphemeralKeyBytes } from '../src/sui-encoding.ts';
import { type LoginSecrets, makeSecrets, postProve, proveBody } from './helpers.ts';
import { ensureStubArtifacts, STUB_PROVE_MODULE, stubTierKeys } from './stub-circuit.ts';

const TIER_CHOICE = process.env.ZKSSO_PROVER_TEST_TIER ?? '1024';
const REAL_TIER = TIER_CHOICE === 'stub' ? undefined : Number(TIER_CHOICE);
const TIER = REAL_TIER ?? 1024;
/** Shorter than any proof here (the deadline also covers the checks before proving). */
const TIMEOUT_MS = REAL_TIER ? 5_000 : 400;
const CIRCUIT = REAL_TIER ? `zkLogin tier ${TIER}` : `zkLogin stand-in circuit labelled tier ${TIER}`;

async function loadArtifacts(): Promise<TierArtifacts> {
  let last = -1;
  const progress = {
    log: (line: string) => console.log(line),
    onProgress: (p: Parameters<typeof formatProgress>[0]) => {
      const step = Math.floor(p.fraction * 10);
      if (step !== last) console.log(formatProgress(p));
      last = step;
    },
  };
  return REAL_TIER ? ensureTierArtifacts(REAL_TIER, progress) : ensureStubArtifacts(TIER, progress);
}

let idp: DevIdp;
let artifacts: TierArtifacts;
let service: ProverService;
let url: string;

function config(overrides: Partial<ProverConfig>): ProverConfig {
  return {
    ...DEFAULT_CONFIG,
    port: 0,
    issuers: [{ issuer: idp.issuer }],
    audiences: [{ audience: 'zksso-dev', issuer: idp.issuer }],
    tiers: [TIER],
    concurrency: 1,
    queueSize: 1,
    // Generous: a queued real proof on a busy shared machine took over 5 minutes.
    timeoutMs: 1_800_000,
    maxExpirySeconds: 86_400,
    shutdownTimeoutMs: 1_800_000,
    ...overrides,
  };
}

/** Real tier: the service's defaults. Stand-in: its keys and a prove module that feeds it. */
function serviceOptions(): ProverServiceOptions {
  const logger = pino({ level: 'warn' });
  if (REAL_TIER) return { logger };
  return {
    logger,
    loadTier: stubTierKeys(artifacts),
    proveModule: STUB_PROVE_MODULE,
  };
}

function p256Secrets(): LoginSecrets {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' }) as { x: string; y: string };
  const coordinate = (b64: string) => BigInt(`0x${Buffer.from(b64, 'base64url').toString('hex')}`);
  const ephemeralPublicKey: EphemeralPublicKey = { type: 'p256', x: coordinate(jwk.x), y: coordinate(jwk.y) };
  const base = makeSecrets();
  return { ...base, ephemeralPublicKey, nonce: computeNonce({ ...base, ephemeralPublicKey }) };
}

async function idpJwk(kid: string | undefined): Promise<RsaJwk> {
  const { keys } = (await (await fetch(idp.jwksUri)).json()) as { keys: RsaJwk[] };
  const jwk = keys.find((k) => k.kid === kid);
  if (!jwk) throw new Error(`kid ${kid} not in the dev IdP JWKS`);
  return jwk;
}

beforeAll(async () => {
  idp = await startDevIdp();
  artifacts = await loadArtifacts();
  service = createProverService(config({}), serviceOptions());
  url = await service.listen();
});

afterAll(async () => {
  await service?.close();
  await idp?.stop();
});

describe(`prover service, real Groth16 proofs (${CIRCUIT}, development key)`, () => {
  it('proves a dev IdP token: the proof verifies and the public inputs are core’s', async () => {
    const secrets = p256Secrets();
    const jwt = await devLogin({ issuerUrl: idp.issuer, user: 'alice', nonce: secrets.nonce });
    const answer = await postProve(url, proveBody(jwt, secrets));
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const body = answer.body as unknown as {
      tier: number;
      proof: `0x${string}`;
      publicInputs: `0x${string}`[];
      issHash: string;
      identityCommitment: string;
      modulusHash: string;
      expiry: string;
      keyId: string;
    };
    expect(body.tier).toBe(TIER);
    expect(body.proof).toMatch(/^0x[0-9a-f]{512}$/);

    // Independently, from @zksso/core and the IdP's published key.
    const kid = JSON.parse(Buffer.from(jwt.split('.')[0] as string, 'base64url').toString()).kid as string;
    const mHash = modulusHash(modulusFromJwk(await idpJwk(kid)));
    const issHash = hashIssuer(idp.issuer);
    const idc = computeIdentityCommitment({
      keyClaimName: 'sub',
      keyClaimValue: '100000000000000000001',
      aud: 'zksso-dev',
      iss: idp.issuer,
      salt: secrets.salt,
    });
    const expected = buildPublicInputs({
      ephemeralPublicKey: secrets.ephemeralPublicKey,
      issHash,
      identityCommitment: idc,
      expiry: secrets.expiry,
      modulusHash: mHash,
    }).map(toHex32);
    expect(body.publicInputs).toEqual(expected);
    expect(body.issHash).toBe(toHex32(issHash));
    expect(body.identityCommitment).toBe(toHex32(idc));
    expect(body.modulusHash).toBe(toHex32(mHash));
    expect(body.keyId).toBe(ephemeralKeyId(secrets.ephemeralPublicKey));
    expect(body.expiry).toBe(toHex32(secrets.expiry));
    expect(body.expiry).toBe(toHex32(parsePublicInputs(body.publicInputs).expiry));

    expect(
      await verifyZkLogin({ vkey: artifacts.vkey, proof: body.proof, publicInputs: body.publicInputs }),
    ).toBe(true);
    const otherIdc = [...body.publicInputs];
    otherIdc[1] = toHex32(idc + 1n);
    expect(await verifyZkLogin({ vkey: artifacts.vkey, proof: body.proof, publicInputs: otherIdc })).toBe(
      false,
    );

    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('zksso_prover_requests_total{code="OK"} 1');
    expect(metrics).toContain(`zksso_prover_proving_duration_seconds_count{tier="${TIER}"} 1`);
  });

  it('under a burst beyond capacity answers 503 QUEUE_FULL + Retry-After, proves every accepted request, and drains on close', async () => {
    const secrets = makeSecrets();
    const jwt = await devLogin({ issuerUrl: idp.issuer, user: 'bob', nonce: secrets.nonce });
    // Sui's base64 forms this time (the happy path above sends decimal and hex): the extended ephemeral key
    // keyType ‖ keyBytes, and the 16 bytes of randomness and salt.
    const bytes16 = (v: bigint) => Buffer.from(v.toString(16).padStart(32, '0'), 'hex').toString('base64');
    const body = {
      ...proveBody(jwt, secrets),
      ephemeralPublicKey: Buffer.from(extendedEphemeralKeyBytes(secrets.ephemeralPublicKey)).toString(
        'base64',
      ),
      jwtRandomness: bytes16(secrets.randomness),
      salt: bytes16(secrets.salt),
    };
    const idc = computeIdentityCommitment({
      keyClaimName: 'sub',
      keyClaimValue: '100000000000000000002',
      aud: 'zksso-dev',
      iss: idp.issuer,
      salt: secrets.salt,
    });
    // Concurrency 1, queue 1: of 4 simultaneous requests, one proves, one waits, two are refused at once.
    const pending = [1, 2, 3, 4].map(() => postProve(url, body));
    const refused: Awaited<(typeof pending)[number]>[] = [];
    for (const p of pending) p.then((a) => refused.push(a));
    const started = Date.now();
    while (refused.length < 2 && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 50));
    expect(refused.map((a) => a.status)).toEqual([503, 503]);
    for (const answer of refused) {
      expect(answer.body.error?.code).toBe('QUEUE_FULL');
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    const health = (await (await fetch(`${url}/health`)).json()) as { queueDepth: number; inFlight: number };
    expect(health).toMatchObject({ queueDepth: 1, inFlight: 1 });

    // SIGTERM path: stop accepting, finish both accepted proofs.
    const closing = service.close();
    const late = await postProve(url, body).catch((error: unknown) => ({ status: 0, error }));
    expect([0, 503]).toContain(late.status);

    const answers = await Promise.all(pending);
    const accepted = answers.filter((a) => a.status === 200);
    expect(accepted).toHaveLength(2);
    for (const answer of accepted) {
      const proof = answer.body as unknown as { proof: `0x${string}`; publicInputs: `0x${string}`[] };
      expect(await verifyZkLogin({ vkey: artifacts.vkey, ...proof })).toBe(true);
      // The base64 salt and key were read as the same numbers core uses.
      expect(parsePublicInputs(proof.publicInputs).identityCommitment).toBe(idc);
      expect(answer.body.keyId).toBe(ephemeralKeyId(secrets.ephemeralPublicKey));
    }
    await closing;
  });

  it('cancels a proof that outlives the request timeout (504 PROVE_TIMEOUT) and recovers the worker', async () => {
    const quick = createProverService(config({ timeoutMs: TIMEOUT_MS }), serviceOptions());
    try {
      const quickUrl = await quick.listen();
      const secrets = makeSecrets();
      const jwt = await devLogin({ issuerUrl: idp.issuer, user: 'alice', nonce: secrets.nonce });
      const answer = await postProve(quickUrl, proveBody(jwt, secrets));
      expect(answer.status).toBe(504);
      expect(answer.body.error?.code).toBe('PROVE_TIMEOUT');
      expect(answer.body.error?.details).toMatchObject({ stage: 'proving' });
      const health = (await (await fetch(`${quickUrl}/health`)).json()) as {
        inFlight: number;
        queueDepth: number;
      };
      expect(health).toMatchObject({ inFlight: 0, queueDepth: 0 });
      const metrics = await (await fetch(`${quickUrl}/metrics`)).text();
      expect(metrics).toContain('zksso_prover_errors_total{code="PROVE_TIMEOUT"} 1');
    } finally {
      await quick.close();
    }
  });
});
