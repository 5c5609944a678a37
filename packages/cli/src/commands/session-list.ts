import type { Command } from '../context.ts';
import type { SessionRecord, SessionState } from '../sdk.ts';
import { describeLimit, recordExpiresAt } from './session-shared.ts';

/**
 * `zksso session list`: the saved sessions with their on-chain status and usage.
 *
 * @example
 * ```ts
 * await runCli(['session', 'list', '--json']);
 * ```
 */
export const sessionListCommand: Command = {
  name: 'session list',
  summary: 'list saved sessions with status, used, remaining and reset times',
  usage: `Usage: zksso session list [--all]

Lists the saved sessions of the logged-in account (all saved sessions when not logged in, or with --all),
each with its status on chain (active, expired, revoked, not-found; chain-reset when the chain was started
afresh since the session was made) and every limit: the limit, what is used and remaining, and for
allowances when the period resets.

  --all   every saved session, of any account and chain`,
  options: { all: { type: 'boolean' } },
  run: async (ctx) => {
    const network = await ctx.network();
    const login = ctx.values.all === true ? undefined : ctx.store.readLogin<{ address: string }>();
    const saved = ctx.store
      .listSessions<SessionRecord>()
      .filter(
        (s) =>
          ctx.values.all === true ||
          (s.record.chainId === network.chainId &&
            (login === undefined || s.record.account.toLowerCase() === login.session.address.toLowerCase())),
      )
      .sort((a, b) => a.record.createdAt - b.record.createdAt);
    const sdk = saved.length > 0 ? await ctx.sdk() : undefined;
    const now = ctx.nowSeconds();
    type Listed = Omit<SessionState, 'status'> & { status: SessionState['status'] | 'chain-reset' };
    const sessions: ({ sessionHash: string; account: string; revokedLocallyAt?: number } & Listed)[] = [];
    const offChain = (record: SessionRecord, status: Listed['status']): Listed => ({
      status,
      expiresAt: recordExpiresAt(record),
      limits: [],
    });
    for (const s of saved) {
      let state: Listed;
      if (s.record.chainId !== network.chainId || !sdk) {
        state = offChain(s.record, 'not-found');
      } else {
        try {
          state = await sdk.getSessionState({ network, session: s.record });
        } catch (error) {
          // A session of a chain that was reset has no state to show: say so rather than "not-found".
          if ((error as { code?: unknown }).code !== 'CHAIN_CHANGED') throw error;
          state = offChain(s.record, 'chain-reset');
        }
      }
      sessions.push({
        sessionHash: s.record.sessionHash,
        account: s.record.account,
        ...(s.revokedAt !== undefined ? { revokedLocallyAt: s.revokedAt } : {}),
        ...state,
      });
    }
    const human =
      sessions.length === 0
        ? ['No saved sessions. Create one with `zksso session create`.']
        : sessions.flatMap((s) => [
            `${s.sessionHash}  ${s.status}  expires ${new Date(s.expiresAt * 1000).toISOString()}  account ${s.account}`,
            ...(s.status === 'chain-reset'
              ? [
                  '  the chain was reset since this session was made: it no longer exists (zksso logout --all forgets it)',
                ]
              : s.limits.map((limit) => `  ${describeLimit(limit, now)}`)),
          ]);
    return { json: { account: login?.session.address, sessions }, human };
  },
};
