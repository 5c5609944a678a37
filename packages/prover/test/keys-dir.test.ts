// ZKSSO_PROVER_KEYS_DIR: the service loads operator-supplied keys (<dir>/<tier>/circuit.wasm, circuit.zkey,
// verification_key.json) instead of building development keys, reports their key type per tier on
// /health, proves with them, and refuses to start on a missing, corrupt or mismatched file.
//
// Always the stand-in circuit (test/fixtures/zklogin-stub.circom, labelled tier 1024), whatever
// ZKSSO_PROVER_TEST_TIER says: what is tested is the loading, not the circuit. Its "ceremony" key is one real
// snarkjs phase-2 contribution exported with ceremonyExport on top of the stand-in's development key: the
// files and labels of a ceremony, not its security.
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ceremonyContribute,
  ceremonyExport,
  type TierArtifacts,
  type VerificationKey,
  verifyZkLogin,
} from '@zksso/circuits';
import { type DevIdp, startDevIdp } from '@zksso/dev-idp';
import { devLogin } from '@zksso/sdk';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG, loadConfig, type ProverConfig } from '../src/config.ts';
import { KEYS_DIR_FILES, KeysDirError, keysDirPaths, loadTierFromKeysDir } from '../src/keys-dir.ts';
import { createProverService } from '../src/server.ts';
import { makeSecrets, postProve, proveBody } from './helpers.ts';
import { ensureStubArtifacts, STUB_PROVE_MODULE } from './stub-circuit.ts';

const TIER = 1024;

let idp: DevIdp;
let stub: TierArtifacts;
let work: string;

beforeAll(async () => {
  idp = await startDevIdp();
  stub = await ensureStubArtifacts(TIER, { log: (line) => console.log(line) });
  work = await mkdtemp(join(tmpdir(), 'zksso-prover-keys-'));
});

afterAll(async () => {
  await idp?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/** A keys folder holding `files` for TIER in the documented layout. */
async function keysDirWith(
  name: string,
  files: { wasm: string; zkey: string; vkey: string },
): Promise<string> {
  const dir = join(work, name);
  const paths = keysDirPaths(dir, TIER);
  await mkdir(paths.dir, { recursive: true });
  await copyFile(files.wasm, paths.wasmPath);
  await copyFile(files.zkey, paths.zkeyPath);
  await copyFile(files.vkey, paths.vkeyPath);
  return dir;
}

const devFiles = () => ({ wasm: stub.wasmPath, zkey: stub.zkeyPath, vkey: stub.vkeyPath });

/** The service's configuration from the environment, as the CLI builds it, plus test-sized limits. */
async function configFor(keysDir: string): Promise<ProverConfig> {
  const cacheDir = await mkdtemp(join(work, 'empty-cache-'));
  return {
    ...loadConfig({
      PORT: '0',
      ZKSSO_PROVER_ISSUERS: idp.issuer,
      ZKSSO_PROVER_AUDIENCES: 'zksso-dev',
      ZKSSO_PROVER_TIERS: String(TIER),
      ZKSSO_PROVER_KEYS_DIR: keysDir,
      ZKSSO_CACHE_DIR: cacheDir,
      CONCURRENCY: '1',
      QUEUE_SIZE: '1',
      MAX_EXPIRY_SECONDS: '86400',
      LOG_LEVEL: 'warn',
    }),
    timeoutMs: 1_800_000,
  };
}

/** Starts the service on `keysDir` (default tier loading, stand-in prove module), proves one token. */
async function serveAndProve(keysDir: string) {
  const config = await configFor(keysDir);
  expect(config.keysDir).toBe(keysDir);
  const service = createProverService(config, {
    logger: pino({ level: 'warn' }),
    proveModule: STUB_PROVE_MODULE,
  });
  try {
    const url = await service.listen();
    const health = (await (await fetch(`${url}/health`)).json()) as Record<string, unknown>;
    const secrets = makeSecrets();
    const jwt = await devLogin({ issuerUrl: idp.issuer, user: 'alice', nonce: secrets.nonce });
    const answer = await postProve(url, proveBody(jwt, secrets));
    // Loaded from the keys folder, not built: the (empty) artifact cache stays empty.
    const cacheEntries = await readdir(config.cacheDir);
    return { health, answer, cacheEntries };
  } finally {
    await service.close();
  }
}

const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8')) as VerificationKey;

describe('ZKSSO_PROVER_KEYS_DIR with a development tier copied in', () => {
  it('loads the tier from the folder, reports keyType development on /health, and proves with it', async () => {
    const keysDir = await keysDirWith('dev-keys', devFiles());
    const { health, answer, cacheEntries } = await serveAndProve(keysDir);
    expect(health).toMatchObject({
      status: 'ok',
      tiers: [TIER],
      keyType: 'development',
      keyTypes: { [String(TIER)]: 'development' },
      keySource: 'keys-dir',
    });
    expect(cacheEntries).toEqual([]);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const proof = answer.body as unknown as { proof: `0x${string}`; publicInputs: `0x${string}`[] };
    const vkey = await readJson(keysDirPaths(keysDir, TIER).vkeyPath);
    expect(await verifyZkLogin({ vkey, ...proof })).toBe(true);
  });
});

describe('ZKSSO_PROVER_KEYS_DIR with keys from the ceremony export', () => {
  let ceremonyZkey: string;
  let ceremonyVkey: string;

  beforeAll(async () => {
    // One phase-2 contribution, then the operator's export step (verification key labelled "ceremony").
    ceremonyZkey = join(work, 'ceremony', 'final.zkey');
    await ceremonyContribute({ inZkey: stub.zkeyPath, outZkey: ceremonyZkey, name: 'keys-dir test' });
    ({ vkeyPath: ceremonyVkey } = await ceremonyExport({
      zkeyPath: ceremonyZkey,
      tier: TIER,
      outDir: join(work, 'ceremony', 'out'),
    }));
  });

  it('reports keyType ceremony for the tier and proves under the ceremony key, not the development one', async () => {
    const keysDir = await keysDirWith('ceremony-keys', {
      wasm: stub.wasmPath,
      zkey: ceremonyZkey,
      vkey: ceremonyVkey,
    });
    const { health, answer } = await serveAndProve(keysDir);
    expect(health).toMatchObject({
      status: 'ok',
      keyType: 'ceremony',
      keyTypes: { [String(TIER)]: 'ceremony' },
      keySource: 'keys-dir',
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const proof = answer.body as unknown as { proof: `0x${string}`; publicInputs: `0x${string}`[] };
    expect(await verifyZkLogin({ vkey: await readJson(ceremonyVkey), ...proof })).toBe(true);
    expect(await verifyZkLogin({ vkey: stub.vkey, ...proof })).toBe(false);
  });

  it('refuses a proving key that does not match the verification key (KEYS_MISMATCH)', async () => {
    const keysDir = await keysDirWith('mismatch', {
      wasm: stub.wasmPath,
      zkey: ceremonyZkey,
      vkey: stub.vkeyPath,
    });
    const error = await loadTierFromKeysDir(keysDir, TIER).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeysDirError);
    expect(error).toMatchObject({
      code: 'KEYS_MISMATCH',
      path: keysDirPaths(keysDir, TIER).zkeyPath,
      tier: TIER,
    });
  });
});

describe('each proof is verified before it is returned', () => {
  it('answers 500 PROVE_FAILED (cause PROOF_SELF_CHECK_FAILED) and no proof when the proof fails its tier key', async () => {
    // A tier whose verification key is not its proving key's (what KEYS_MISMATCH stops at start for a keys
    // folder; here given through loadTier, which skips that check): the worker's self-check must catch it.
    const ceremonyZkey = join(work, 'self-check', 'final.zkey');
    await ceremonyContribute({ inZkey: stub.zkeyPath, outZkey: ceremonyZkey, name: 'self-check test' });
    const service = createProverService(
      { ...(await configFor(await keysDirWith('self-check', devFiles()))), keysDir: undefined },
      {
        logger: pino({ level: 'silent' }),
        proveModule: STUB_PROVE_MODULE,
        loadTier: async (tier) => ({
          tier,
          wasmPath: stub.wasmPath,
          zkeyPath: ceremonyZkey,
          vkey: stub.vkey,
        }),
      },
    );
    try {
      const url = await service.listen();
      const secrets = makeSecrets();
      const jwt = await devLogin({ issuerUrl: idp.issuer, user: 'alice', nonce: secrets.nonce });
      const answer = await postProve(url, proveBody(jwt, secrets));
      expect(answer.status, JSON.stringify(answer.body)).toBe(500);
      expect(answer.body.error).toMatchObject({
        code: 'PROVE_FAILED',
        details: { cause: 'PROOF_SELF_CHECK_FAILED' },
      });
      expect(answer.body).not.toHaveProperty('proof');
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toContain('zksso_prover_errors_total{code="PROVE_FAILED"} 1');
    } finally {
      await service.close();
    }
  });
});

describe('ZKSSO_PROVER_KEYS_DIR startup errors', () => {
  it('refuses to start when a file is missing: a ConfigError naming the file, and nothing left running', async () => {
    const keysDir = await keysDirWith('missing', devFiles());
    const missing = keysDirPaths(keysDir, TIER).zkeyPath;
    await rm(missing);
    const service = createProverService(await configFor(keysDir), {
      logger: pino({ level: 'silent' }),
      proveModule: STUB_PROVE_MODULE,
    });
    const error = await service.listen().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'KEYS_FILE_MISSING', path: missing, tier: TIER });
    expect((error as Error).message).toContain(missing);
    expect((error as Error).message).toContain('ZKSSO_PROVER_KEYS_DIR');
    // The HTTP listener was closed again.
    await expect(fetch(`${service.url}/ping`)).rejects.toThrow();
  });

  it('names the corrupt file: truncated zkey, invalid wasm, unlabelled or wrong-tier verification key', async () => {
    const cases: {
      name: string;
      file: keyof typeof KEYS_DIR_FILES;
      spoil: (path: string) => Promise<void>;
    }[] = [
      {
        name: 'truncated-zkey',
        file: 'zkey',
        spoil: async (path) => truncate(path, Math.floor((await stat(path)).size / 2)),
      },
      { name: 'bad-wasm', file: 'wasm', spoil: (path) => writeFile(path, 'not wasm at all') },
      {
        name: 'unlabelled',
        file: 'vkey',
        spoil: async (path) => {
          const { zksso: _label, ...plain } = await readJson(path);
          await writeFile(path, JSON.stringify(plain));
        },
      },
      {
        name: 'other-tier',
        file: 'vkey',
        spoil: async (path) => {
          const vkey = await readJson(path);
          await writeFile(path, JSON.stringify({ ...vkey, zksso: { ...vkey.zksso, tier: 576 } }));
        },
      },
      { name: 'not-json', file: 'vkey', spoil: (path) => writeFile(path, '{"protocol": "groth16", ') },
    ];
    for (const { name, file, spoil } of cases) {
      const keysDir = await keysDirWith(name, devFiles());
      const path = join(keysDir, String(TIER), KEYS_DIR_FILES[file]);
      await spoil(path);
      const error = await loadTierFromKeysDir(keysDir, TIER).catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(KeysDirError);
      expect(error, name).toMatchObject({ code: 'KEYS_FILE_INVALID', path });
    }
    // The unspoilt copy loads.
    const good = await loadTierFromKeysDir(await keysDirWith('good', devFiles()), TIER);
    expect(good.keyType).toBe('development');
  });

  it('refuses a keys folder that does not exist at configuration time', () => {
    expect(() => loadConfig({ ZKSSO_PROVER_KEYS_DIR: join(tmpdir(), 'zksso-no-such-keys-dir') })).toThrow(
      ConfigError,
    );
    expect(loadConfig({}).keysDir).toBeUndefined();
    expect(DEFAULT_CONFIG.keysDir).toBeUndefined();
  });
});
