import { sessionKeyValidatorAbi } from '@zksso/contracts';
import { encodeFunctionData, type Hex } from 'viem';
import type { ZkLoginSmartAccount } from '../accounts/zklogin-account.ts';
import { CallsRevertedError } from '../errors.ts';
import type { ZkSsoNetwork } from '../network.ts';
import { sendCalls } from './sendCalls.ts';

/**
 * Revokes a session with a main-key operation of its account: the session key is refused from then on
 * ({@link SessionNotActiveError} `revoked`).
 *
 * @throws what {@link sendCalls} throws; Error when the revocation reverted (e.g. already revoked).
 * @example
 * ```ts
 * await revokeSession({ network, account, sessionHash: session.sessionHash });
 * ```
 */
export async function revokeSession(p: {
  network: ZkSsoNetwork;
  account: ZkLoginSmartAccount;
  sessionHash: Hex;
}): Promise<{ transactionHash: Hex }> {
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
