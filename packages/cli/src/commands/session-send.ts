import type { Command } from '../context.ts';
import { table } from '../output.ts';
import { formatEth } from '../units.ts';
import { assertSavedSessionUsable, defaultSession, findSession } from './session-shared.ts';
import {
  assertSameChain,
  assertSucceeded,
  CALL_HELP,
  CALL_OPTIONS,
  callFromFlags,
  describeSentCall,
} from './shared.ts';

/**
 * `zksso session send`: one call signed with a saved session key (no login needed).
 *
 * @example
 * ```ts
 * await runCli(['session', 'send', '--to', shop, '--value', '0.001']);
 * ```
 */
export const sessionSendCommand: Command = {
  name: 'session send',
  summary: 'send ETH or a call with a session key, within its limits',
  usage: `Usage: zksso session send --to <address> [--value <amount>] [--data <hex>] [--session <hash>]

Sends one call from the session's account, signed with the saved session key. The chain checks it against
the session's policy: over a limit the operation is refused (exit code 4, error SESSION_LIMIT_EXCEEDED with
the limit, what remains and when an allowance resets); a revoked or expired session gives SESSION_NOT_ACTIVE
(exit code 4; checked here first for sessions revoked with \`zksso session revoke\` or past their expiry).
Calls that would revert, or more than the account holds, are refused before sending (CALL_WOULD_REVERT).

${CALL_HELP}
  --session <hash>   the session (full hash or a unique prefix); default the newest usable saved session`,
  options: { ...CALL_OPTIONS, session: { type: 'string' } },
  run: async (ctx) => {
    const call = callFromFlags(ctx.values);
    const network = await ctx.network();
    const hash = ctx.values.session as string | undefined;
    let saved: ReturnType<typeof findSession>;
    if (hash !== undefined) {
      saved = findSession(ctx.store, hash);
      assertSavedSessionUsable(saved, ctx.nowSeconds());
    } else {
      // Logged in or not: a session key works alone; a login only narrows the default to its account.
      const login = ctx.store.readLogin<{ address: string }>();
      saved = defaultSession(ctx.store, {
        chainId: network.chainId,
        account: login?.session.address,
        now: ctx.nowSeconds(),
      });
    }
    const session = saved.record;
    assertSameChain(network, session.chainId, 'session');
    const sdk = await ctx.sdk();
    ctx.progress(
      'send',
      `sending ${formatEth(call.value ?? 0n)} to ${call.to} with session ${session.sessionHash}`,
    );
    const result = assertSucceeded(await sdk.sendSessionCalls({ network, session, calls: [call] }));
    const sent = describeSentCall(session.account, call, result);
    return {
      json: { sessionHash: session.sessionHash, ...sent.json },
      human: [
        `Sent ${formatEth(call.value ?? 0n)} to ${call.to} with session ${session.sessionHash}.`,
        ...table(sent.rows),
      ],
    };
  },
};
