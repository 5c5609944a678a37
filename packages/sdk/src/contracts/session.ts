import { sessionKeyValidatorAbi, zkSsoAccountAbi } from '@zksso/contracts';
import { type SessionSpec, sessionSpecAbi } from '@zksso/core';
import {
  type Abi,
  type Address,
  decodeErrorResult,
  encodeAbiParameters,
  encodeFunctionData,
  type Hex,
} from 'viem';

// SessionKeyValidator's user-operation signature and errors (docs/contracts.md §7). The validator's ABI is the
// one generated from the compiled contract (@zksso/contracts), so it cannot drift from it.

/** `SessionLimitExceeded.kind` / `LimitState.kind` values (docs/contracts.md §7). @example `if (kind === SESSION_LIMIT_KIND.transfer) …` */
export const SESSION_LIMIT_KIND = { fee: 0, transfer: 1, call: 2, constraint: 3 } as const;

/** `sessionStatus` values: NotInitialized, Active, Closed. @example `status === SESSION_STATUS.closed; // revoked` */
export const SESSION_STATUS = { notInitialized: 0, active: 1, closed: 2 } as const;

/**
 * The validator signature of a session operation, without the 20-byte validator prefix:
 * `abi.encode(bytes ecdsaSignature, SessionSpec spec, uint48 validAt)` (protocol §10.5).
 *
 * @example
 * ```ts
 * const signature = withValidator(sessionKeyValidator, encodeSessionSignature(await sessionKey.sign({ hash }), spec, now));
 * ```
 */
export function encodeSessionSignature(ecdsaSignature: Hex, spec: SessionSpec, validAt: bigint): Hex {
  return encodeAbiParameters(
    [{ type: 'bytes' }, sessionSpecAbi, { type: 'uint48' }],
    [ecdsaSignature, spec as never, Number(validAt)],
  );
}

/** A decoded SessionKeyValidator error. */
export interface DecodedSessionError {
  errorName: string;
  args: readonly unknown[];
}

/**
 * Finds SessionKeyValidator revert data (the `inner` of `FailedOpWithRevert`) in a bundler error message or
 * raw revert data and decodes it with `abi` (default: the generated `sessionKeyValidatorAbi` of @zksso/contracts). Returns undefined when
 * none is recognised.
 *
 * @example
 * ```ts
 * const decoded = decodeSessionRevert((error as Error).message);
 * decoded?.errorName; // 'SessionLimitExceeded'
 * ```
 */
export function decodeSessionRevert(
  message: string,
  abi: Abi = sessionKeyValidatorAbi,
): DecodedSessionError | undefined {
  for (const match of message.matchAll(/0x[0-9a-fA-F]{8,}/g)) {
    const hex = match[0];
    // The inner error may sit anywhere inside a longer blob (FailedOpWithRevert's ABI encoding): try each
    // byte offset as well as the whole match.
    for (let start = 2; start + 8 <= hex.length; start += 2) {
      try {
        const { errorName, args } = decodeErrorResult({ abi, data: `0x${hex.slice(start)}` as Hex });
        return { errorName, args: args ?? [] };
      } catch {
        // Not a validator error at this offset.
      }
    }
  }
  return undefined;
}

/** ERC-7579 module type of a validator. */
const MODULE_TYPE_VALIDATOR = 1n;

/**
 * The calls an account sends to open a session: `installModule(validator)` on the account itself (left out
 * when `installValidator` is false, i.e. the SessionKeyValidator is already installed), then
 * `createSession(spec)` on the validator.
 *
 * @example
 * ```ts
 * const calls = sessionSetupCalls({ account: account.address, validator: deployment.sessionKeyValidator, spec });
 * await bundlerClient.sendUserOperation({ account, calls });
 * ```
 */
export function sessionSetupCalls(p: {
  account: Address;
  validator: Address;
  spec: SessionSpec;
  installValidator?: boolean;
}): { to: Address; data: Hex }[] {
  const createSession = {
    to: p.validator,
    // The ABI's tuple types are structurally what normalizeSession returns; viem's inferred readonly/number
    // widths differ only in TypeScript.
    data: encodeFunctionData({
      abi: sessionKeyValidatorAbi,
      functionName: 'createSession',
      args: [p.spec as never],
    }),
  };
  if (p.installValidator === false) return [createSession];
  const install = {
    to: p.account,
    data: encodeFunctionData({
      abi: zkSsoAccountAbi,
      functionName: 'installModule',
      args: [MODULE_TYPE_VALIDATOR, p.validator, '0x'],
    }),
  };
  return [install, createSession];
}
