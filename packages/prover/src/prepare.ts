import { buildCheckedZkLoginInputs } from '@zksso/circuits';
import { type PublicInputs, toHex32 } from '@zksso/core';
import type { ProveRequest } from './request.ts';
import { type PrepareContext, validateToken } from './validate.ts';

export type { PrepareContext };

/** A token that passed every check, with the circuit inputs of its tier. */
export interface PreparedProof {
  readonly tier: number;
  /** Circuit inputs (secret: never logged). */
  readonly inputs: Record<string, string | string[]>;
  /** [issHash, idc, ephHi, ephLo, expiry, modulusHash] as computed by `@zksso/core`. */
  readonly publicInputs: readonly bigint[];
  /** The same public inputs by name (`@zksso/core`'s `PublicInputs`). */
  readonly publicInputsByName: PublicInputs;
  readonly issuer: string;
  /** `issuer` + newline + the token's `sub` (the key-claim value when it has none): per-subject limits. */
  readonly subject: string;
  readonly issHash: `0x${string}`;
  readonly identityCommitment: `0x${string}`;
  readonly modulusHash: `0x${string}`;
  readonly keyId: `0x${string}`;
  readonly expiry: bigint;
}

/**
 * The first half of the prover's one pass over a request: {@link validateToken} (decode, claims, allow-list,
 * JWKS and signature, lifetime, audience, nonce, expiry, tier), then the circuit inputs from that same decoded
 * token and its claims (`buildCheckedZkLoginInputs`: nothing decoded or checked twice; CLAIM_LAYOUT_UNSUPPORTED),
 * with the public inputs by name. The second half is the worker's proof and self-verification.
 *
 * @example
 * ```ts
 * const prepared = await prepareProof(parseProveRequest(body), {
 *   jwks, tiers: [1024], maxExpirySeconds: 86_400, audiences: [{ audience: 'zksso-dev' }], clockSkewSeconds: 60,
 * });
 * prepared.publicInputsByName.identityCommitment;
 * ```
 */
export async function prepareProof(request: ProveRequest, context: PrepareContext): Promise<PreparedProof> {
  const token = await validateToken(request, context);
  const built = buildCheckedZkLoginInputs({
    decoded: token.decoded,
    claims: token.claims,
    salt: request.salt,
    ephemeralPublicKey: request.ephemeralPublicKey,
    expiry: request.expiry,
    randomness: request.randomness,
    modulus: token.modulus,
    tier: token.tier,
  });
  const named = built.publicInputsByName;
  return {
    tier: built.tier,
    inputs: built.inputs,
    publicInputs: built.publicInputs,
    publicInputsByName: named,
    issuer: token.issuer,
    subject: token.subject,
    issHash: toHex32(named.issHash),
    identityCommitment: toHex32(named.identityCommitment),
    modulusHash: toHex32(named.modulusHash),
    keyId: named.keyId,
    expiry: request.expiry,
  };
}
