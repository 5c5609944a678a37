import type { Hex } from 'viem';
import type { Command } from '../context.ts';
import { CliUsageError } from '../errors.ts';
import { table } from '../output.ts';
import { findSession } from './session-shared.ts';
import { loggedInAccount } from './shared.ts';

/**
 * `zksso session revoke <hash>`: closes a session on chain (sent by the logged-in account).
 *
 * @example
 * ```ts
 * await runCli(['session', 'revoke', '0x1234']);
 * ```
 */
export const sessionRevokeCommand: Command = {
  name: 'session revoke',
  summary: 'revoke a session on chain',
  usage: `Usage: zksso session revoke <session-hash>

Revokes the session on chain (SessionKeyValidator.revokeKey, sent by the logged-in account): its key is
refused from then on (SESSION_NOT_ACTIVE). The hash may be a unique prefix of a saved session's hash. The
saved key is kept, marked revoked, so \`zksso session list\` still shows it.`,
  options: {},
  positionals: { min: 1, max: 1 },
  run: async (ctx) => {
    const saved = findSession(ctx.store, ctx.positionals[0] as string);
    const { sdk, network, account, session } = await loggedInAccount(ctx);
    if (saved.record.account.toLowerCase() !== session.address.toLowerCase()) {
      throw new CliUsageError(
        `session ${saved.record.sessionHash} belongs to ${saved.record.account}, not to the logged-in ${session.address}`,
        { session: saved.record.sessionHash },
      );
    }
    const sessionHash = saved.record.sessionHash as Hex;
    ctx.progress('revoke', `revoking session ${sessionHash}`);
    const { transactionHash } = await sdk.revokeSession({ network, account, sessionHash });
    ctx.store.writeSession({ ...saved, revokedAt: ctx.nowSeconds() });
    return {
      json: { sessionHash, account: saved.record.account, revoked: true, transactionHash },
      human: [`Session ${sessionHash} revoked.`, ...table([['transaction', transactionHash]])],
    };
  },
};
