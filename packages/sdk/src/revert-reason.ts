import { sessionKeyValidatorAbi, zkSsoErrorsAbi } from '@zksso/contracts';
import { type Abi, decodeErrorResult, type Hex, isHex, parseAbi, size, slice } from 'viem';
import type { RevertKind } from './errors.ts';

/**
 * Errors of the token standards' reference implementations (OpenZeppelin's ERC-6093 errors and SafeERC20):
 * the reverts an app's calls meet most often besides zkSSO's own.
 *
 * @example
 * ```ts
 * decodeErrorResult({ abi: tokenErrorsAbi, data }); // ERC20InsufficientBalance(...)
 * ```
 */
export const tokenErrorsAbi = parseAbi([
  'error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)',
  'error ERC20InvalidSender(address sender)',
  'error ERC20InvalidReceiver(address receiver)',
  'error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)',
  'error ERC20InvalidApprover(address approver)',
  'error ERC20InvalidSpender(address spender)',
  'error ERC721InvalidOwner(address owner)',
  'error ERC721NonexistentToken(uint256 tokenId)',
  'error ERC721IncorrectOwner(address sender, uint256 tokenId, address owner)',
  'error ERC721InvalidSender(address sender)',
  'error ERC721InvalidReceiver(address receiver)',
  'error ERC721InsufficientApproval(address operator, uint256 tokenId)',
  'error ERC1155InsufficientBalance(address sender, uint256 balance, uint256 needed, uint256 tokenId)',
  'error ERC1155MissingApprovalForAll(address operator, address owner)',
  'error SafeERC20FailedOperation(address token)',
]);

/** What Solidity's panic codes mean (`Panic(uint256)`). */
const PANIC_REASONS: Readonly<Record<number, string>> = {
  1: 'an assert failed',
  17: 'arithmetic overflow or underflow',
  18: 'division or modulo by zero',
  33: 'an invalid enum value',
  34: 'a corrupt storage byte array',
  49: 'pop on an empty array',
  50: 'an array index out of bounds',
  65: 'out of memory',
  81: 'a call to an uninitialised function',
};

/** A revert, decoded. */
export interface RevertReason {
  kind: Exclude<RevertKind, 'insufficient-balance'>;
  /** In words: the string, `Name(arg=value, …)`, the panic, or why there is none. */
  reason: string;
  errorName?: string;
  args?: string[];
  data: Hex;
}

/**
 * Decodes revert data: `Error(string)`, `Panic(uint256)`, a custom error of zkSSO's contracts, of the token
 * standards ({@link tokenErrorsAbi}) or of `abi` (the app's own contracts); else says what it could not read.
 *
 * @example
 * ```ts
 * decodeRevertReason('0x08c379a0…'); // { kind: 'revert-string', reason: 'not enough stock', … }
 * decodeRevertReason('0x'); // { kind: 'no-reason', reason: 'it reverted without a reason', … }
 * ```
 */
export function decodeRevertReason(data: Hex | undefined, abi: Abi = []): RevertReason {
  const raw = data && isHex(data) ? data : '0x';
  if (size(raw) < 4) {
    return {
      kind: 'no-reason',
      reason:
        'it reverted without a reason (e.g. ETH sent to a contract that does not accept it, or a require without a message)',
      data: raw,
    };
  }
  const known = [...abi, ...zkSsoErrorsAbi, ...sessionKeyValidatorAbi, ...tokenErrorsAbi] as Abi;
  try {
    const { errorName, args = [], abiItem } = decodeErrorResult({ abi: known, data: raw });
    if (errorName === 'Error') {
      return { kind: 'revert-string', reason: `"${String(args[0])}"`, data: raw };
    }
    if (errorName === 'Panic') {
      const code = Number(args[0]);
      return {
        kind: 'panic',
        reason: `panic 0x${code.toString(16).padStart(2, '0')}: ${PANIC_REASONS[code] ?? 'an unknown panic code'}`,
        errorName,
        args: [String(args[0])],
        data: raw,
      };
    }
    const inputs = (abiItem as { inputs?: readonly { name?: string }[] }).inputs ?? [];
    const shown = args.map((value, i) => `${inputs[i]?.name || `arg${i}`}=${String(value)}`);
    return {
      kind: 'custom-error',
      reason: `${errorName}(${shown.join(', ')})`,
      errorName,
      args: args.map(String),
      data: raw,
    };
  } catch {
    return {
      kind: 'custom-error',
      reason: `a custom error ${slice(raw, 0, 4)} not in the known ABIs (pass the contract's ABI as errorAbi to decode it)`,
      data: raw,
    };
  }
}
