import { ZkSsoError } from '@zksso/core';
import { type Address, type Hex, isAddress, isHex } from 'viem';
import type { CommandContext } from '../context.ts';
import { CallRevertedError, CliUsageError } from '../errors.ts';
import { assertDevStack, readPasskeyDevice } from '../passkey-device.ts';
import type { Call, CliSdk, SendResult, ZkLoginSession, ZkSsoNetwork } from '../sdk.ts';
import { parseValue } from '../units.ts';
import { passkeyFromSaved } from './passkey.ts';

/** Options of a command that sends one call. @example `options: { ...CALL_OPTIONS }` */
export const CALL_OPTIONS = {
  to: { type: 'string' },
  value: { type: 'string' },
  data: { type: 'string' },
} as const;

/** Help lines of {@link CALL_OPTIONS}. @example `const usage = ['Usage: zksso send', CALL_HELP].join('\n');` */
export const CALL_HELP = `  --to <address>     the recipient or contract
  --value <amount>   ETH to send: 0.01, 0.01eth, 5gwei, 1000wei (a bare number is ETH); default 0
  --data <hex>       call data (0x…), default none (a plain transfer)`;

/**
 * The call described by `--to`, `--value`, `--data`.
 *
 * @throws CliUsageError for a missing or malformed flag.
 * @example
 * ```ts
 * callFromFlags({ to: '0x1111111111111111111111111111111111111111', value: '0.01' });
 * ```
 */
export function callFromFlags(values: Record<string, string | boolean | undefined>): Call {
  const to = values.to;
  if (typeof to !== 'string') throw new CliUsageError('--to <address> is required', { option: '--to' });
  if (!isAddress(to))
    throw new CliUsageError(`--to: "${to}" is not an address`, { option: '--to', value: to });
  const value = typeof values.value === 'string' ? parseValue(values.value, '--value') : 0n;
  const data = values.data;
  if (
    data !== undefined &&
    (typeof data !== 'string' || !isHex(data, { strict: true }) || data.length % 2 !== 0)
  ) {
    throw new CliUsageError('--data must be 0x-prefixed hex bytes', { option: '--data' });
  }
  return { to: to as Address, value, ...(data ? { data: data as Hex } : {}) };
}

/**
 * The login's chain must be the network's (a restarted dev stack keeps chain id 31337, so this only catches
 * a login made for another network).
 *
 * @throws ZkSsoError `WRONG_CHAIN` (exit code 4).
 * @example
 * ```ts
 * assertSameChain(network, login.session.chainId, 'login');
 * ```
 */
export function assertSameChain(network: ZkSsoNetwork, chainId: number, where: 'login' | 'session'): void {
  if (network.chainId !== chainId) {
    throw new ZkSsoError(
      'WRONG_CHAIN',
      `the saved ${where} is for chain ${chainId}, the network is chain ${network.chainId}`,
      {
        details: { expected: chainId, actual: network.chainId, where },
      },
    );
  }
}

/**
 * The logged-in account, rebuilt from the saved login (no token, no salt, no proof).
 *
 * @example
 * ```ts
 * const { sdk, network, account, session } = await loggedInAccount(ctx);
 * ```
 */
export async function loggedInAccount(
  ctx: CommandContext,
): Promise<{ sdk: CliSdk; network: ZkSsoNetwork; account: unknown; session: ZkLoginSession }> {
  const { session, passkey } = ctx.login();
  const network = await ctx.network();
  assertSameChain(network, session.chainId, 'login');
  const sdk = await ctx.sdk();
  if (passkey) {
    // A `zksso passkey` login (dev stack only): the software authenticator signs each operation.
    assertDevStack(network, 'send with a passkey');
    const saved = readPasskeyDevice(ctx.store);
    const account = await sdk.restorePasskeyAccount({
      network,
      passkey: passkeyFromSaved(passkey),
      authenticator: sdk.createSoftwareAuthenticator({
        origin: saved.origin,
        credentials: saved.credentials,
      }),
      address: session.address,
    });
    return { sdk, network, account, session };
  }
  const account = await sdk.restoreZkLoginAccount({ network, session });
  return { sdk, network, account, session };
}

/**
 * Fails with {@link CallRevertedError} (exit code 4) when the operation was included but its call reverted.
 *
 * @example
 * ```ts
 * assertSucceeded(await sdk.sendCalls(p));
 * ```
 */
export function assertSucceeded<R extends SendResult>(result: R): R {
  if (!result.success) throw new CallRevertedError(result.userOpHash, result.transactionHash);
  return result;
}

/**
 * What `send` and `session send` print about a sent call: the JSON fields and the human table rows they
 * share (each command adds its own).
 *
 * @example
 * ```ts
 * const { json, rows } = describeSentCall(session.address, call, result);
 * ```
 */
export function describeSentCall(
  from: string,
  call: Call,
  result: SendResult,
): { json: Record<string, unknown>; rows: [string, string][] } {
  return {
    json: {
      from,
      to: call.to,
      value: call.value ?? 0n,
      ...(call.data ? { data: call.data } : {}),
      userOpHash: result.userOpHash,
      transactionHash: result.transactionHash,
    },
    rows: [
      ['from', from],
      ['transaction', result.transactionHash],
      ['user operation', result.userOpHash],
    ],
  };
}
