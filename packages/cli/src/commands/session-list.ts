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
each with its status on chain (active, expired, revoked, not-found) and every limit: the limit, what is used
and remaining, and for allowances when the period resets.

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
    const sessions: ({ sessionHash: string; account: string; revokedLocallyAt?: number } & SessionState)[] =
      [];
    for (const s of saved) {
      const state =
        s.record.chainId === network.chainId && sdk
          ? await sdk.getSessionState({ network, session: s.record })
          : { status: 'not-found' as const, expiresAt: recordExpiresAt(s.record), limits: [] };
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
            ...s.limits.map((limit) => `  ${describeLimit(limit, now)}`),
          ]);
    return { json: { account: login?.session.address, sessions }, human };
  },
};
