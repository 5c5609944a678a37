import { useMutation, useQueryClient } from '@tanstack/react-query';
import { sessionPermission } from '@zksso/sdk/connector';
import { useState } from 'react';
import type { Address } from 'viem';
import { grantPermissions } from 'viem/experimental';
import { useConnectorClient, useSendTransaction } from 'wagmi';
import { demoSessionOptions, SESSION_PAYMENT, SHOP } from '../demo-session.ts';
import { describeError } from '../errors.ts';
import { describeLimit, formatEth, shortAddress } from '../format.ts';
import { useSessionState, useSessions, useZkSsoProvider } from '../sessions.ts';
import { ErrorLine } from './ErrorLine.tsx';
import { TxLine } from './TxLine.tsx';

/**
 * ERC-7715: the dapp asks for a session (one approval in the zkSSO window); the connector makes the session
 * key here and keeps it. Payments the session covers are then signed by that key with no window at all; one
 * it does not cover (the budget used up) opens the window for an explicit approval instead of failing.
 */
export function SessionCard({ address }: { address: Address }) {
  const queryClient = useQueryClient();
  const provider = useZkSsoProvider();
  const { data: walletClient } = useConnectorClient();
  const sessions = useSessions(address);
  const grant = sessions.data?.at(-1);
  const state = useSessionState(grant);
  const refreshAll = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['zksso-sessions'] }),
      queryClient.invalidateQueries({ queryKey: ['zksso-session-state'] }),
    ]);

  const grantSession = useMutation({
    mutationFn: async () => {
      if (!walletClient) throw new Error('not connected');
      const { expiry, permission } = sessionPermission(demoSessionOptions());
      return grantPermissions(walletClient, {
        expiry,
        permissions: [{ ...permission, type: { custom: permission.type }, required: true }],
      });
    },
    onSettled: refreshAll,
  });
  const [payments, setPayments] = useState<string[]>([]);
  const pay = useSendTransaction({
    mutation: { onSuccess: (hash) => setPayments((list) => [...list, hash]), onSettled: refreshAll },
  });
  const revoke = useMutation({
    mutationFn: async (permissionsContext: string) =>
      (await provider()).request({ method: 'wallet_revokePermissions', params: [{ permissionsContext }] }),
    onSettled: refreshAll,
  });
  const busy = grantSession.isPending || pay.isPending || revoke.isPending;
  const error = grantSession.error ?? pay.error ?? revoke.error ?? sessions.error ?? state.error;

  return (
    <section className="card wide">
      <h2>Session (ERC-7715)</h2>
      <p>
        Let this dapp pay {shortAddress(SHOP)} up to {formatEth(SESSION_PAYMENT)} at a time and 0.003 ETH in
        all, for one hour, without asking again. The limits are enforced by the account on chain.
      </p>
      {!grant || state.data?.status === 'revoked' || state.data?.status === 'expired' ? (
        <>
          {grant && (
            <p>
              The last session is{' '}
              <span className={`badge ${state.data?.status}`} data-testid="session-status">
                {state.data?.status}
              </span>
            </p>
          )}
          <button
            type="button"
            data-testid="grant-session"
            disabled={busy}
            onClick={() => grantSession.mutate()}
          >
            {grantSession.isPending ? 'Approve in the zkSSO window…' : 'Ask for a session'}
          </button>
        </>
      ) : (
        <>
          <p>
            Session{' '}
            <span className={`badge ${state.data?.status ?? ''}`} data-testid="session-status">
              {state.data?.status ?? '…'}
            </span>{' '}
            until {new Date(grant.expiry * 1000).toLocaleTimeString()}
          </p>
          <ul className="limits" data-testid="session-limits">
            {state.data?.limits.map((limit) => (
              <li
                key={`${limit.policy}-${limit.policyIndex ?? ''}-${limit.constraintIndex ?? ''}`}
                data-testid={`limit-${limit.policy}`}
                data-used={limit.used.toString()}
                data-remaining={limit.remaining.toString()}
              >
                {describeLimit(limit)}
                {limit.kind !== 'unlimited' && limit.limit > 0n && (
                  <meter min={0} max={Number(limit.limit)} value={Number(limit.used)} />
                )}
              </li>
            ))}
          </ul>
          <div className="row">
            <button
              type="button"
              data-testid="session-pay"
              disabled={busy}
              onClick={() => pay.mutate({ to: SHOP, value: SESSION_PAYMENT })}
            >
              {pay.isPending ? 'Paying…' : `Pay the shop ${formatEth(SESSION_PAYMENT)}`}
            </button>
            <button
              type="button"
              className="secondary"
              data-testid="revoke-session"
              disabled={busy}
              onClick={() => revoke.mutate(grant.permissionsContext)}
            >
              {revoke.isPending ? 'Confirm in the zkSSO window…' : 'Revoke'}
            </button>
          </div>
          <ol className="payments" data-testid="session-payments" data-count={payments.length}>
            {payments.map((hash, i) => (
              <li key={hash}>
                <TxLine testId={`session-payment-${i + 1}`} label={`Payment ${i + 1} in`} hash={hash} />
              </li>
            ))}
          </ol>
        </>
      )}
      {error && <ErrorLine testId="session-error" {...describeError(error)} />}
    </section>
  );
}
