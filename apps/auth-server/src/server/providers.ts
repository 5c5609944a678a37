import { discoveryUrl, getProvider, PROVIDER_IDS, type ProviderId, providerFromDiscovery } from '@zksso/core';
import type { ProviderConfig } from '../shared/config.ts';

/**
 * An OpenID provider the auth server offers, as an operator configures it: a well-known provider by id
 * (`google`, `microsoft`, `facebook`, `twitch`: their implicit `id_token` flow) or any issuer by its
 * discovery document (the dev IdP). `clientId` is the auth server's own client id at that provider; its
 * redirect URI is `<auth server origin>/callback`.
 *
 * @example
 * ```ts
 * const providers: ProviderOption[] = [
 *   { id: 'google', clientId: '1234.apps.googleusercontent.com' },
 *   { id: 'dev', name: 'Dev OpenID provider', issuer: 'http://127.0.0.1:5556', clientId: 'zksso-dev' },
 * ];
 * ```
 */
export interface ProviderOption {
  id: string;
  clientId: string;
  /** Shown on the button ("Continue with …"); default the provider's name or the issuer's host. */
  name?: string;
  /** Required for a provider that is not well known: its OpenID discovery is read from here. */
  issuer?: string;
}

/** A provider could not be prepared (discovery failed, unknown id, a flow the popup cannot finish). */
export class ProviderConfigError extends Error {
  readonly code = 'PROVIDER_CONFIG';
}

/**
 * Resolves one configured provider for the browser: the authorization endpoint and scopes, from the
 * built-in table or from the issuer's discovery document (fetched by the server, so the page makes no
 * cross-origin request). Only `id_token` flows (the ID token in the redirect's fragment) are served.
 *
 * @throws ProviderConfigError
 * @example
 * ```ts
 * const dev = await resolveProvider({ id: 'dev', issuer: 'http://127.0.0.1:5556', clientId: 'zksso-dev' });
 * dev.authorizationEndpoint; // 'http://127.0.0.1:5556/auth'
 * ```
 */
export async function resolveProvider(option: ProviderOption, timeoutMs = 5_000): Promise<ProviderConfig> {
  if (!option.issuer) {
    if (!(PROVIDER_IDS as readonly string[]).includes(option.id))
      throw new ProviderConfigError(`unknown provider ${option.id}: give its issuer`);
    const known = getProvider(option.id as ProviderId);
    if (known.responseType !== 'id_token')
      throw new ProviderConfigError(`${known.name} needs the ${known.responseType} flow, not served yet`);
    return {
      id: known.id,
      name: option.name ?? known.name,
      issuer: known.issuers[0] ?? '',
      clientId: option.clientId,
      authorizationEndpoint: known.authorizationEndpoint,
      responseType: 'id_token',
      scopes: [...known.scopes],
    };
  }
  let document: unknown;
  try {
    const response = await fetch(discoveryUrl(option.issuer), { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    document = await response.json();
  } catch (error) {
    throw new ProviderConfigError(`discovery of ${option.issuer} failed: ${(error as Error).message}`);
  }
  const provider = providerFromDiscovery(document, { id: option.id, expectedIssuer: option.issuer });
  return {
    id: option.id,
    name: option.name ?? new URL(option.issuer).host,
    issuer: option.issuer,
    clientId: option.clientId,
    authorizationEndpoint: provider.authorizationEndpoint,
    responseType: 'id_token',
    scopes: ['openid', 'email'],
  };
}
