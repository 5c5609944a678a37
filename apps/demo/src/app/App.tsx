import { useConnection } from 'wagmi';
import { AccountCard } from './components/AccountCard.tsx';
import { BatchCard } from './components/BatchCard.tsx';
import { ConnectButton } from './components/ConnectButton.tsx';
import { SessionCard } from './components/SessionCard.tsx';
import { SignCard } from './components/SignCard.tsx';
import { TransferCard } from './components/TransferCard.tsx';
import { useDemo } from './context.ts';

/** The demo: connect, then one card per thing a dapp does with a zkSSO wallet. */
export function App() {
  const { address } = useConnection();
  const { authServerUrl, network } = useDemo();
  return (
    <div className="page">
      <header className="header">
        <div className="brand">
          <img src="/icon.svg" alt="" width={36} height={36} />
          <div>
            <h1>zkSSO demo</h1>
            <p className="muted">A dapp using a zkSSO wallet through wagmi</p>
          </div>
        </div>
        <ConnectButton />
      </header>
      {address ? (
        <main className="grid">
          <AccountCard address={address} />
          <TransferCard />
          <BatchCard />
          <SignCard address={address} />
          <SessionCard address={address} />
        </main>
      ) : (
        <main className="intro card">
          <h2>Sign in with an OpenID account or a passkey</h2>
          <p>
            "Connect" opens the zkSSO window. There you sign in with your OpenID provider (here the local dev
            provider) or a passkey; the wallet is an ERC-4337 smart account that only you control. Then send
            ETH, send an atomic batch, sign a message, and give this dapp a session: a key with limits,
            checked on chain, that pays without opening the window again.
          </p>
        </main>
      )}
      <footer className="muted">
        Wallet: <span data-testid="auth-server-url">{authServerUrl}</span> · chain {network.chainId}
      </footer>
    </div>
  );
}
