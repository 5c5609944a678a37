import { readFileSync } from 'node:fs';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Command } from '../context.ts';
import { CliUsageError } from '../errors.ts';
import { table } from '../output.ts';
import {
  checkPolicy,
  feeLimitFrom,
  type PolicyFlags,
  sessionInputFromFile,
  sessionInputFromFlags,
} from '../policy.ts';
import { loggedInAccount } from './shared.ts';

const FLAG_NAMES = ['to', 'max-per-tx', 'allowance', 'lifetime'] as const;

/**
 * `zksso session create`: a limited session key for the logged-in account.
 *
 * @example
 * ```ts
 * await runCli(['session', 'create', '--to', shop, '--allowance', '0.01/1h', '--json']);
 * ```
 */
export const sessionCreateCommand: Command = {
  name: 'session create',
  summary: 'create a limited session key (from a policy file or flags)',
  usage: `Usage: zksso session create --policy <file.json> [--expires-in <dur>]
       zksso session create --to <address> (--allowance <value>/<period> | --lifetime <value> | --max-per-tx <value>)
                            [--max-per-tx <value>] [--fee-limit <value>[/<period>]] [--expires-in <dur>]

Makes a fresh session key, registers its policy on chain (SessionKeyValidator.createSession, sent by the
logged-in account) and saves the key. The chain then lets the key send only what the policy allows.

  --policy <file>        a JSON SessionInput (ZKsync SSO's developer interface) without "signer"; amounts
                         as wei digits or "0.01 eth"; periods as seconds or "1 day"; optional expiresIn
  --to <address>         transfer target of a one-policy session
  --max-per-tx <value>   most ETH per transaction
  --allowance <v>/<p>    at most v ETH per period p (e.g. 0.01/60s, 0.5eth/1d); resets every period
  --lifetime <value>     at most this much ETH in total
  --fee-limit <v>[/<p>]  fees the session may pay, default 0.1 ETH in total (fees count at their maximum)
  --expires-in <dur>     session lifetime, default 1d; more than 60 s (the validator's minimum: 61s passes
                         the local check, a few minutes leaves room for the operation to be included)`,
  options: {
    policy: { type: 'string' },
    to: { type: 'string' },
    'max-per-tx': { type: 'string' },
    allowance: { type: 'string' },
    lifetime: { type: 'string' },
    'fee-limit': { type: 'string' },
    'expires-in': { type: 'string' },
  },
  run: async (ctx) => {
    const v = ctx.values as Record<string, string | undefined>;
    const sessionPrivateKey = generatePrivateKey();
    const signer = privateKeyToAccount(sessionPrivateKey).address;
    const now = ctx.nowSeconds();
    let policy: ReturnType<typeof sessionInputFromFlags>;
    if (v.policy !== undefined) {
      const used = FLAG_NAMES.filter((name) => v[name] !== undefined);
      if (used.length > 0) {
        throw new CliUsageError(`--policy cannot be combined with --${used.join(', --')}`, {
          option: '--policy',
        });
      }
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(v.policy, 'utf8'));
      } catch (error) {
        throw new CliUsageError(`--policy ${v.policy}: ${(error as Error).message}`, { option: '--policy' });
      }
      policy = sessionInputFromFile(json, {
        signer,
        now,
        ...(v['expires-in'] ? { expiresIn: v['expires-in'] } : {}),
      });
      if (v['fee-limit'] !== undefined) {
        policy.feeLimit = feeLimitFrom(v['fee-limit']);
      }
    } else {
      const flags: PolicyFlags = {
        ...(v.to !== undefined ? { to: v.to } : {}),
        ...(v['max-per-tx'] !== undefined ? { maxPerTx: v['max-per-tx'] } : {}),
        ...(v.allowance !== undefined ? { allowance: v.allowance } : {}),
        ...(v.lifetime !== undefined ? { lifetime: v.lifetime } : {}),
        ...(v['fee-limit'] !== undefined ? { feeLimit: v['fee-limit'] } : {}),
        ...(v['expires-in'] !== undefined ? { expiresIn: v['expires-in'] } : {}),
      };
      policy = sessionInputFromFlags(flags, { signer, now });
    }
    // The chain's rules, checked here first: a mistake costs no operation.
    const spec = checkPolicy(policy, now);

    const { sdk, network, account, session } = await loggedInAccount(ctx);
    ctx.progress('session', `creating the session on chain for ${session.address}`);
    const { session: record, transactionHash } = await sdk.createSession({
      network,
      account,
      policy,
      sessionPrivateKey,
    });
    ctx.store.writeSession({ version: 1, record });
    const expiresAt = Number(spec.expiresAt);
    return {
      json: {
        sessionHash: record.sessionHash,
        account: record.account,
        signer,
        expiresAt,
        spec,
        transactionHash,
      },
      human: [
        `Session created: ${record.sessionHash}`,
        ...table([
          ['account', record.account],
          ['session key', `${signer} (saved)`],
          ['expires', new Date(expiresAt * 1000).toISOString()],
          ['transaction', transactionHash],
        ]),
        'See its limits with `zksso session list`; send with `zksso session send`.',
      ],
    };
  },
};
