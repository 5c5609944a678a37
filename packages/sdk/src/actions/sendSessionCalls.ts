import { ZkSsoError } from '@zksso/core';
import type { Address } from 'viem';
import { toSessionSmartAccount } from '../accounts/session-account.ts';
import { createZkSsoClients } from '../clients.ts';
import { decodeSessionRevert, SESSION_LIMIT_KIND } from '../contracts/index.ts';
import {
  type CallWouldRevertError,
  type ChainChangedError,
  type ServiceError,
  SessionLimitExceededError,
  type SessionLimitPolicy,
  SessionNotActiveError,
  SessionPolicyViolationError,
  WrongChainError,
} from '../errors.ts';
import { VERIFICATION_GAS } from '../gas.ts';
import { assertSameGenesis } from '../genesis.ts';
import type { ZkSsoNetwork } from '../network.ts';
import { fullMessage, mapSessionRefusal } from '../refusals.ts';
import { type SessionRecord, sessionSpecFromJson } from '../session-record.ts';
import { type SendOptions, submitUserOperation } from '../submit.ts';
import { getSessionState } from './getSessionState.ts';
import type { Call, SendCallsResult } from './sendCalls.ts';

const POLICY_OF_KIND: Record<number, SessionLimitPolicy> = {
  [SESSION_LIMIT_KIND.fee]: 'fee',
  [SESSION_LIMIT_KIND.transfer]: 'transfer',
  [SESSION_LIMIT_KIND.call]: 'call',
  [SESSION_LIMIT_KIND.constraint]: 'constraint',
};

/**
 * Parameters of {@link sendSessionCalls}: the session (its record holds the key) and its calls, plus the
 * {@link SendOptions}.
 *
 * @example
 * ```ts
 * const p: SendSessionCallsParameters = { network, session, calls: [{ to: shop, value: parseEther('0.1') }] };
 * ```
 */
export type SendSessionCallsParameters = SendOptions & {
  network: ZkSsoNetwork;
  session: SessionRecord;
  calls: Call[];
};

/**
 * What {@link sendSessionCalls} returns: the included operation.
 *
 * @example
 * ```ts
 * const { transactionHash, success }: SendSessionCallsReturnType = await sendSessionCalls(p);
 * ```
 */
export type SendSessionCallsReturnType = SendCallsResult;

/**
 * The typed errors {@link sendSessionCalls} throws.
 *
 * @example
 * ```ts
 * try { await sendSessionCalls(p); } catch (e) { if ((e as SendSessionCallsErrorType).code === 'SESSION_LIMIT_EXCEEDED') console.log('over a limit'); }
 * ```
 */
export type SendSessionCallsErrorType =
  | SessionLimitExceededError
  | SessionNotActiveError
  | SessionPolicyViolationError
  | CallWouldRevertError
  | ChainChangedError
  | WrongChainError
  | ServiceError;

/**
 * Sends calls signed by a session key and waits for the receipt. The session's account pays the gas.
 * Refusals are typed: a limit → {@link SessionLimitExceededError} (which limit, what is left, when it
 * resets); a revoked, expired or unknown session → {@link SessionNotActiveError}; anything else the
 * session forbids → {@link SessionPolicyViolationError}. As with {@link sendCalls}, calls that would revert
 * or that the account cannot pay for are refused before sending ({@link CallWouldRevertError}).
 *
 * @throws the errors above, ChainChangedError, WrongChainError (`where: 'session'`), ServiceError
 * ({@link SendSessionCallsErrorType}).
 * @example
 * ```ts
 * try {
 *   await sendSessionCalls({ network, session, calls: [{ to: shop, value: parseEther('0.1') }] });
 * } catch (e) {
 *   if (e instanceof SessionLimitExceededError) console.log(`${e.details.remaining} left until ${e.details.resetsAt}`);
 * }
 * ```
 */
export async function sendSessionCalls(p: SendSessionCallsParameters): Promise<SendSessionCallsReturnType> {
  const { network, session, calls } = p;
  if (session.chainId !== network.chainId)
    throw new WrongChainError(network.chainId, session.chainId, 'session');
  const spec = sessionSpecFromJson(session.spec);
  if (Math.floor(Date.now() / 1000) > Number(spec.expiresAt)) throw new SessionNotActiveError('expired');
  const clients = await createZkSsoClients(network);
  assertSameGenesis(session.genesisHash, clients.genesisHash, 'session');
  const account = await toSessionSmartAccount({ network, clients, record: session, spec });
  try {
    return await submitUserOperation(clients, {
      account,
      calls,
      verificationGasLimit: VERIFICATION_GAS.session,
      ...(p.gas ? { gas: p.gas } : {}),
      ...(p.simulate !== undefined ? { simulate: p.simulate } : {}),
      ...(p.errorAbi ? { errorAbi: p.errorAbi } : {}),
      ...(p.onStep ? { onStep: p.onStep } : {}),
    });
  } catch (error) {
    if (error instanceof ZkSsoError) throw error;
    throw await mapSessionError(error, p);
  }
}

/** Decodes the validator's refusal; a limit error is completed with the limit's state. */
async function mapSessionError(
  error: unknown,
  p: { network: ZkSsoNetwork; session: SessionRecord },
): Promise<unknown> {
  const decoded = decodeSessionRevert(fullMessage(error));
  if (!decoded) return mapSessionRefusal(error);
  const args = decoded.args;
  switch (decoded.errorName) {
    case 'SessionLimitExceeded': {
      // (sessionHash, kind, callIndex, policyIndex, constraintIndex, requested, remaining, resetsAt)
      const kind = Number(args[1]);
      const policyIndex = Number(args[3]);
      const constraintIndex = Number(args[4]);
      const state = await getSessionState(p).catch(() => undefined);
      const limit = state?.limits.find(
        (l) =>
          l.policy === POLICY_OF_KIND[kind] &&
          (l.policyIndex ?? 0) === (kind === SESSION_LIMIT_KIND.fee ? 0 : policyIndex) &&
          (l.constraintIndex ?? 0) === (kind === SESSION_LIMIT_KIND.constraint ? constraintIndex : 0),
      );
      const resetsAt = Number(args[7]);
      return new SessionLimitExceededError(
        {
          policy: POLICY_OF_KIND[kind] ?? 'fee',
          ...(limit?.target ? { target: limit.target as Address } : {}),
          limitKind: limit?.kind ?? (resetsAt > 0 ? 'allowance' : 'lifetime'),
          limit: limit?.limit ?? 0n,
          requested: args[5] as bigint,
          remaining: args[6] as bigint,
          ...(resetsAt > 0 ? { resetsAt } : {}),
          callIndex: Number(args[2]),
          ...(limit?.unit ? { unit: limit.unit } : {}),
        },
        { cause: error },
      );
    }
    case 'SessionNotActive':
    case 'SessionExpired':
      return mapSessionRefusal(error);
    default:
      return new SessionPolicyViolationError(decoded.errorName, { args: args.map(String) }, { cause: error });
  }
}
