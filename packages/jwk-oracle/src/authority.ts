import type { Hex } from 'viem';
import { OracleConfigError } from './errors.ts';
import type { RegistryAuthority } from './registry.ts';
import { localOracleSigner, type OracleSigner } from './signers.ts';

/**
 * Who signs: the registry owner (`applyUpdates`) or oracle keys (`applyOracleBatch`, k-of-n).
 *
 * @example
 * ```ts
 * const signer: SignerConfig = { mode: 'oracle', privateKeys: [key1, key2], submitterKey: payer };
 * ```
 */
export type SignerConfig =
  | { mode: 'owner'; privateKey: Hex }
  | {
      mode: 'oracle';
      /** Oracle keys held by this instance. */
      privateKeys?: readonly Hex[];
      /** Other signers (remote peers); see README "Several oracle instances". */
      signers?: readonly OracleSigner[];
      /** Pays for the transaction (anyone may submit a signed batch); default the first private key. */
      submitterKey?: Hex;
    };

/**
 * The registry authority of a signer configuration: the owner's key, or the oracle signers (local keys and
 * remote peers) with the key that pays for the batch.
 *
 * @throws {OracleConfigError} on a missing key, no signer, or an unknown mode.
 * @example
 * ```ts
 * const authority = toAuthority({ mode: 'owner', privateKey });
 * ```
 */
export function toAuthority(signer: SignerConfig): RegistryAuthority {
  if (signer?.mode === 'owner') {
    if (!signer.privateKey) throw new OracleConfigError('owner mode needs a private key');
    return { mode: 'owner', privateKey: signer.privateKey };
  }
  if (signer?.mode === 'oracle') {
    const local = (signer.privateKeys ?? []).map(localOracleSigner);
    const signers = [...local, ...(signer.signers ?? [])];
    const submitterKey = signer.submitterKey ?? signer.privateKeys?.[0];
    if (signers.length === 0) throw new OracleConfigError('oracle mode needs at least one signer');
    if (!submitterKey) throw new OracleConfigError('oracle mode needs a submitter key (or a private key)');
    return { mode: 'oracle', signers, submitterKey };
  }
  throw new OracleConfigError('signer.mode must be "owner" or "oracle"');
}
