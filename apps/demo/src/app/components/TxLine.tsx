/** A transaction hash, shortened, with the full hash on hover and in the DOM for tests. */
export function TxLine(props: { testId: string; label: string; hash: string }) {
  return (
    <p className="ok" data-testid={props.testId} data-hash={props.hash}>
      {props.label} <code title={props.hash}>{`${props.hash.slice(0, 10)}…${props.hash.slice(-6)}`}</code>
    </p>
  );
}
