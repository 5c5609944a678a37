import type { Address } from 'viem';

/**
 * One OpenID provider the auth server offers ("Continue with …"), as the browser app receives it: the
 * authorization endpoint is resolved by the server (discovery), so the page needs no cross-origin fetch.
 *
 * @example
 * ```ts
 * const dev: ProviderConfig = {
 *   id: 'dev', name: 'Dev OpenID provider', issuer: 'http://127.0.0.1:5556', clientId: 'zksso-dev',
 *   authorizationEndpoint: 'http://127.0.0.1:5556/auth', responseType: 'id_token', scopes: ['openid', 'email'],
 * };
 * ```
 */
export interface ProviderConfig {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  authorizationEndpoint: string;
  /** Only `id_token` (implicit, fragment) is handled by /callback. */
  responseType: 'id_token';
  scopes: string[];
}

/**
 * What `GET /config.json` answers: the network as the browser reaches it (every service URL on the auth
 * server's own origin, through its proxies) and the providers. No secret is in here.
 *
 * @example
 * ```ts
 * const config: AppConfig = await (await fetch('/config.json')).json();
 * config.network.rpcUrl; // '/rpc'
 * ```
 */
export interface AppConfig {
  network: {
    chainId: number;
    /** Paths on the auth server's origin: `/rpc`, `/bundler`, `/salt`, `/prover`. */
    rpcUrl: string;
    bundlerUrl: string;
    saltUrl: string;
    proverUrl: string;
    clientIds: string[];
    local: boolean;
    /** The contracts' deployment block: where the account page and recovery search events. */
    deploymentBlock?: number;
    addresses: {
      entryPoint: Address;
      factory: Address;
      zkLoginValidator: Address;
      sessionKeyValidator: Address;
      webAuthnValidator: Address;
      jwkRegistry: Address;
      recoveryModule?: Address;
    };
  };
  providers: ProviderConfig[];
  /** WebAuthn relying party id (default: the auth server's host name). */
  rpId?: string;
  /** Name shown as the wallet's title. */
  walletName: string;
  /** A dev stack: the fund button and dev hints are shown. */
  dev: boolean;
}
