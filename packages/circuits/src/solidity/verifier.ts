import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as snarkjs from 'snarkjs';
import type { VerificationKey } from '../prover/engine.ts';

/** Whose key a verifier embeds: a single-party development key, or one from a ceremony. */
export type KeyType = 'development' | 'ceremony';

/**
 * The verifier contract's name for a tier: `ZkLoginVerifier<tier>` (the same for development and ceremony
 * keys, so contracts import one name; the key type is in `DEVELOPMENT_KEY` and the NatSpec).
 *
 * @example
 * ```ts
 * verifierContractName(1024); // 'ZkLoginVerifier1024'
 * ```
 */
export function verifierContractName(tier: number): string {
  return `ZkLoginVerifier${tier}`;
}

async function groth16Template(): Promise<string> {
  const require = createRequire(import.meta.url);
  // snarkjs's package root: its CommonJS build lives in build/, templates/ beside it.
  const root = dirname(dirname(require.resolve('snarkjs')));
  return readFile(join(root, 'templates', 'verifier_groth16.sol.ejs'), 'utf8');
}

/**
 * Renders the Groth16 Solidity verifier for a tier from a zkey (snarkjs's template), renamed to
 * {@link verifierContractName}, with NatSpec and a `DEVELOPMENT_KEY` constant telling which kind of key it
 * embeds. `verifyProof(uint[2] a, uint[2][2] b, uint[2] c, uint[n] publicInputs)` takes b in EIP-197 order —
 * protocol §10's proof bytes split into words.
 *
 * @example
 * ```ts
 * const source = await renderVerifierContract({ zkeyPath, tier: 1024, keyType: 'development' });
 * ```
 */
export async function renderVerifierContract(options: {
  zkeyPath: string;
  tier: number;
  keyType: KeyType;
}): Promise<string> {
  const source: string = await snarkjs.zKey.exportSolidityVerifier(options.zkeyPath, {
    groth16: await groth16Template(),
  });
  return labelVerifier(source, options.tier, options.keyType);
}

/**
 * Renames snarkjs's `Groth16Verifier` and adds the key label (see {@link renderVerifierContract}).
 *
 * @example
 * ```ts
 * labelVerifier(snarkjsSource, 1024, 'development').includes('DEVELOPMENT_KEY = true'); // true
 * ```
 */
export function labelVerifier(source: string, tier: number, keyType: KeyType): string {
  const name = verifierContractName(tier);
  const dev = keyType === 'development';
  const natspec = dev
    ? [
        `/// @title ${name} — DEVELOPMENT KEY, zksso/v1 zkLogin Groth16 verifier for tier ${tier}`,
        '/// @notice DEVELOPMENT KEY: made by a single-party setup whose secrets the generating machine knew.',
        '///         Anyone with that machine could forge proofs. Never deploy it where value is at stake;',
        '///         use a verifier exported from a trusted-setup ceremony instead.',
      ]
    : [
        `/// @title ${name} — zksso/v1 zkLogin Groth16 verifier for tier ${tier} (ceremony key)`,
        '/// @notice Key from a multi-party phase-2 ceremony with a public beacon.',
      ];
  const constant = [
    `    /// @notice ${dev ? 'true: this verifier embeds a DEVELOPMENT KEY (not from a ceremony)' : 'false: ceremony key'}`,
    `    bool public constant DEVELOPMENT_KEY = ${dev};`,
    `    /// @notice Maximum header.payload bytes of this circuit tier (protocol §8).`,
    `    uint16 public constant TIER = ${tier};`,
    '',
  ];
  if (!source.includes('contract Groth16Verifier {')) throw new Error('unexpected snarkjs verifier template');
  return source.replace(
    'contract Groth16Verifier {',
    `${natspec.join('\n')}\ncontract ${name} {\n${constant.join('\n')}`,
  );
}

/**
 * The verification key JSON with zkSSO's label (`zksso.keyType`, tier) added.
 *
 * @example
 * ```ts
 * const vkey = await exportLabelledVerificationKey(zkeyPath, { tier: 1024, keyType: 'development' });
 * vkey.zksso.keyType; // 'development'
 * ```
 */
export async function exportLabelledVerificationKey(
  zkeyPath: string,
  label: { tier?: number; keyType: KeyType; circuitHash?: string },
): Promise<VerificationKey & { zksso: { keyType: KeyType } }> {
  const vkey = (await snarkjs.zKey.exportVerificationKey(zkeyPath)) as VerificationKey;
  const warning =
    label.keyType === 'development'
      ? 'DEVELOPMENT KEY: single-party setup, its secrets were known to the machine that made it; never protect value with it'
      : 'phase-2 ceremony key';
  return { ...vkey, zksso: { ...label, protocol: 'zksso/v1', warning } };
}
