import type { Address, Hex } from 'viem';
import { isKeyRegistered, issuerRegistryKeys, type RegistryKey } from '../jwk.ts';
import { lineWriter } from '../logs.ts';
import type { StatePaths } from '../state.ts';
import type { Lifecycle } from './lifecycle.ts';

/**
 * Registers the dev IdP's keys in the JwkRegistry through the JWK oracle (owner mode with the deployer's
 * key), checks each is valid there, and keeps the oracle running to follow key rotations
 * (`POST /dev/rotate-keys` on the IdP) every 5 s.
 *
 * @example
 * ```ts
 * const keys = await registerIdpKeys(life, state, { idp, rpcUrl, registry, ownerKey, verbose: false });
 * ```
 */
export async function registerIdpKeys(
  life: Lifecycle,
  state: StatePaths,
  options: {
    idp: { issuer: string; jwksUri: string };
    rpcUrl: string;
    registry: Address;
    ownerKey: Hex;
    verbose: boolean;
  },
): Promise<RegistryKey[]> {
  const { idp, rpcUrl, registry } = options;
  const keys = await issuerRegistryKeys(idp.issuer, idp.jwksUri);
  const oracleModule = await import('@zksso/jwk-oracle');
  const oracle = oracleModule.createJwkOracle({
    issuers: [{ issuer: idp.issuer, jwksUri: idp.jwksUri }],
    rpcUrl,
    registry,
    signer: { mode: 'owner', privateKey: options.ownerKey },
    // Dev: follow `POST /dev/rotate-keys` quickly.
    pollIntervalMs: 5_000,
    gracePeriodMs: 60_000,
    stateFile: state.oracleState,
    logger: oracleModule.jsonLineLogger(lineWriter(state.log('jwk-oracle'), options.verbose)),
  });
  const report = await life.abortable(oracle.reconcileOnce());
  if (!report.ok)
    throw new Error(
      `the JWK oracle could not register the dev IdP keys: ${JSON.stringify(report.issuers.map((i) => i.error))}`,
    );
  await oracle.start();
  life.onStop('JWK oracle', () => oracle.stop());
  for (const key of keys) {
    if (!(await isKeyRegistered(rpcUrl, registry, key))) {
      throw new Error(`dev IdP key ${key.kid} is not valid in the JwkRegistry after registration`);
    }
  }
  life.status(`dev IdP keys registered in the JwkRegistry (${keys.length}, via jwk-oracle)`);
  return keys;
}
