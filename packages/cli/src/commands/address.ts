import type { Command } from '../context.ts';
import { table } from '../output.ts';
import { formatDuration } from '../units.ts';

/**
 * `zksso address`: the logged-in account's address (no network needed).
 *
 * @example
 * ```ts
 * await runCli(['address', '--json']); // {"address":"0x…",…}
 * ```
 */
export const addressCommand: Command = {
  name: 'address',
  summary: "print the logged-in account's address",
  usage: `Usage: zksso address

Prints the address of the logged-in account and when its login (ephemeral key) expires. Reads only the
saved login: no network access. Exit code 3 when not logged in or the login has expired.`,
  options: {},
  run: async (ctx) => {
    const { session, user, passkey } = ctx.login();
    if (passkey) {
      return {
        json: {
          address: session.address,
          chainId: session.chainId,
          passkey: passkey.credentialId,
          devOnly: true,
        },
        human: [
          session.address,
          ...table([['signed by', `a software passkey (${passkey.credentialId}; dev stack only)`]]),
        ],
      };
    }
    const expiry = Number(session.expiry);
    return {
      json: {
        address: session.address,
        chainId: session.chainId,
        issuer: session.issuer,
        ...(user ? { user } : {}),
        expiry,
        expiresAt: new Date(expiry * 1000).toISOString(),
      },
      human: [
        session.address,
        ...table([
          ['issuer', `${session.issuer}${user ? ` (${user})` : ''}`],
          [
            'key expires',
            `${new Date(expiry * 1000).toISOString()} (in ${formatDuration(expiry - ctx.nowSeconds())})`,
          ],
        ]),
      ],
    };
  },
};
