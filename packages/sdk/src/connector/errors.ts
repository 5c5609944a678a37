/**
 * EIP-1193 / EIP-1474 / EIP-5792 error codes the zkSSO provider answers with. The numbers are the
 * standards' (dapps and viem switch on them); `reason` below adds a stable word for the cases the
 * standards lump together (a blocked popup and a timeout are both "internal" to EIP-1474).
 *
 * @example
 * ```ts
 * if (error.code === PROVIDER_ERROR_CODES.userRejected) showToast('cancelled');
 * ```
 */
export const PROVIDER_ERROR_CODES = {
  /** EIP-1193: the user rejected the request (or closed the popup). */
  userRejected: 4001,
  /** EIP-1193: not connected, or the address is not the connected account. */
  unauthorized: 4100,
  /** EIP-1193: the provider does not support the method. */
  unsupportedMethod: 4200,
  /** EIP-1193: the provider is disconnected from all chains. */
  disconnected: 4900,
  /** EIP-1193: the provider is not connected to the requested chain. */
  chainDisconnected: 4901,
  /** EIP-3326: `wallet_switchEthereumChain` to a chain that is not configured. */
  unrecognizedChain: 4902,
  /** EIP-5792: a non-optional capability is not supported. */
  unsupportedCapability: 5700,
  /** EIP-5792: `wallet_sendCalls` for a chain that is not configured. */
  unsupportedChainId: 5710,
  /** EIP-5792: a batch id that was already used. */
  duplicateId: 5720,
  /** EIP-5792: `wallet_getCallsStatus` / `wallet_showCallsStatus` for an unknown batch id. */
  unknownBundleId: 5730,
  /** EIP-1474: invalid method parameters. */
  invalidParams: -32602,
  /** EIP-1474: internal error (popup blocked, timeout, a malformed answer from the auth server). */
  internal: -32603,
} as const;

/** Why an internal (-32603) or rejected (4001) error happened, for dapps that want to say more. */
export type ProviderErrorReason =
  | 'POPUP_BLOCKED'
  | 'POPUP_CLOSED'
  | 'POPUP_TIMEOUT'
  | 'NO_WINDOW'
  | 'BAD_AUTH_SERVER_ANSWER'
  | 'SESSION_MISMATCH';

/**
 * An EIP-1193 `ProviderRpcError`: a numeric `code` (see {@link PROVIDER_ERROR_CODES}), a message for
 * people and optional `data`. Every error the zkSSO provider's `request` rejects with is one of these,
 * so viem maps it onto its own typed errors (`UserRejectedRequestError` for 4001...).
 *
 * @example
 * ```ts
 * try {
 *   await provider.request({ method: 'eth_requestAccounts' });
 * } catch (e) {
 *   if (e instanceof ProviderRpcError && e.code === 4001) console.log('the user closed the popup');
 * }
 * ```
 */
export class ProviderRpcError extends Error {
  readonly code: number;
  readonly data: unknown;

  constructor(code: number, message: string, options: { data?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.data = options.data;
  }

  /** The plain `{ code, message, data? }` object sent over `postMessage` (errors do not clone well). */
  toJSON(): { code: number; message: string; data?: unknown } {
    return {
      code: this.code,
      message: this.message,
      ...(this.data === undefined ? {} : { data: this.data }),
    };
  }
}

/**
 * 4001: the user refused in the popup, or closed it before it answered (`data.reason: 'POPUP_CLOSED'`).
 *
 * @example
 * ```ts
 * throw new UserRejectedRequestError('The user closed the zkSSO popup', { reason: 'POPUP_CLOSED' });
 * ```
 */
export class UserRejectedRequestError extends ProviderRpcError {
  constructor(message = 'The user rejected the request', data?: unknown) {
    super(PROVIDER_ERROR_CODES.userRejected, message, data === undefined ? {} : { data });
  }
}

/**
 * 4100: the provider is not connected yet, or the request names another address than the account.
 *
 * @example
 * ```ts
 * throw new UnauthorizedError('Connect first (eth_requestAccounts)');
 * ```
 */
export class UnauthorizedError extends ProviderRpcError {
  constructor(message = 'Not connected: call eth_requestAccounts first') {
    super(PROVIDER_ERROR_CODES.unauthorized, message);
  }
}

/**
 * 4200: the method is not one the zkSSO provider answers.
 *
 * @example
 * ```ts
 * throw new UnsupportedMethodError('eth_sign');
 * ```
 */
export class UnsupportedMethodError extends ProviderRpcError {
  constructor(method: string) {
    super(PROVIDER_ERROR_CODES.unsupportedMethod, `The zkSSO provider does not support ${method}`, {
      data: { method },
    });
  }
}

/**
 * 4900: sent with the `disconnect` event after `wallet_disconnect` (or the connector's `disconnect`).
 *
 * @example
 * ```ts
 * provider.on('disconnect', (error: DisconnectedError) => console.log(error.code)); // 4900
 * ```
 */
export class DisconnectedError extends ProviderRpcError {
  constructor(message = 'Disconnected from zkSSO') {
    super(PROVIDER_ERROR_CODES.disconnected, message);
  }
}

/**
 * 4902 (EIP-3326): `wallet_switchEthereumChain` to a chain the provider was not configured with; 5710
 * (EIP-5792) when `wallet_sendCalls` names such a chain.
 *
 * @example
 * ```ts
 * throw new UnsupportedChainError(10, 'switch');
 * ```
 */
export class UnsupportedChainError extends ProviderRpcError {
  constructor(chainId: number, where: 'switch' | 'sendCalls') {
    super(
      where === 'switch' ? PROVIDER_ERROR_CODES.unrecognizedChain : PROVIDER_ERROR_CODES.unsupportedChainId,
      `Chain ${chainId} is not configured for zkSSO`,
      { data: { chainId } },
    );
  }
}

/**
 * -32602: the parameters of a request are malformed (the message names the first bad one).
 *
 * @example
 * ```ts
 * throw new InvalidParamsError('wallet_sendCalls: calls[0].to is not an address');
 * ```
 */
export class InvalidParamsError extends ProviderRpcError {
  constructor(message: string) {
    super(PROVIDER_ERROR_CODES.invalidParams, message);
  }
}

/**
 * -32603 with a {@link ProviderErrorReason}: the popup was blocked, timed out, there is no window, or the
 * auth server answered something that does not hold together.
 *
 * @example
 * ```ts
 * if (e instanceof PopupError && e.reason === 'POPUP_BLOCKED') showAllowPopupsHint();
 * ```
 */
export class PopupError extends ProviderRpcError {
  readonly reason: ProviderErrorReason;

  constructor(reason: ProviderErrorReason, message: string, options: { cause?: unknown } = {}) {
    super(PROVIDER_ERROR_CODES.internal, message, { data: { reason }, ...options });
    this.reason = reason;
  }
}

/**
 * Turns the `{ code, message, data }` of a popup response into a {@link ProviderRpcError} (a 4001
 * stays a {@link UserRejectedRequestError}, so `instanceof` works for the common case).
 *
 * @example
 * ```ts
 * throw errorFromWire({ code: 4001, message: 'No thanks' });
 * ```
 */
export function errorFromWire(error: { code: number; message: string; data?: unknown }): ProviderRpcError {
  if (error.code === PROVIDER_ERROR_CODES.userRejected)
    return new UserRejectedRequestError(error.message, error.data);
  return new ProviderRpcError(
    error.code,
    error.message,
    error.data === undefined ? {} : { data: error.data },
  );
}
