import { useConnect, useConnection, useConnectors, useDisconnect } from 'wagmi';
import { describeError } from '../errors.ts';
import { shortAddress } from '../format.ts';
import { ErrorLine } from './ErrorLine.tsx';

/** "Connect" opens the zkSSO window (sign in or sign up); once connected, the account and "Disconnect". */
export function ConnectButton() {
  const { address, status } = useConnection();
  const connectors = useConnectors();
  const connect = useConnect();
  const disconnect = useDisconnect();
  const zkSso = connectors.find((c) => c.id === 'zksso');

  if (address)
    return (
      <div className="connect">
        <span className="pill" title={address}>
          {shortAddress(address)}
        </span>
        <button
          type="button"
          className="secondary"
          data-testid="disconnect"
          onClick={() => disconnect.mutate()}
        >
          Disconnect
        </button>
      </div>
    );
  return (
    <div className="connect">
      <button
        type="button"
        data-testid="connect"
        disabled={!zkSso || connect.isPending || status === 'reconnecting'}
        // The connector opens its window inside this click: browsers block pop-ups opened later.
        onClick={() => zkSso && connect.mutate({ connector: zkSso })}
      >
        {connect.isPending ? 'Waiting for the zkSSO window…' : 'Connect with zkSSO'}
      </button>
      {connect.error && <ErrorLine testId="connect-error" {...describeError(connect.error)} />}
    </div>
  );
}
