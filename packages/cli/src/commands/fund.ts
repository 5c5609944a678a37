import { createPublicClient, createTestClient, http } from 'viem';
import type { Command } from '../context.ts';
import { CliUsageError } from '../errors.ts';
import { table } from '../output.ts';
import { formatEth, parseValue } from '../units.ts';

/** What `zksso fund` adds when `--value` is not given. */
const DEFAULT_FUNDING = 10n ** 18n;

/**
 * `zksso fund`: tops up the logged-in account on the DEV chain (anvil's `anvil_setBalance`), so that it can pay
 * for its own user operations. Refused on any network that is not a dev stack.
 *
 * @example
 * ```ts
 * await runCli(['fund', '--value', '1']); // the account now holds 1 ETH more
 * ```
 */
export const fundCommand: Command = {
  name: 'fund',
  summary: 'dev stack only: give the logged-in account test ETH',
  usage: `Usage: zksso fund [--value <amount>]

Dev stack only: adds test ETH to the logged-in account's balance (anvil_setBalance on the local chain), so that
the account can pay for its operations. The account need not be deployed yet. Refused (exit code 2) on a
network that is not a dev stack; on a real chain, send ETH to \`zksso address\` from any wallet.

  --value <amount>   how much to add: 1, 0.5eth, 5gwei, 1000wei (a bare number is ETH); default 1`,
  options: { value: { type: 'string' } },
  run: async (ctx) => {
    const value =
      typeof ctx.values.value === 'string' ? parseValue(ctx.values.value, '--value') : DEFAULT_FUNDING;
    const { session } = ctx.login();
    const network = await ctx.network();
    if (!network.devIssuer) {
      throw new CliUsageError('zksso fund works on the dev stack only: send ETH to `zksso address` instead');
    }
    const transport = http(network.rpcUrl);
    const address = session.address;
    const before = await createPublicClient({ transport }).getBalance({ address });
    await createTestClient({ mode: 'anvil', transport }).setBalance({ address, value: before + value });
    ctx.progress('fund', `added ${formatEth(value)} to ${address}`);
    return {
      json: { address, added: value, balance: before + value },
      human: [`Added ${formatEth(value)} to ${address}.`, ...table([['balance', formatEth(before + value)]])],
    };
  },
};
