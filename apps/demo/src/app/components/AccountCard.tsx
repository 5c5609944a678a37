import { useMutation } from '@tanstack/react-query';
import type { Address } from 'viem';
import { useBalance } from 'wagmi';
import { FAUCET_PATH } from '../../shared/config.ts';
import { useDemo } from '../context.ts';
import { describeError } from '../errors.ts';
import { formatEth } from '../format.ts';
import { ErrorLine } from './ErrorLine.tsx';

/** The account's address and balance; on a dev chain, a button that adds test ETH. */
export function AccountCard({ address }: { address: Address }) {
  const { faucet } = useDemo();
  // Every send changes the balance: a short refetch interval keeps it current without wiring each card.
  const balance = useBalance({ address, query: { refetchInterval: 2_000 } });
  const fund = useMutation({
    mutationFn: async () => {
      const response = await fetch(FAUCET_PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ address }),
      });
      if (!response.ok) throw new Error(`faucet: HTTP ${response.status}`);
    },
    onSuccess: () => balance.refetch(),
  });
  return (
    <section className="card">
      <h2>Account</h2>
      <p className="label">Address</p>
      <p className="mono" data-testid="address">
        {address}
      </p>
      <p className="label">Balance</p>
      <p className="big" data-testid="balance" data-wei={balance.data?.value.toString()}>
        {balance.data ? formatEth(balance.data.value) : '…'}
      </p>
      {faucet && (
        <button
          type="button"
          className="secondary"
          data-testid="faucet"
          disabled={fund.isPending}
          onClick={() => fund.mutate()}
        >
          {fund.isPending ? 'Adding…' : 'Get 1 test ETH'}
        </button>
      )}
      {fund.error && <ErrorLine testId="faucet-error" {...describeError(fund.error)} />}
      <p className="hint">
        The account pays its own fees. It is deployed with its first transaction; until then it exists only as
        an address.
      </p>
    </section>
  );
}
