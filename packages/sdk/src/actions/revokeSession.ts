import { sessionKeyValidatorAbi } from '@zksso/contracts';
import { encodeFunctionData, type Hex } from 'viem';
import type { ZkLoginSmartAccount } from '../accounts/zklogin-account.ts';
import { CallsRevertedError } from '../errors.ts';
import type { ZkSsoNetwork } from '../network.ts';
import { type SendCallsErrorType, sendCalls } from './sendCalls.ts';

/**
 * Parameters of {@link revokeSession}: the session's account (its main key signs) and the session's hash.
 *
 * @example
 * ```ts
 * const p: RevokeSessionParameters = { network, account, sessionHash: session.sessionHash };
 * ```
 */
export interface RevokeSessionParameters {
  network: ZkSsoNetwork;
  account: ZkLoginSmartAccount;
  sessionHash: Hex;
}

/**
 * What {@link revokeSession} returns: the revoking transaction.
 *
 * @example
 * ```ts
 * const { transactionHash }: RevokeSessionReturnType = await revokeSession(p);
 * ```
 */
export interface RevokeSessionReturnType {
  transactionHash: Hex;
}

/**
 * The typed errors {@link revokeSession} throws: the revocation reverted, and what {@link sendCalls} throws.
 *
 * @example
 * ```ts
 * try { await revokeSession(p); } catch (e) { console.log((e as RevokeSessionErrorType).code); }
 * ```
 */
export type RevokeSessionErrorType = CallsRevertedError | SendCallsErrorType;

/**
 * Revokes a session with a main-key operation of its account: the session key is refused from then on
 * ({@link SessionNotActiveError} `revoked`).
 *
 * @throws CallsRevertedError when the revocation reverted (e.g. already revoked), and what {@link sendCalls}
 * throws ({@link RevokeSessionErrorType}).
 * @example
 * ```ts
 * await revokeSession({ network, account, sessionHash: session.sessionHash });
 * ```
 */
export async function revokeSession(p: RevokeSessionParameters): Promise<RevokeSessionReturnType> {
  const sent = await sendCalls({
    network: p.network,
    account: p.account,
    calls: [
      {
        to: p.network.addresses.sessionKeyValidator,
        data: encodeFunctionData({
          abi: sessionKeyValidatorAbi,
          functionName: 'revokeKey',
          args: [p.sessionHash],
        }),
      },
    ],
  });
  if (!sent.success) {
    throw new CallsRevertedError('revoking the session', sent.transactionHash);
  }
  return { transactionHash: sent.transactionHash };
}
