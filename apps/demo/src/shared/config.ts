import type { ZkSsoNetwork } from '@zksso/sdk';

/**
 * What the demo page loads from `GET /demo-config.json` before it renders: where the auth server is, and the
 * zkSSO network as the page reaches it (`rpcUrl` `/rpc` and `bundlerUrl` `/bundler`: proxies on the demo's
 * own origin; the page resolves them against its location). `faucet` is true on a local dev chain, where
 * `POST /faucet` gives an address test ETH.
 *
 * @example
 * ```ts
 * const config: DemoConfig = await (await fetch('/demo-config.json')).json();
 * ```
 */
export interface DemoConfig {
  authServerUrl: string;
  network: ZkSsoNetwork;
  faucet: boolean;
}

/** Where the page fetches its {@link DemoConfig}. */
export const DEMO_CONFIG_PATH = '/demo-config.json';
/** The dev-chain faucet (`POST { address }`), present when {@link DemoConfig.faucet} is true. */
export const FAUCET_PATH = '/faucet';
/** How much the faucet adds, in wei (1 ETH). */
export const FAUCET_AMOUNT_WEI = 10n ** 18n;
