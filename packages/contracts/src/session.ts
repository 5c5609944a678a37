import { type SessionSpec, sessionSpecAbi } from '@zksso/core';
import {
  type Abi,
  type Address,
  decodeErrorResult,
  encodeAbiParameters,
  encodeFunctionData,
  type Hex,
  parseAbi,
} from 'viem';

// SessionKeyValidator's user-operation signature and errors (docs/contracts.md §7), usable without forge
// artifacts: the SDK runs where `out/` was never built. `session.test.ts` checks this ABI against the artifact.

/**
 * The SessionKeyValidator functions an app or SDK calls, its views' structs, and all its errors (from
 * `SessionLib`), as a typed viem ABI.
 *
 * @example
 * ```ts
 * const status = await publicClient.readContract({ address: validator, abi: sessionKeyValidatorAbi, functionName: 'sessionStatus', args: [account, hash] });
 * ```
 */
export const sessionKeyValidatorAbi = parseAbi([
  'struct UsageLimit { uint8 limitType; uint256 limit; uint48 period; }',
  'struct Constraint { uint8 condition; uint64 index; bytes32 refValue; UsageLimit limit; }',
  'struct CallSpec { address target; bytes4 selector; uint256 maxValuePerUse; UsageLimit valueLimit; Constraint[] constraints; }',
  'struct TransferSpec { address target; uint256 maxValuePerUse; UsageLimit valueLimit; }',
  'struct SessionSpec { address signer; uint48 expiresAt; UsageLimit feeLimit; CallSpec[] callPolicies; TransferSpec[] transferPolicies; }',
  'struct LimitState { uint8 kind; uint256 policyIndex; uint256 constraintIndex; address target; bytes4 selector; uint8 limitType; uint256 limit; uint256 used; uint256 remaining; uint48 periodStart; uint48 resetsAt; }',
  'struct SessionState { uint8 status; uint48 expiresAt; LimitState fee; LimitState[] transferValue; LimitState[] callValue; LimitState[] constraints; }',
  'function createSession(SessionSpec spec)',
  'function revokeKey(bytes32 sessionHash)',
  'function revokeKeys(bytes32[] sessionHashes)',
  'function sessionStatus(address account, bytes32 sessionHash) view returns (uint8)',
  'function sessionState(address account, SessionSpec spec) view returns (SessionState)',
  'function sessionStateAt(address account, SessionSpec spec, uint48 time) view returns (SessionState)',
  'function signerSession(address signer, address account) view returns (bytes32)',
  'function isInitialized(address smartAccount) view returns (bool)',
  'error AlreadyInitialized(address smartAccount)',
  'error CallDataTooShort(uint256 callIndex, uint256 length, uint256 needed)',
  'error CallPolicyNotFound(uint256 callIndex, address target, bytes4 selector)',
  'error CallTargetBanned(uint256 callIndex, address target)',
  'error ConstraintViolated(uint256 callIndex, uint256 policyIndex, uint256 constraintIndex, bytes32 param, bytes32 refValue, uint8 condition)',
  'error ExecutionDecodingError()',
  'error InvalidLimitPeriod(uint8 kind, uint256 policyIndex, uint256 constraintIndex)',
  'error MaxValuePerUseExceeded(uint256 callIndex, uint256 value, uint256 maxValuePerUse)',
  'error NotAnExecuteCall(bytes4 selector)',
  'error NotInitialized(address smartAccount)',
  'error PolicyTargetBanned(address target, bytes4 selector)',
  'error SessionAlreadyExists(bytes32 sessionHash)',
  'error SessionExpired(bytes32 sessionHash, uint48 expiresAt, uint48 validAt)',
  'error SessionExpiresTooSoon(uint48 expiresAt, uint256 minimum)',
  'error SessionLimitExceeded(bytes32 sessionHash, uint8 kind, uint256 callIndex, uint256 policyIndex, uint256 constraintIndex, uint256 requested, uint256 remaining, uint256 resetsAt)',
  'error SessionNotActive(bytes32 sessionHash, uint8 status)',
  'error SignerAlreadyUsed(address signer)',
  'error TransferPolicyNotFound(uint256 callIndex, address target)',
  'error UnlimitedFees()',
  'error UnsupportedExecutionMode(bytes32 mode)',
  'error ZeroSigner()',
]);

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
 * raw revert data and decodes it with `abi` (default {@link sessionKeyValidatorAbi}). Returns undefined when
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
const installModuleAbi = parseAbi([
  'function installModule(uint256 moduleTypeId, address module, bytes initData)',
]);

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
      abi: installModuleAbi,
      functionName: 'installModule',
      args: [MODULE_TYPE_VALIDATOR, p.validator, '0x'],
    }),
  };
  return [install, createSession];
}
