import { sessionKeyValidatorAbi } from '@zksso/contracts';
import { createZkSsoClients } from '../clients.ts';
import { type ChainChangedError, type ServiceError, WrongChainError } from '../errors.ts';
import { assertSameGenesis } from '../genesis.ts';
import type { ZkSsoNetwork } from '../network.ts';
import { type SessionRecord, sessionSpecFromJson } from '../session-record.ts';
import { type ContractSessionState, type SessionState, toSessionState } from '../session-state.ts';
import { readTokenUnit } from '../token-unit.ts';

/**
 * Parameters of {@link getSessionState}.
 *
 * @example
 * ```ts
 * const p: GetSessionStateParameters = { network, session };
 * ```
 */
export interface GetSessionStateParameters {
  network: ZkSsoNetwork;
  session: SessionRecord;
}

/**
 * What {@link getSessionState} returns: the session's status and each limit's usage.
 *
 * @example
 * ```ts
 * const { status, limits }: GetSessionStateReturnType = await getSessionState(p);
 * ```
 */
export type GetSessionStateReturnType = SessionState;

/**
 * The typed errors {@link getSessionState} throws.
 *
 * @example
 * ```ts
 * try { await getSessionState(p); } catch (e) { console.log((e as GetSessionStateErrorType).code); }
 * ```
 */
export type GetSessionStateErrorType = WrongChainError | ChainChangedError | ServiceError;

/**
 * Reads a session's status and the usage of each of its limits at the current (wall-clock) time: what is
 * used and left, and when each allowance resets.
 *
 * Constraint limits carry the target token's `unit` when it has ERC-20 metadata.
 *
 * @throws WrongChainError (`where: 'session'`) for a session of another chain; ChainChangedError when the
 * chain was started afresh since the session was created; ServiceError when the node does not answer
 * ({@link GetSessionStateErrorType}).
 * @example
 * ```ts
 * const state = await getSessionState({ network, session });
 * for (const l of state.limits) console.log(l.policy, l.kind, l.remaining, l.resetsAt);
 * ```
 */
export async function getSessionState(p: GetSessionStateParameters): Promise<GetSessionStateReturnType> {
  const { network, session } = p;
  if (session.chainId !== network.chainId)
    throw new WrongChainError(network.chainId, session.chainId, 'session');
  const { publicClient, genesisHash } = await createZkSsoClients(network);
  assertSameGenesis(session.genesisHash, genesisHash, 'session');
  const spec = sessionSpecFromJson(session.spec);
  // The wall clock rather than the latest block: a quiet chain's last block may lie in an earlier period.
  const now = Math.floor(Date.now() / 1000);
  const raw = (await publicClient.readContract({
    address: network.addresses.sessionKeyValidator,
    abi: sessionKeyValidatorAbi,
    functionName: 'sessionStateAt',
    args: [session.account, spec as never, now],
  })) as unknown as ContractSessionState;
  const state = toSessionState(raw, spec, now);
  const tokens = new Map<string, ReturnType<typeof readTokenUnit>>();
  for (const limit of state.limits) {
    if (limit.policy !== 'constraint' || limit.kind === 'unlimited' || !limit.target) continue;
    const key = limit.target.toLowerCase();
    if (!tokens.has(key)) tokens.set(key, readTokenUnit(publicClient, limit.target));
    const unit = await tokens.get(key);
    if (unit) limit.unit = unit;
  }
  return state;
}
