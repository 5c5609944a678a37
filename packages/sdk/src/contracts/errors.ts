import { zkSsoErrorsAbi } from '@zksso/contracts';
import { decodeErrorResult, type Hex } from 'viem';

/** A decoded zkSSO contract error. */
export interface DecodedContractError {
  errorName: string;
  args: readonly unknown[];
}

/**
 * Finds zkSSO revert data in a bundler error message (EntryPoint `AA23 reverted 0x…`) or in raw revert data,
 * and decodes it. Returns undefined when none is recognised.
 *
 * @example
 * ```ts
 * const decoded = decodeZkSsoRevert(error.message);
 * if (decoded?.errorName === 'RotatedJwk') askForFreshLogin();
 * ```
 */
export function decodeZkSsoRevert(messageOrData: string): DecodedContractError | undefined {
  for (const match of messageOrData.matchAll(/0x[0-9a-fA-F]{8,}/g)) {
    try {
      const { errorName, args } = decodeErrorResult({ abi: zkSsoErrorsAbi, data: match[0] as Hex });
      return { errorName, args: args ?? [] };
    } catch {
      // Not one of ours (an address, a hash, a calldata word): keep looking.
    }
  }
  return undefined;
}
