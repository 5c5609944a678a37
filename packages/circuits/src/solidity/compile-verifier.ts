import { readFileSync } from 'node:fs';
import { ZkSsoError } from '@zksso/core';
import type { TierArtifacts } from '../artifacts/cache.ts';

/** The tier's verifier source did not compile, or holds no deployable contract. */
export class VerifierCompileError extends ZkSsoError {
  constructor(tier: number, message: string) {
    super('VERIFIER_COMPILE_FAILED', `tier ${tier} verifier: ${message}`, { details: { tier } });
  }
}

/**
 * Compiles a tier's generated Groth16 verifier (`verifierSolPath`) with solc-js — optimizer on, EVM osaka, the
 * settings of @zksso/contracts — and returns its creation bytecode, ready for the contracts'
 * `deploy({ verifiers: [{ tier, bytecode }] })`.
 *
 * @throws {VerifierCompileError} VERIFIER_COMPILE_FAILED with solc's messages.
 * @example
 * ```ts
 * const tier = await ensureTierArtifacts(1024);
 * const bytecode = await compileVerifierContract(tier);
 * ```
 */
export async function compileVerifierContract(
  artifacts: Pick<TierArtifacts, 'tier' | 'verifierSolPath'>,
): Promise<`0x${string}`> {
  // Loaded on demand: solc-js is a large module that proving never needs.
  const { default: solc } = (await import('solc')) as { default: { compile(input: string): string } };
  const input = {
    language: 'Solidity',
    sources: { 'Verifier.sol': { content: readFileSync(artifacts.verifierSolPath, 'utf8') } },
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: 'osaka',
      outputSelection: { '*': { '*': ['evm.bytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts?: Record<string, Record<string, { evm: { bytecode: { object: string } } }>>;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) {
    throw new VerifierCompileError(artifacts.tier, errors.map((e) => e.formattedMessage).join('\n'));
  }
  const deployable = Object.values(output.contracts?.['Verifier.sol'] ?? {}).find(
    (c) => c.evm.bytecode.object.length > 0,
  );
  if (!deployable) throw new VerifierCompileError(artifacts.tier, 'the source has no deployable contract');
  return `0x${deployable.evm.bytecode.object}`;
}
