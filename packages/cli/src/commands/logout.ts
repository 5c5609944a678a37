import type { Command } from '../context.ts';

/**
 * `zksso logout`: forgets the login (and with `--all` the session keys too).
 *
 * @example
 * ```ts
 * await runCli(['logout', '--all']);
 * ```
 */
export const logoutCommand: Command = {
  name: 'logout',
  summary: 'forget the saved login (its ephemeral key); --all also forgets session keys',
  usage: `Usage: zksso logout [--all]

Deletes the saved login and its ephemeral key from the CLI home. The key stays registered on chain until it
expires. Session keys are kept (they work without a login) unless --all is given.

  --all    also delete every saved session key`,
  options: { all: { type: 'boolean' } },
  run: async (ctx) => {
    const loggedOut = ctx.store.removeLogin();
    const sessionsRemoved = ctx.values.all === true ? ctx.store.removeSessions() : 0;
    return {
      json: { loggedOut, sessionsRemoved },
      human: [
        loggedOut ? 'Logged out.' : 'Was not logged in.',
        ...(ctx.values.all === true ? [`${sessionsRemoved} session key(s) deleted.`] : []),
      ],
    };
  },
};
