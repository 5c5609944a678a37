import { ChainNotConfiguredError, createConnector } from '@wagmi/core';
import { type Address, type Chain, getAddress, numberToHex } from 'viem';
import { ZKSSO_ICON, ZKSSO_RDNS } from './eip6963.ts';
import { createZkSsoProvider, type ZkSsoProvider, type ZkSsoProviderOptions } from './provider.ts';

/**
 * Options of the {@link zksso} wagmi connector (ZKsync SSO's `zksyncSsoConnector` options, for zkSSO):
 * the chains and RPC transports come from wagmi's config unless `chains` narrows them.
 *
 * @example
 * ```ts
 * const parameters: ZkSsoConnectorParameters = { authServerUrl: 'https://auth.zksso.example', metadata: { name: 'Shop' } };
 * ```
 */
export type ZkSsoConnectorParameters = Omit<ZkSsoProviderOptions, 'chains' | 'transports'> & {
  /** Restrict zkSSO to these of the config's chains (default: all of them). */
  chains?: readonly [Chain, ...Chain[]];
};

/**
 * The zkSSO wagmi connector: a popup to the auth server to connect (OpenID login), sign and approve
 * sessions; session transactions without popups. Underneath is {@link createZkSsoProvider}.
 *
 * @example
 * ```ts
 * import { createConfig, http } from '@wagmi/core';
 * import { zksso } from '@zksso/sdk/connector';
 *
 * const config = createConfig({
 *   chains: [sepolia],
 *   transports: { [sepolia.id]: http() },
 *   connectors: [
 *     zksso({
 *       authServerUrl: 'https://auth.zksso.example',
 *       metadata: { name: 'Shop', icon: 'https://shop.example/icon.png' },
 *       session: { expiresAt: new Date(Date.now() + 86_400_000), feeLimit: parseEther('0.01') },
 *     }),
 *   ],
 * });
 * ```
 */
export function zksso(parameters: ZkSsoConnectorParameters) {
  let provider: ZkSsoProvider | undefined;
  let subscribed = false;
  // Our own disconnect() already tells wagmi; the provider's `disconnect` event must not say it twice.
  let disconnecting = false;

  return createConnector<ZkSsoProvider>((config) => {
    const chains = parameters.chains ?? config.chains;
    const getProvider = async (): Promise<ZkSsoProvider> => {
      if (!provider) {
        const { chains: _chains, ...rest } = parameters;
        provider = createZkSsoProvider({
          ...rest,
          chains,
          ...(config.transports ? { transports: config.transports } : {}),
        });
      }
      return provider;
    };

    return {
      id: 'zksso',
      name: 'zkSSO',
      type: 'zksso',
      icon: parameters.metadata.icon ?? ZKSSO_ICON,
      rdns: ZKSSO_RDNS,

      async setup() {
        await getProvider();
      },

      async connect({ chainId, isReconnecting, withCapabilities } = {}) {
        const p = await getProvider();
        if (!subscribed) {
          p.on(
            'accountsChanged',
            this.onAccountsChanged.bind(this) as (accounts: readonly Address[]) => void,
          );
          p.on('chainChanged', this.onChainChanged.bind(this));
          p.on('disconnect', this.onDisconnect.bind(this));
          subscribed = true;
        }
        let accounts = (await p.request({ method: 'eth_accounts' })) as Address[];
        if (accounts.length === 0 && !isReconnecting)
          accounts = (await p.request({ method: 'eth_requestAccounts' })) as Address[];
        let currentChainId = await this.getChainId();
        if (chainId !== undefined && chainId !== currentChainId) {
          const chain = await this.switchChain?.({ chainId });
          currentChainId = chain?.id ?? currentChainId;
        }
        const addresses = accounts.map((a) => getAddress(a));
        return {
          accounts: (withCapabilities
            ? addresses.map((address) => ({ address, capabilities: {} }))
            : addresses) as never,
          chainId: currentChainId,
        };
      },

      async disconnect() {
        const p = await getProvider();
        disconnecting = true;
        try {
          await p.request({ method: 'wallet_disconnect' });
        } finally {
          disconnecting = false;
        }
      },

      async getAccounts() {
        const p = await getProvider();
        return ((await p.request({ method: 'eth_accounts' })) as Address[]).map((a) => getAddress(a));
      },

      async getChainId() {
        const p = await getProvider();
        return Number(await p.request({ method: 'eth_chainId' }));
      },

      getProvider,

      async isAuthorized() {
        return (await this.getAccounts()).length > 0;
      },

      async switchChain({ chainId }) {
        const chain = chains.find((c) => c.id === chainId);
        if (!chain) throw new ChainNotConfiguredError();
        const p = await getProvider();
        await p.request({
          method: 'wallet_switchEthereumChain',
          params: [{ chainId: numberToHex(chainId) }],
        });
        return chain;
      },

      onAccountsChanged(accounts) {
        if (accounts.length === 0) return; // a disconnect: the `disconnect` event follows
        config.emitter.emit('change', { accounts: accounts.map((a) => getAddress(a)) });
      },

      onChainChanged(chain) {
        config.emitter.emit('change', { chainId: Number(chain) });
      },

      onDisconnect() {
        if (!disconnecting) config.emitter.emit('disconnect');
      },
    };
  });
}
