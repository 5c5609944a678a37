import type { ZkSsoNetwork } from '@zksso/sdk';
import type { Address } from 'viem';
import type { AppConfig } from '../shared/config.ts';

/** Reads the server's `/config.json`. @example `const config = await loadConfig();` */
export async function loadConfig(): Promise<AppConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`the auth server's configuration answered HTTP ${response.status}`);
  return (await response.json()) as AppConfig;
}

/**
 * The SDK network the page uses: every service on this origin (the server proxies them, so the CSP's
 * `connect-src 'self'` holds).
 *
 * @example
 * ```ts
 * const network = sdkNetwork(config, location.origin); // rpcUrl 'http://127.0.0.1:5560/rpc'
 * ```
 */
export function sdkNetwork(config: AppConfig, origin: string): ZkSsoNetwork & { recoveryModule?: Address } {
  const n = config.network;
  const abs = (path: string) => (path ? new URL(path, origin).toString().replace(/\/$/, '') : '');
  const { recoveryModule, ...addresses } = n.addresses;
  return {
    chainId: n.chainId,
    rpcUrl: abs(n.rpcUrl),
    bundlerUrl: abs(n.bundlerUrl),
    saltUrl: abs(n.saltUrl),
    proverUrl: abs(n.proverUrl),
    clientIds: [...n.clientIds],
    local: n.local,
    ...(n.deploymentBlock === undefined ? {} : { deploymentBlock: n.deploymentBlock }),
    addresses,
    ...(recoveryModule ? { recoveryModule } : {}),
  };
}
