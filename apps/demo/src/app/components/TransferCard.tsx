import { useState } from 'react';
import { isAddress, parseEther } from 'viem';
import { useSendTransaction } from 'wagmi';
import { FRIEND } from '../demo-session.ts';
import { describeError } from '../errors.ts';
import { ErrorLine } from './ErrorLine.tsx';
import { TxLine } from './TxLine.tsx';

/** `eth_sendTransaction`: the zkSSO window shows the transfer; the user approves it. */
export function TransferCard() {
  const [to, setTo] = useState<string>(FRIEND);
  const [amount, setAmount] = useState('0.01');
  const send = useSendTransaction();
  const valid = isAddress(to) && /^\d+(\.\d+)?$/.test(amount);
  return (
    <section className="card">
      <h2>Send ETH</h2>
      <label>
        To
        <input
          data-testid="transfer-to"
          value={to}
          onChange={(e) => setTo(e.target.value)}
          spellCheck={false}
        />
      </label>
      <label>
        Amount (ETH)
        <input
          data-testid="transfer-amount"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          inputMode="decimal"
        />
      </label>
      <button
        type="button"
        data-testid="send-transfer"
        disabled={!valid || send.isPending}
        onClick={() => send.mutate({ to: to as `0x${string}`, value: parseEther(amount) })}
      >
        {send.isPending ? 'Confirm in the zkSSO window…' : 'Send'}
      </button>
      {send.data && <TxLine testId="transfer-result" label="Sent in" hash={send.data} />}
      {send.error && <ErrorLine testId="transfer-error" {...describeError(send.error)} />}
    </section>
  );
}
