import { parseEther } from 'viem';
import { useSendCalls, useWaitForCallsStatus } from 'wagmi';
import { FRIEND, SHOP } from '../demo-session.ts';
import { describeError } from '../errors.ts';
import { ErrorLine } from './ErrorLine.tsx';
import { TxLine } from './TxLine.tsx';

const BATCH = [
  { to: FRIEND, value: parseEther('0.001') },
  { to: SHOP, value: parseEther('0.002') },
] as const;

/** EIP-5792 `wallet_sendCalls`: two payments in one user operation, both or neither. */
export function BatchCard() {
  const send = useSendCalls();
  const status = useWaitForCallsStatus({ id: send.data?.id });
  const hash = status.data?.receipts?.[0]?.transactionHash;
  return (
    <section className="card">
      <h2>Atomic batch</h2>
      <p>Two payments in one operation (EIP-5792): both happen, or neither.</p>
      <ul className="calls">
        <li>0.001 ETH to the friend</li>
        <li>0.002 ETH to the shop</li>
      </ul>
      <button
        type="button"
        data-testid="send-batch"
        disabled={send.isPending}
        onClick={() => send.mutate({ calls: [...BATCH] })}
      >
        {send.isPending ? 'Confirm in the zkSSO window…' : 'Send both'}
      </button>
      {status.data && (
        <p data-testid="batch-status" data-status={status.data.status}>
          Batch {status.data.status === 'success' ? 'confirmed' : status.data.status}
        </p>
      )}
      {hash && <TxLine testId="batch-result" label="In" hash={hash} />}
      {(send.error || status.error) && (
        <ErrorLine testId="batch-error" {...describeError(send.error ?? status.error)} />
      )}
    </section>
  );
}
