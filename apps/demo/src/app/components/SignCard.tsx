import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { type Address, isErc6492Signature } from 'viem';
import { usePublicClient, useSignMessage } from 'wagmi';
import { describeError } from '../errors.ts';
import { ErrorLine } from './ErrorLine.tsx';

/**
 * `personal_sign`, then verification with viem's `verifyMessage`, as any dapp or server would check it (SIWE
 * does the same): an ERC-1271 signature of the account, wrapped in ERC-6492 while the account is not
 * deployed yet, so it verifies before the first transaction too.
 */
export function SignCard({ address }: { address: Address }) {
  const [message, setMessage] = useState('Hello from the zkSSO demo');
  const sign = useSignMessage();
  const publicClient = usePublicClient();
  const verify = useMutation({
    mutationFn: async (signature: `0x${string}`) => {
      if (!publicClient) throw new Error('no chain client');
      const valid = await publicClient.verifyMessage({ address, message, signature });
      return { valid, erc6492: isErc6492Signature(signature) };
    },
  });
  const signAndVerify = () => {
    verify.reset();
    sign.mutate({ message }, { onSuccess: (signature) => verify.mutate(signature) });
  };
  return (
    <section className="card">
      <h2>Sign a message</h2>
      <label>
        Message
        <textarea
          data-testid="sign-input"
          value={message}
          rows={2}
          onChange={(e) => setMessage(e.target.value)}
        />
      </label>
      <button type="button" data-testid="sign-message" disabled={sign.isPending} onClick={signAndVerify}>
        {sign.isPending ? 'Confirm in the zkSSO window…' : 'Sign and verify'}
      </button>
      {sign.data && (
        <p className="mono small" data-testid="signature" title={sign.data}>
          {`${sign.data.slice(0, 18)}…${sign.data.slice(-8)}`} ({(sign.data.length - 2) / 2} bytes)
        </p>
      )}
      {verify.data && (
        <p
          className={verify.data.valid ? 'ok' : 'error'}
          data-testid="verify-result"
          data-valid={verify.data.valid}
          data-kind={verify.data.erc6492 ? 'erc6492' : 'erc1271'}
        >
          {verify.data.valid ? 'Valid' : 'Invalid'}:{' '}
          {verify.data.erc6492
            ? 'ERC-6492 signature (the account is not deployed yet)'
            : 'ERC-1271 signature of the deployed account'}
        </p>
      )}
      {(sign.error || verify.error) && (
        <ErrorLine testId="sign-error" {...describeError(sign.error ?? verify.error)} />
      )}
    </section>
  );
}
