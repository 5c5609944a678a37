import { spawn } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import type { TierArtifacts } from '@zksso/circuits';
import type { Hex } from 'viem';
import { foundryBinary } from './binaries.ts';
import { contractsRoot, defaultArtifactsDir } from './deploy/artifacts.ts';
import { ProcessFailedError } from './errors.ts';
import { logTail } from './processes.ts';

/** Artifacts the deployment cannot do without. */
const REQUIRED_ARTIFACTS = ['JwkRegistry', 'ZkLoginValidator', 'ZkSsoAccount', 'ZkSsoAccountFactory'];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.sol')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Why the contract artifacts need a `forge build`: one is missing, or a Solidity source is newer than forge's
 * last build (its `cache/solidity-files-cache.json`); undefined when they are current.
 *
 * @example
 * ```ts
 * if (contractsBuildReason()) await buildContracts('forge.log');
 * ```
 */
export function contractsBuildReason(artifactsDir: string = defaultArtifactsDir): string | undefined {
  for (const name of REQUIRED_ARTIFACTS) {
    if (!existsSync(join(artifactsDir, `${name}.sol`, `${name}.json`))) return `${name} is not built yet`;
  }
  const forgeCache = join(contractsRoot, 'cache', 'solidity-files-cache.json');
  if (!existsSync(forgeCache)) return 'no forge build cache';
  return newestMtime(join(contractsRoot, 'src')) > statSync(forgeCache).mtimeMs
    ? 'Solidity sources changed since the last build'
    : undefined;
}

/**
 * Runs `forge build` in @zksso/contracts (offline, solc-js through its shim), output to `logFile`.
 *
 * @example
 * ```ts
 * await buildContracts('/tmp/forge.log');
 * ```
 */
export function buildContracts(logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const log = createWriteStream(logFile, { flags: 'a' });
    const child = spawn(foundryBinary('forge'), ['build'], {
      cwd: contractsRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.once('error', reject);
    child.once('exit', (code) => {
      log.end(() => {
        if (code === 0) resolve();
        else
          reject(new ProcessFailedError('forge build', `failed (exit ${code})`, logFile, logTail(logFile)));
      });
    });
  });
}

/**
 * Compiles a tier's DEVELOPMENT-key Groth16 verifier (snarkjs's Solidity export, from the circuit cache) with
 * solc-js and returns its creation bytecode; the result is cached in `cacheDir` by the artifact folder's name
 * (which already hashes the circuit and key).
 *
 * @example
 * ```ts
 * const bytecode = await compileVerifier(await ensureTierArtifacts(576), stateDir + '/verifiers');
 * ```
 */
export async function compileVerifier(artifacts: TierArtifacts, cacheDir: string): Promise<Hex> {
  const cacheFile = join(cacheDir, `${basename(artifacts.dir)}.json`);
  if (existsSync(cacheFile))
    return (JSON.parse(readFileSync(cacheFile, 'utf8')) as { bytecode: Hex }).bytecode;
  // Loaded lazily, like the rest of the circuit tooling: `--no-prover` never needs it.
  const { compileVerifierContract } = await import('@zksso/circuits');
  const bytecode: Hex = await compileVerifierContract(artifacts);
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(cacheFile, `${JSON.stringify({ tier: artifacts.tier, bytecode })}\n`);
  return bytecode;
}

/**
 * Builds the contract artifacts when `mode` asks for it (`auto`: only when {@link contractsBuildReason} finds
 * a reason), one build at a time across processes (a lock in forge's cache folder), re-checking after the
 * wait so that parallel starts build once.
 *
 * @example
 * ```ts
 * await ensureContractsBuilt('auto', '/tmp/forge.log', console.log);
 * ```
 */
export async function ensureContractsBuilt(
  mode: 'auto' | 'always' | 'never',
  logFile: string,
  status: (line: string) => void,
): Promise<void> {
  if (mode === 'never' || (mode === 'auto' && !contractsBuildReason())) return;
  const { withFileLock } = await import('@zksso/circuits');
  mkdirSync(join(contractsRoot, 'cache'), { recursive: true });
  await withFileLock(
    join(contractsRoot, 'cache', 'zksso-devstack-forge.lock'),
    async () => {
      const reason = mode === 'always' ? 'requested' : contractsBuildReason();
      if (!reason) return;
      status(`building contracts with forge (${reason}; a minute or two) — log ${logFile}`);
      await buildContracts(logFile);
    },
    { staleMs: 600_000, onWait: () => status('waiting for another forge build of the contracts') },
  );
}
