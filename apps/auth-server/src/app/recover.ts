import type { SendCallsAccount } from '@zksso/sdk';
import type { DappInfo } from '@zksso/sdk/connector';
import type { Address } from 'viem';
import { show } from './dom.ts';
import { describeFailure } from './failure.ts';
import { errorScreen, type RecoveryRow, recoveryScreen, workingScreen } from './screens.ts';
import type { PageContext } from './signin.ts';
import {
  balanceOf,
  chainTime,
  devFund,
  finishRecovery,
  type RecoveryLogin,
  recoverableAccounts,
  startRecovery,
} from './wallet.ts';
import { ethRounded } from './wording.ts';

/** Thrown when the user leaves the recovery screen (back to sign-in). */
export class RecoveryCancelled extends Error {}

/**
 * The recovery of an account whose passkey is lost, after the OpenID sign-in: the accounts that registered
 * the identity (found on chain), then start (the delay runs on chain) and, once it is over, finish; the same
 * sign-in then signs for the recovered account, which is returned (and kept as the login).
 *
 * @example
 * ```ts
 * const account = await recoveryFlow(ctx, await recoveryLoginInWindow(ctx, provider), dapp);
 * ```
 */
export function recoveryFlow(
  ctx: PageContext,
  login: RecoveryLogin,
  dapp?: DappInfo,
): Promise<SendCallsAccount> {
  const { network, config } = ctx;
  return new Promise((resolve, reject) => {
    const act = (text: string, action: () => Promise<void>) => {
      show(workingScreen(text, dapp));
      action().then(render, (error: unknown) =>
        show(
          errorScreen(describeFailure(error), {
            ...(dapp ? { dapp } : {}),
            onRetry: render,
            onClose: render,
            closeLabel: 'Back',
          }),
        ),
      );
    };
    const render = () => {
      void (async () => {
        const [found, now, balance] = await Promise.all([
          recoverableAccounts(network, login),
          chainTime(network),
          balanceOf(network, login.own.address).catch(() => undefined),
        ]);
        const rows: RecoveryRow[] = found.map((f) => ({
          address: f.account,
          readyAt: f.readyAt,
          state: f.readyAt === 0 ? 'none' : f.readyAt <= now ? 'ready' : 'waiting',
        }));
        show(
          recoveryScreen({
            ...(dapp ? { dapp } : {}),
            providerName: login.provider.name,
            rows,
            payer: {
              address: login.own.address,
              balance: balance === undefined ? 'unavailable' : ethRounded(balance, 6),
              ...(config.dev
                ? { onFund: () => act('Adding 1 test ETH…', () => devFund(login.own.address)) }
                : {}),
            },
            onStart: (address) =>
              act('Starting the recovery on chain…', async () => {
                await startRecovery(network, login, address as Address);
              }),
            onFinish: (address) => {
              show(workingScreen('Finishing the recovery on chain…', dapp));
              finishRecovery(network, login, address as Address).then(resolve, (error: unknown) =>
                show(
                  errorScreen(describeFailure(error), {
                    ...(dapp ? { dapp } : {}),
                    onRetry: render,
                    onClose: render,
                    closeLabel: 'Back',
                  }),
                ),
              );
            },
            onRefresh: render,
            onCancel: () => reject(new RecoveryCancelled('back to sign-in')),
          }),
        );
      })().catch((error: unknown) =>
        show(
          errorScreen(describeFailure(error), {
            ...(dapp ? { dapp } : {}),
            onRetry: render,
            onClose: () => reject(new RecoveryCancelled('back to sign-in')),
            closeLabel: 'Back',
          }),
        ),
      );
    };
    render();
  });
}
