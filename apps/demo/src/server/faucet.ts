import { type Address, createPublicClient, createTestClient, http, isAddress } from 'viem';
import { FAUCET_AMOUNT_WEI } from '../shared/config.ts';

/**
 * A refused faucet request: `status` is the HTTP status, `code` machine-readable.
 *
 * @example
 * ```ts
 * throw new FaucetError(400, 'BAD_ADDRESS', 'address must be a 0x address');
 * ```
 */
export class FaucetError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'FaucetError';
  }
}

/**
 * Dev chain only: adds {@link FAUCET_AMOUNT_WEI} to `body.address`'s balance with anvil's
 * `anvil_setBalance` (the account pays its own gas; it need not be deployed) and returns the new balance.
 *
 * @throws FaucetError (400 `BAD_ADDRESS`) when `body` has no address.
 * @example
 * ```ts
 * const balance = await addTestEth('http://127.0.0.1:8545', { address: '0x…' });
 * ```
 */
export async function addTestEth(rpcUrl: string, body: unknown): Promise<bigint> {
  const address = (body as { address?: unknown } | null)?.address;
  if (typeof address !== 'string' || !isAddress(address))
    throw new FaucetError(400, 'BAD_ADDRESS', 'address must be a 0x address');
  const transport = http(rpcUrl);
  const before = await createPublicClient({ transport }).getBalance({ address: address as Address });
  const after = before + FAUCET_AMOUNT_WEI;
  await createTestClient({ mode: 'anvil', transport }).setBalance({
    address: address as Address,
    value: after,
  });
  return after;
}
