/** An error for people, with its EIP-1193 code for developers. */
export function ErrorLine(props: { testId: string; message: string; code?: number; reason?: string }) {
  const detail = [props.code, props.reason].filter((x) => x !== undefined).join(' ');
  return (
    <p className="error" role="alert" data-testid={props.testId} data-code={props.code}>
      {props.message}
      {detail && <span className="code"> ({detail})</span>}
    </p>
  );
}
