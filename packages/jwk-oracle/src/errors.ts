import { ZkSsoError } from '@zksso/core';

/**
 * The oracle's configuration is unusable (missing issuer, bad address, no signer, duplicate issuer...).
 *
 * @example
 * ```ts
 * createJwkOracle({ issuers: [], rpcUrl, registry, signer }); // throws OracleConfigError (code JWK_ORACLE_CONFIG)
 * ```
 */
export class OracleConfigError extends ZkSsoError {
  constructor(reason: string, details: Record<string, unknown> = {}) {
    super('JWK_ORACLE_CONFIG', `invalid JWK oracle configuration: ${reason}`, {
      details: { reason, ...details },
    });
  }
}

/**
 * An issuer's discovery document or JWKS could not be fetched or parsed (after retries). The oracle keeps the
 * last known good key set for that issuer and never revokes because of this error.
 *
 * @example
 * ```ts
 * const report = await oracle.reconcileOnce();
 * report.issuers.filter((i) => i.status === 'fetch-failed'); // each carries a JWKS_FETCH_FAILED message
 * ```
 */
export class JwksFetchError extends ZkSsoError {
  constructor(issuer: string, url: string, reason: string) {
    super('JWKS_FETCH_FAILED', `fetching keys of ${issuer} from ${url} failed: ${reason}`, {
      details: { issuer, url, reason },
    });
  }
}

/**
 * Reading the registry or submitting the update batch failed (RPC down, reverted transaction, nonce clash),
 * after retries. Nothing is lost: the next pass re-reads the chain and submits what is still missing.
 *
 * @example
 * ```ts
 * try { await oracle.reconcileOnce(); } catch (e) { if (e instanceof OracleChainError) console.error(e.message); }
 * ```
 */
export class OracleChainError extends ZkSsoError {
  constructor(stage: 'read' | 'submit', reason: string, details: Record<string, unknown> = {}) {
    super('JWK_ORACLE_CHAIN_FAILED', `JwkRegistry ${stage} failed: ${reason}`, {
      details: { stage, reason, ...details },
    });
  }
}

/**
 * Oracle mode cannot gather enough signatures: the signers held are fewer than the registry's threshold or
 * are not in its oracle set.
 *
 * @example
 * ```ts
 * await oracle.reconcileOnce(); // throws OracleQuorumError (code JWK_ORACLE_QUORUM) with details { have, required }
 * ```
 */
export class OracleQuorumError extends ZkSsoError {
  constructor(have: number, required: number, details: Record<string, unknown> = {}) {
    super(
      'JWK_ORACLE_QUORUM',
      `only ${have} of the registry's oracle signers are available here; ${required} must sign a batch`,
      { details: { have, required, ...details } },
    );
  }
}
