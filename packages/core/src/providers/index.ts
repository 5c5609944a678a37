export { type AuthorizationUrlOptions, buildAuthorizationUrl, checkRedirectUri } from './authorize.ts';
export {
  type DiscoveryDocument,
  type DiscoveryOverrides,
  discoveryUrl,
  providerFromDiscovery,
} from './discovery.ts';
export { ProviderError, type ProviderErrorCode } from './errors.ts';
export { findProviderByIssuer, getProvider, providerAcceptsIssuer } from './lookup.ts';
export {
  isMicrosoftIssuer,
  MICROSOFT_AUTHORITIES,
  MICROSOFT_CONSUMER_TENANT_ID,
  MICROSOFT_ISSUER_PATTERN,
  type MicrosoftAuthority,
  microsoftAuthority,
  microsoftIssuer,
  microsoftTenantId,
} from './microsoft.ts';
export { PROVIDER_IDS, PROVIDERS } from './table.ts';
export {
  buildTokenExchangeRequest,
  parseTokenResponse,
  type TokenExchangeOptions,
  type TokenExchangeRequest,
} from './token.ts';
export type { OpenIdProvider, ProviderId, ResponseMode, ResponseType } from './types.ts';
