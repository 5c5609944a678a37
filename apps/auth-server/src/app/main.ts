import { AccountPage } from './account.ts';
import { loadConfig, sdkNetwork } from './config.ts';
import { show } from './dom.ts';
import { describeFailure } from './failure.ts';
import { PopupController } from './popup.ts';
import { errorScreen, loadingScreen } from './screens.ts';
import type { PageContext } from './signin.ts';

/** Entry of the wallet page: /popup serves a dapp, /account (and /) is the account page. */
async function main(): Promise<void> {
  show(loadingScreen('Loading…'));
  const config = await loadConfig();
  document.title = config.walletName;
  const ctx: PageContext = {
    config,
    network: sdkNetwork(config, location.origin),
    origin: location.origin,
    rpId: config.rpId ?? location.hostname,
  };
  if (location.pathname === '/popup') new PopupController(ctx).start();
  else await new AccountPage(ctx).start();
}

main().catch((error: unknown) => {
  show(errorScreen(describeFailure(error), { onRetry: () => location.reload() }));
});
