/**
 * What went wrong, for people: the EIP-1193 / EIP-5792 `code` found anywhere in the error's `cause` chain
 * (wagmi and viem wrap the provider's error) and a sentence. The code stays visible so a developer can
 * look it up (docs/popup-protocol.md).
 *
 * @example
 * ```ts
 * describeError(new UserRejectedRequestError(...)); // { code: 4001, message: 'You closed the zkSSO window or refused.' }
 * ```
 */
export function describeError(error: unknown): { code?: number; reason?: string; message: string } {
  let code: number | undefined;
  let reason: string | undefined;
  let message: string | undefined;
  for (let e = error as Record<string, unknown> | undefined, depth = 0; e && depth < 10; depth++) {
    if (code === undefined && typeof e.code === 'number') code = e.code;
    const data = e.data as { reason?: unknown } | undefined;
    if (reason === undefined && typeof data?.reason === 'string') reason = data.reason;
    message ??= typeof e.shortMessage === 'string' ? e.shortMessage : undefined;
    e = e.cause as Record<string, unknown> | undefined;
  }
  message ??= error instanceof Error ? error.message : String(error);
  const known = (code !== undefined && KNOWN_CODES[code]) || (reason && KNOWN_REASONS[reason]);
  return {
    ...(code !== undefined ? { code } : {}),
    ...(reason ? { reason } : {}),
    message: known || message,
  };
}

const KNOWN_CODES: Record<number, string> = {
  4001: 'You closed the zkSSO window or refused.',
  4100: 'Connect your zkSSO account first.',
  4900: 'Disconnected.',
};

const KNOWN_REASONS: Record<string, string> = {
  POPUP_BLOCKED: 'The browser blocked the zkSSO window: allow pop-ups for this site, then click again.',
  POPUP_TIMEOUT: 'The zkSSO window did not answer in time.',
};
