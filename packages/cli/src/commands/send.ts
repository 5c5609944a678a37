import type { Command } from '../context.ts';
import { table } from '../output.ts';
import { formatEth } from '../units.ts';
import {
  assertSucceeded,
  CALL_HELP,
  CALL_OPTIONS,
  callFromFlags,
  describeSentCall,
  loggedInAccount,
} from './shared.ts';

/**
 * `zksso send`: one call from the logged-in account, signed with its ephemeral key.
 *
 * @example
 * ```ts
 * await runCli(['send', '--to', '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', '--value', '0.01']);
 * ```
 */
export const sendCommand: Command = {
  name: 'send',
  summary: 'send ETH or a call from the logged-in account',
  usage: `Usage: zksso send --to <address> [--value <amount>] [--data <hex>]

Sends one call from the logged-in account through the bundler and waits for it to be included. The first
operation deploys the account and registers the ephemeral key with the login's proof (signature mode
"prove"); later ones are signed with the key alone (mode "key"). No new proof is ever made here.

${CALL_HELP}`,
  options: { ...CALL_OPTIONS },
  run: async (ctx) => {
    const call = callFromFlags(ctx.values);
    const { sdk, network, account, session } = await loggedInAccount(ctx);
    ctx.progress('send', `sending ${formatEth(call.value ?? 0n)} to ${call.to} from ${session.address}`);
    const result = assertSucceeded(await sdk.sendCalls({ network, account, calls: [call] }));
    // The SDK says how it signed: no need to fetch the operation back from the bundler.
    const signatureMode = result.signatureMode;
    const sent = describeSentCall(session.address, call, result);
    return {
      json: { ...sent.json, signatureMode },
      human: [
        `Sent ${formatEth(call.value ?? 0n)} to ${call.to}.`,
        ...table([
          ...sent.rows,
          [
            'signed with',
            signatureMode === 'prove'
              ? 'the proof (first use: key registered)'
              : signatureMode === 'key'
                ? 'the registered ephemeral key'
                : 'a passkey',
          ],
        ]),
      ],
    };
  },
};
