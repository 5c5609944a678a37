import type { SendCallsAccount } from '@zksso/sdk';
import { type DappInfo, UserRejectedRequestError } from '@zksso/sdk/connector';
import type { AppConfig, ProviderConfig } from '../shared/config.ts';
import { show } from './dom.ts';
import { describeFailure } from './failure.ts';
import { IdpError, idTokenInWindow, openIdpWindow, reopenIdpWindow } from './openid.ts';
import { RecoveryCancelled, recoveryFlow } from './recover.ts';
import { errorScreen, idpWaitScreen, progressScreen, signInScreen, workingScreen } from './screens.ts';
import {
  type LoginStep,
  loginWithOpenId,
  type PageNetwork,
  proveOpenIdIdentity,
  recoveryLogin,
  signInWithPasskey,
  signUpWithPasskey,
} from './wallet.ts';

/** What the sign-in flows need from the page. */
export interface PageContext {
  config: AppConfig;
  network: PageNetwork;
  origin: string;
  rpId: string;
}

/** Typical proof time shown as the estimate (the dev stack's smallest tier with the native prover). */
const PROOF_ESTIMATE_SECONDS = 15;

export function passkeysAvailable(): boolean {
  return !!globalThis.isSecureContext && typeof PublicKeyCredential !== 'undefined';
}

/**
 * Runs an OpenID login in the provider's child window, with the wait and progress screens. Must be called
 * from the click (the window opens at once). `prove` picks what to do with the token: a login, or only an
 * identity (recovery).
 */
async function withIdp<T>(
  ctx: PageContext,
  provider: ProviderConfig,
  dapp: DappInfo | undefined,
  run: (getIdToken: (nonce: string) => Promise<string>, onProgress: (step: LoginStep) => void) => Promise<T>,
): Promise<T> {
  const child = openIdpWindow();
  const abort = new AbortController();
  let url = '';
  show(
    idpWaitScreen({
      provider,
      ...(dapp ? { dapp } : {}),
      onReopen: () => {
        try {
          if (url) reopenIdpWindow(url);
        } catch (error) {
          show(
            errorScreen(describeFailure(error), { ...(dapp ? { dapp } : {}), onClose: () => abort.abort() }),
          );
        }
      },
      onCancel: () => abort.abort(),
    }),
  );
  const progress = progressScreen({ ...(dapp ? { dapp } : {}), estimateSeconds: PROOF_ESTIMATE_SECONDS });
  const getIdToken = async (nonce: string) => {
    const token = await idTokenInWindow({
      child,
      provider,
      nonce,
      origin: ctx.origin,
      signal: abort.signal,
      onUrl: (u) => {
        url = u;
      },
    });
    show(progress.element);
    progress.update('salt');
    return token;
  };
  try {
    return await run(getIdToken, (step) => {
      if (step !== 'token') progress.update(step);
    });
  } finally {
    try {
      child.close();
    } catch {}
  }
}

/**
 * Shows the sign-in screen until the user is signed in (OpenID, passkey sign-up or sign-in), with a clear
 * error screen and "Try again" for each failure. Rejects with 4001 when the user cancels.
 *
 * @example
 * ```ts
 * const account = await signIn(ctx, request.dapp, request.method);
 * ```
 */
export function signIn(
  ctx: PageContext,
  dapp?: DappInfo,
  method?: string,
  cancellable = true,
): Promise<SendCallsAccount> {
  return new Promise((resolve, reject) => {
    const attempt = (run: () => Promise<SendCallsAccount>) => {
      run().then(resolve, (error: unknown) => {
        if (error instanceof IdpError && error.code === 'CANCELLED') return home();
        if (error instanceof RecoveryCancelled) return home();
        show(
          errorScreen(describeFailure(error), {
            ...(dapp ? { dapp } : {}),
            onRetry: home,
            onClose: cancellable
              ? () => reject(new UserRejectedRequestError('The user closed the sign-in'))
              : home,
            closeLabel: cancellable ? 'Cancel' : 'Back',
          }),
        );
      });
    };
    const home = () =>
      show(
        signInScreen({
          ...(dapp ? { dapp } : {}),
          ...(method ? { method } : {}),
          providers: ctx.config.providers,
          walletName: ctx.config.walletName,
          passkeys: passkeysAvailable(),
          handlers: {
            onOpenId: (provider) =>
              attempt(() =>
                withIdp(ctx, provider, dapp, (getIdToken, onProgress) =>
                  loginWithOpenId({ network: ctx.network, provider, getIdToken, onProgress }),
                ),
              ),
            onPasskeySignUp: (name) =>
              attempt(() => {
                show(workingScreen('Follow your browser to create the passkey…', dapp));
                return signUpWithPasskey({ network: ctx.network, rpId: ctx.rpId, name });
              }),
            onPasskeySignIn: () =>
              attempt(() => {
                show(workingScreen('Follow your browser to use your passkey…', dapp));
                return signInWithPasskey({ network: ctx.network, rpId: ctx.rpId });
              }),
            ...(ctx.network.recoveryModule
              ? {
                  onRecover: (provider: ProviderConfig) =>
                    attempt(async () => {
                      const login = await withIdp(ctx, provider, dapp, (getIdToken, onProgress) =>
                        recoveryLogin({ network: ctx.network, provider, getIdToken, onProgress }),
                      );
                      return recoveryFlow(ctx, login, dapp);
                    }),
                }
              : {}),
            ...(cancellable
              ? { onCancel: () => reject(new UserRejectedRequestError('The user cancelled the sign-in')) }
              : {}),
          },
        }),
      );
    home();
  });
}

/** An OpenID identity (issHash, idc) proved in the provider's window, for adding it as recovery. */
export function proveIdentity(
  ctx: PageContext,
  provider: ProviderConfig,
): Promise<{ issHash: bigint; idc: bigint; issuer: string }> {
  return withIdp(ctx, provider, undefined, (getIdToken, onProgress) =>
    proveOpenIdIdentity({ network: ctx.network, provider, getIdToken, onProgress }),
  );
}
