import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ZkSsoError } from '@zksso/core';
import type { Abi, Hex } from 'viem';

const require = createRequire(import.meta.url);

/** Root of the @zksso/contracts package (its Solidity sources and forge output). @example `spawnSync('forge', ['build'], { cwd: contractsRoot })` */
export const contractsRoot: string = dirname(require.resolve('@zksso/contracts/package.json'));

/** Where `npm run build -w @zksso/contracts` (`forge build`) writes artifacts. @example `loadArtifact('ZkSsoAccount', { artifactsDir: defaultArtifactsDir })` */
export const defaultArtifactsDir: string = join(contractsRoot, 'out');

/** ABI and creation bytecode of a compiled contract. */
export interface ContractArtifact {
  contractName: string;
  abi: Abi;
  bytecode: Hex;
}

/**
 * The artifact is missing: run `npm run build -w @zksso/contracts` first.
 *
 * @example
 * ```ts
 * try { loadArtifact('Nope'); } catch (e) { if (e instanceof ArtifactNotFoundError) console.log(e.details); }
 * ```
 */
export class ArtifactNotFoundError extends ZkSsoError {
  constructor(contractName: string, path: string) {
    super(
      'ARTIFACT_NOT_FOUND',
      `Artifact of ${contractName} not found at ${path}: run \`npm run build -w @zksso/contracts\``,
      { details: { contractName, path } },
    );
  }
}

/**
 * Reads a forge artifact (`out/<File>.sol/<Contract>.json`).
 *
 * @example
 * ```ts
 * const { abi, bytecode } = loadArtifact('ZkSsoAccount');
 * ```
 */
export function loadArtifact(
  contractName: string,
  options: { artifactsDir?: string; fileName?: string } = {},
): ContractArtifact {
  const path = join(
    options.artifactsDir ?? defaultArtifactsDir,
    `${options.fileName ?? contractName}.sol`,
    `${contractName}.json`,
  );
  let json: { abi: Abi; bytecode: { object: Hex } };
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new ArtifactNotFoundError(contractName, path);
  }
  return { contractName, abi: json.abi, bytecode: json.bytecode.object };
}

/**
 * Reads an artifact shipped by `@account-abstraction/contracts` (EntryPoint, SimpleAccountFactory, ...).
 *
 * @example
 * ```ts
 * const entryPoint = loadAccountAbstractionArtifact('EntryPoint');
 * ```
 */
export function loadAccountAbstractionArtifact(contractName: string): ContractArtifact {
  const json = require(`@account-abstraction/contracts/artifacts/${contractName}.json`) as {
    abi: Abi;
    bytecode: Hex;
  };
  return { contractName, abi: json.abi, bytecode: json.bytecode };
}
