import { zkSsoAccountAbi } from '@zksso/contracts';
import { normalizeSession, type SessionInput, type SessionPolicyError, sessionHash } from '@zksso/core';
import type { Address, Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { createZkSsoClients } from '../clients.ts';
import { sessionSetupCalls } from '../contracts/index.ts';
import { CallsRevertedError } from '../errors.ts';
import type { ZkSsoNetwork } from '../network.ts';
import { type SessionRecord, sessionSpecToJson } from '../session-record.ts';
import { type SendCallsAccount, type SendCallsErrorType, sendCalls } from './sendCalls.ts';

/** ERC-7579 module type of a validator. */
const MODULE_TYPE_VALIDATOR = 1n;

/** A session policy as a developer writes it (@zksso/core `SessionInput`); `signer` defaults to the session key. */
export type SessionPolicy = Omit<SessionInput, 'signer'> & { signer?: Address };

/**
 * Parameters of {@link createSession}: the account that grants the session, its policy, and optionally the
 * session key (default: a fresh one).
 *
 * @example
 * ```ts
 * const p: CreateSessionParameters = { network, account, policy: { expiresAt: new Date(Date.now() + 3_600_000), feeLimit: { limit: parseEther('0.01') } } };
 * ```
 */
export interface CreateSessionParameters {
  network: ZkSsoNetwork;
  account: SendCallsAccount;
  policy: SessionPolicy;
  sessionPrivateKey?: Hex;
}

/**
 * What {@link createSession} returns: the session record (it holds the session key: SECRET) and the
 * transaction that created it.
 *
 * @example
 * ```ts
 * const { session, transactionHash }: CreateSessionReturnType = await createSession(p);
 * ```
 */
export interface CreateSessionReturnType {
  session: SessionRecord;
  transactionHash: Hex;
}

/**
 * The typed errors {@link createSession} throws: a bad policy, the creating operation reverted, and what
 * {@link sendCalls} throws.
 *
 * @example
 * ```ts
 * try { await createSession(p); } catch (e) { console.log((e as CreateSessionErrorType).code); }
 * ```
 */
export type CreateSessionErrorType = SessionPolicyError | CallsRevertedError | SendCallsErrorType;

/**
 * Creates a session for a zkLogin account: a fresh session key (or `sessionPrivateKey`) limited on chain by
 * `policy` (ZKsync SSO's developer interface: fee limit, transfers, contract calls, constraints, allowance
 * periods like `'1 hour'`). One main-key operation installs SessionKeyValidator if needed and creates the
 * session. The returned record holds the session key (SECRET).
 *
 * @throws SessionPolicyError (@zksso/core) for a bad policy, CallsRevertedError, and what {@link sendCalls}
 * throws ({@link CreateSessionErrorType}).
 * @example
 * ```ts
 * const { session } = await createSession({
 *   network,
 *   account,
 *   policy: {
 *     expiresAt: new Date(Date.now() + 86_400_000),
 *     feeLimit: { limit: parseEther('0.01') },
 *     transfers: [{ target: shop, maxValuePerUse: parseEther('0.1'), valueLimit: { limit: parseEther('0.5'), period: '1 day' } }],
 *   },
 * });
 * ```
 */
export async function createSession(p: CreateSessionParameters): Promise<CreateSessionReturnType> {
  const { network, account } = p;
  const sessionPrivateKey = p.sessionPrivateKey ?? generatePrivateKey();
  const signer = privateKeyToAccount(sessionPrivateKey).address;
  if (p.policy.signer && p.policy.signer.toLowerCase() !== signer.toLowerCase()) {
    throw new TypeError('policy.signer is not the address of the session key');
  }
  const spec = normalizeSession({ ...p.policy, signer } as SessionInput);
  const validator = network.addresses.sessionKeyValidator;
  const { publicClient, genesisHash } = await createZkSsoClients(network);

  const installed =
    (await account.isDeployed()) &&
    (await publicClient.readContract({
      address: account.address,
      abi: zkSsoAccountAbi,
      functionName: 'isModuleInstalled',
      args: [MODULE_TYPE_VALIDATOR, validator, '0x'],
    }));
  const calls = sessionSetupCalls({
    account: account.address,
    validator,
    spec,
    installValidator: !installed,
  });
  const sent = await sendCalls({ network, account, calls });
  if (!sent.success) throw new CallsRevertedError('creating the session', sent.transactionHash);
  return {
    session: {
      version: 1,
      chainId: network.chainId,
      account: account.address,
      sessionHash: sessionHash(spec),
      sessionPrivateKey,
      spec: sessionSpecToJson(spec),
      createdAt: Math.floor(Date.now() / 1000),
      genesisHash,
    },
    transactionHash: sent.transactionHash,
  };
}
