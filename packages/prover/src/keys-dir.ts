// Operator-supplied proving keys (ZKSSO_PROVER_KEYS_DIR): one folder per tier with the witness generator,
// the Groth16 proving key and its labelled verification key, checked at startup so a bad deployment fails
// before it takes traffic, with the path of the file at fault.
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  exportLabelledVerificationKey,
  type KeyType,
  type VerificationKey,
  ZKLOGIN_PUBLIC_INPUTS,
} from '@zksso/circuits';
import { ConfigError } from './config.ts';
import type { TierKeys } from './server.ts';

/**
 * File names inside `<keysDir>/<tier>/`.
 *
 * @example
 * ```ts
 * join('/srv/zksso-keys', '1024', KEYS_DIR_FILES.zkey); // '/srv/zksso-keys/1024/circuit.zkey'
 * ```
 */
export const KEYS_DIR_FILES = Object.freeze({
  /** The circuit's witness generator (circom `--wasm` output, `<name>_js/<name>.wasm`). */
  wasm: 'circuit.wasm',
  /** The Groth16 proving key (snarkjs `.zkey`, e.g. a ceremony's final key after the beacon). */
  zkey: 'circuit.zkey',
  /** The verification key labelled by `ceremonyExport` (`zksso.keyType`). */
  vkey: 'verification_key.json',
});

/** Why a keys folder cannot be used. */
export type KeysDirErrorCode = 'KEYS_FILE_MISSING' | 'KEYS_FILE_INVALID' | 'KEYS_MISMATCH';

/**
 * A tier's file in `ZKSSO_PROVER_KEYS_DIR` is missing, unreadable, corrupt or does not match the others. A
 * {@link ConfigError} (the CLI exits with 2) that names the file.
 *
 * @example
 * ```ts
 * try {
 *   await loadTierFromKeysDir('/srv/zksso-keys', 1024);
 * } catch (error) {
 *   if (error instanceof KeysDirError) console.error(error.code, error.path); // KEYS_FILE_MISSING /srv/zksso-keys/1024/circuit.zkey
 * }
 * ```
 */
export class KeysDirError extends ConfigError {
  readonly code: KeysDirErrorCode;
  /** The file (or folder) at fault. */
  readonly path: string;
  readonly tier: number;

  constructor(code: KeysDirErrorCode, tier: number, path: string, reason: string) {
    super('ZKSSO_PROVER_KEYS_DIR', `tier ${tier}: ${path}: ${reason}`);
    this.name = 'KeysDirError';
    this.code = code;
    this.path = path;
    this.tier = tier;
  }
}

/** A tier's keys from a keys folder, with the key type its verification key is labelled with. */
export interface KeysDirTier extends TierKeys {
  readonly keyType: KeyType;
}

/**
 * The paths of a tier's three files in a keys folder.
 *
 * @example
 * ```ts
 * keysDirPaths('/srv/zksso-keys', 1024).zkeyPath; // '/srv/zksso-keys/1024/circuit.zkey'
 * ```
 */
export function keysDirPaths(keysDir: string, tier: number) {
  const dir = join(keysDir, String(tier));
  return {
    dir,
    wasmPath: join(dir, KEYS_DIR_FILES.wasm),
    zkeyPath: join(dir, KEYS_DIR_FILES.zkey),
    vkeyPath: join(dir, KEYS_DIR_FILES.vkey),
  };
}

/**
 * Loads and checks a tier from `<keysDir>/<tier>/`: each file exists; the wasm is valid WebAssembly; the
 * verification key is a zkSSO Groth16 BN254 key with six public inputs, labelled `zksso.keyType`
 * (`ceremony` from `ceremonyExport`, or `development`) for this tier; the zkey is a complete snarkjs file
 * whose own verification key equals the JSON one (a proving key from another ceremony or circuit is
 * refused). Throws {@link KeysDirError} naming the file at fault.
 *
 * @example
 * ```ts
 * const keys = await loadTierFromKeysDir('/srv/zksso-keys', 1024);
 * keys.keyType; // 'ceremony'
 * ```
 */
export async function loadTierFromKeysDir(keysDir: string, tier: number): Promise<KeysDirTier> {
  const paths = keysDirPaths(keysDir, tier);
  for (const path of [paths.wasmPath, paths.zkeyPath, paths.vkeyPath]) await requireFile(tier, path);

  const vkey = await readVerificationKey(tier, paths.vkeyPath);
  const keyType = vkey.zksso?.keyType as KeyType;
  await checkWasm(tier, paths.wasmPath);
  await checkZkeyLayout(tier, paths.zkeyPath);
  let fromZkey: VerificationKey;
  try {
    fromZkey = await exportLabelledVerificationKey(paths.zkeyPath, { keyType });
  } catch (cause) {
    throw new KeysDirError(
      'KEYS_FILE_INVALID',
      tier,
      paths.zkeyPath,
      `not a readable snarkjs zkey (${(cause as Error)?.message ?? String(cause)})`,
    );
  }
  for (const field of [
    'protocol',
    'curve',
    'nPublic',
    'vk_alpha_1',
    'vk_beta_2',
    'vk_gamma_2',
    'vk_delta_2',
    'IC',
  ]) {
    if (JSON.stringify(fromZkey[field]) !== JSON.stringify(vkey[field])) {
      throw new KeysDirError(
        'KEYS_MISMATCH',
        tier,
        paths.zkeyPath,
        `its verification key differs from ${paths.vkeyPath} (${field}): the zkey and the JSON come from different setups`,
      );
    }
  }
  return { tier, wasmPath: paths.wasmPath, zkeyPath: paths.zkeyPath, vkey, keyType };
}

async function requireFile(tier: number, path: string): Promise<void> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new KeysDirError('KEYS_FILE_INVALID', tier, path, 'not a regular file');
    if (info.size === 0) throw new KeysDirError('KEYS_FILE_INVALID', tier, path, 'empty file');
  } catch (error) {
    if (error instanceof KeysDirError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') throw new KeysDirError('KEYS_FILE_MISSING', tier, path, 'missing');
    throw new KeysDirError('KEYS_FILE_INVALID', tier, path, `cannot be read (${code ?? String(error)})`);
  }
}

async function readVerificationKey(tier: number, path: string): Promise<VerificationKey> {
  let vkey: VerificationKey;
  try {
    vkey = JSON.parse(await readFile(path, 'utf8')) as VerificationKey;
  } catch {
    throw new KeysDirError('KEYS_FILE_INVALID', tier, path, 'not valid JSON');
  }
  const invalid = (reason: string) => new KeysDirError('KEYS_FILE_INVALID', tier, path, reason);
  if (typeof vkey !== 'object' || vkey === null) throw invalid('not a JSON object');
  if (vkey.protocol !== 'groth16' || vkey.curve !== 'bn128') throw invalid('not a Groth16 BN254 key');
  if (vkey.nPublic !== ZKLOGIN_PUBLIC_INPUTS.length || (vkey.IC as unknown[] | undefined)?.length !== 7) {
    throw invalid(
      `expected ${ZKLOGIN_PUBLIC_INPUTS.length} public inputs (zksso/v1 §8), got ${vkey.nPublic}`,
    );
  }
  const label = vkey.zksso;
  if (label?.keyType !== 'ceremony' && label?.keyType !== 'development') {
    throw invalid(
      'no zksso.keyType label: export it with `npm run ceremony -w @zksso/circuits -- export` (ceremonyExport)',
    );
  }
  if (label.tier !== undefined && label.tier !== tier) {
    throw invalid(`labelled for tier ${String(label.tier)}, found in the folder of tier ${tier}`);
  }
  return vkey;
}

async function checkWasm(tier: number, path: string): Promise<void> {
  // Compiling is the prover's job; validating catches truncated or wrong files (a few ms for 12 MB).
  const bytes = await readFile(path);
  if (!WebAssembly.validate(new Uint8Array(bytes))) {
    throw new KeysDirError('KEYS_FILE_INVALID', tier, path, 'not valid WebAssembly (circom --wasm output)');
  }
}

/**
 * snarkjs's binary layout: "zkey", version, section count, then (id u32, size u64, bytes) per section. A
 * copy cut short still parses its header, so check that every section fits in the file.
 */
async function checkZkeyLayout(tier: number, path: string): Promise<void> {
  const invalid = (reason: string) => new KeysDirError('KEYS_FILE_INVALID', tier, path, reason);
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const head = Buffer.alloc(12);
    await file.read(head, 0, 12, 0);
    if (size < 12 || head.toString('latin1', 0, 4) !== 'zkey')
      throw invalid('not a snarkjs zkey (bad magic)');
    const sections = head.readUInt32LE(8);
    let position = 12;
    const sectionHead = Buffer.alloc(12);
    for (let i = 0; i < sections; i++) {
      if (position + 12 > size) throw invalid(`truncated: section ${i + 1} of ${sections} is missing`);
      await file.read(sectionHead, 0, 12, position);
      position += 12 + Number(sectionHead.readBigUInt64LE(4));
      if (position > size)
        throw invalid(`truncated: section ${sectionHead.readUInt32LE(0)} ends past the file`);
    }
  } finally {
    await file.close();
  }
}
