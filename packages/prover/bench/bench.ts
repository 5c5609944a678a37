// Prover service latency at 1, 2 and 4 concurrent requests, and its overhead over a direct proveZkLogin
// call (same circuit, same inputs path, no HTTP/checks/queue/worker process), with real Groth16 proofs.
// Writes bench/results/prover.json (real tier) or prover-stub.json (stand-in) at the repository root.
// Small counts on purpose.
//   npm run bench -w @zksso/prover                    stand-in circuit (test/fixtures/zklogin-stub.circom)
//   BENCH_TIER=1024 npm run bench -w @zksso/prover    the real zkLogin tier (seconds per proof with the native engine)
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { buildZkLoginInputs, ensureTierArtifacts, proveZkLogin } from '@zksso/circuits';
import { decodeJwt, type RsaJwk } from '@zksso/core';
import { startDevIdp } from '@zksso/dev-idp';
import { devLogin } from '@zksso/sdk';
import { pino } from 'pino';
import { DEFAULT_CONFIG } from '../src/config.ts';
import { createProverService } from '../src/server.ts';
import { makeSecrets, postProve, proveBody } from '../test/helpers.ts';
import { ensureStubArtifacts, STUB_PROVE_MODULE, stubTierKeys } from '../test/stub-circuit.ts';

const REAL_TIER = process.env.BENCH_TIER ? Number(process.env.BENCH_TIER) : undefined;
const TIER = REAL_TIER ?? 1024;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (REAL_TIER ? 1 : 3));
const LEVELS = [1, 2, 4];
const RAW_RUNS = Number(process.env.BENCH_RAW_RUNS ?? (REAL_TIER ? 2 : 3));
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[index] ?? Number.NaN);
}

const log = { log: (line: string) => console.log(line) };
const artifacts = REAL_TIER
  ? await ensureTierArtifacts(REAL_TIER, log)
  : await ensureStubArtifacts(TIER, log);
const stubProve = REAL_TIER
  ? undefined
  : ((await import('../test/stub-prove.ts')) as typeof import('../test/stub-prove.ts'));
const idp = await startDevIdp();
const service = createProverService(
  {
    ...DEFAULT_CONFIG,
    port: 0,
    issuers: [{ issuer: idp.issuer }],
    audiences: [{ audience: 'zksso-dev', issuer: idp.issuer }],
    // The bench proves many times for one user from one address: no rate limits here.
    ratePerSubject: 0,
    ratePerAddress: 0,
    tiers: [TIER],
    concurrency: 1,
    queueSize: 8,
    timeoutMs: 1_800_000,
    maxExpirySeconds: 86_400,
  },
  REAL_TIER
    ? { logger: pino({ level: 'warn' }) }
    : { logger: pino({ level: 'warn' }), loadTier: stubTierKeys(artifacts), proveModule: STUB_PROVE_MODULE },
);
const url = await service.listen();

async function request() {
  const secrets = makeSecrets();
  const jwt = await devLogin({ issuerUrl: idp.issuer, user: 'alice', nonce: secrets.nonce });
  return { jwt, secrets, body: proveBody(jwt, secrets) };
}

try {
  // Raw: the same work without the service (main thread, inputs built beforehand).
  const raw: number[] = [];
  for (let i = 0; i < RAW_RUNS; i++) {
    const { jwt, secrets } = await request();
    const { keys } = (await (await fetch(idp.jwksUri)).json()) as { keys: RsaJwk[] };
    const jwk = keys.find((k) => k.kid === decodeJwt(jwt).header.kid) as RsaJwk;
    const built = buildZkLoginInputs({ jwt, ...secrets, jwk, tier: TIER });
    const started = performance.now();
    const job = { tier: TIER, artifacts, input: built.inputs, vkey: artifacts.vkey };
    await (stubProve ? stubProve.prove(job) : proveZkLogin(job));
    raw.push(performance.now() - started);
    console.log(`raw proveZkLogin (self-verifying): ${Math.round(raw.at(-1) ?? 0)} ms`);
  }

  const levels: Record<string, { requests: number; p50Ms: number; p95Ms: number; latenciesMs: number[] }> =
    {};
  for (const level of LEVELS) {
    const latencies: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const bodies = await Promise.all(Array.from({ length: level }, () => request()));
      const answers = await Promise.all(
        bodies.map(async ({ body }) => {
          const started = performance.now();
          const answer = await postProve(url, body);
          if (answer.status !== 200)
            throw new Error(`status ${answer.status}: ${JSON.stringify(answer.body)}`);
          return performance.now() - started;
        }),
      );
      latencies.push(...answers);
    }
    levels[String(level)] = {
      requests: latencies.length,
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      latenciesMs: latencies.map(Math.round),
    };
    console.log(
      `concurrency ${level}: p50 ${levels[String(level)]?.p50Ms} ms, p95 ${levels[String(level)]?.p95Ms} ms`,
    );
  }

  const rawP50 = percentile(raw, 50);
  const serviceP50 = levels['1']?.p50Ms ?? Number.NaN;
  const result = {
    bench: 'prover',
    date: new Date().toISOString(),
    machine: {
      cpus: availableParallelism(),
      model: cpus()[0]?.model,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      // Other work on the machine when the bench ended (1, 5, 15 min): figures are only as steady as this.
      loadAverage: loadavg().map((l) => Math.round(l * 10) / 10),
    },
    circuit: REAL_TIER
      ? `zkLogin tier ${REAL_TIER}`
      : 'STAND-IN circuit (packages/prover/test/fixtures/zklogin-stub.circom: the six zkLogin public inputs, no token check), labelled tier 1024',
    note:
      `${process.env.ZKSSO_PROVER_ENGINE?.trim() || 'native'} engine (ZKSSO_PROVER_ENGINE), DEVELOPMENT key, service concurrency 1 (one worker process; the engine uses every core). ` +
      'Latency is end to end over loopback HTTP; concurrent requests queue behind one another. ' +
      'Shared machine: see machine.loadAverage; under load the spread is far above ±20 %.',
    tier: TIER,
    constraints: artifacts.constraints,
    serviceConcurrency: 1,
    rawProveZkLogin: { runs: raw.length, p50Ms: rawP50, latenciesMs: raw.map(Math.round) },
    concurrentRequests: levels,
    serviceOverheadMs: Math.round(serviceP50 - rawP50),
    serviceOverheadPercent: Math.round(((serviceP50 - rawP50) / rawP50) * 1000) / 10,
  };
  // The real circuit's figures are the reference; the stand-in's go beside them.
  const out = join(root, 'bench', 'results', REAL_TIER ? 'prover.json' : 'prover-stub.json');
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${out}`);
} finally {
  await service.close();
  await idp.stop();
}
// snarkjs keeps its curve's worker threads alive in this (main) thread after the raw runs.
process.exit(0);
