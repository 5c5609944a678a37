import { ProviderError } from './errors.ts';
import { PROVIDERS } from './table.ts';
import type { OpenIdProvider, ProviderId } from './types.ts';

/**
 * Whether a provider signs tokens with this `iss` (exact comparison, or the provider's issuer pattern).
 *
 * @example
 * ```ts
 * providerAcceptsIssuer(PROVIDERS.google, 'accounts.google.com'); // true
 * ```
 */
export function providerAcceptsIssuer(provider: OpenIdProvider, iss: string): boolean {
  return provider.issuers.includes(iss) || (provider.issuerPattern?.test(iss) ?? false);
}

/**
 * The built-in provider that issues `iss`, or undefined. Knows Google's two issuer forms and every
 * Microsoft tenant issuer. Comparison is exact, as OpenID requires (no case or slash folding).
 *
 * @example
 * ```ts
 * findProviderByIssuer('https://accounts.google.com')?.id; // 'google'
 * findProviderByIssuer('https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0')?.id; // 'microsoft'
 * ```
 */
export function findProviderByIssuer(
  iss: string,
  providers: readonly OpenIdProvider[] = Object.values(PROVIDERS),
): OpenIdProvider | undefined {
  if (typeof iss !== 'string') return undefined;
  return providers.find((provider) => providerAcceptsIssuer(provider, iss));
}

/**
 * A built-in provider by id, or the provider object itself.
 *
 * @throws ProviderError `UNKNOWN_PROVIDER`.
 * @example
 * ```ts
 * getProvider('kakao').tokenEndpoint; // 'https://kauth.kakao.com/oauth/token'
 * ```
 */
export function getProvider(provider: ProviderId | OpenIdProvider): OpenIdProvider {
  if (typeof provider === 'object' && provider !== null) return provider;
  if (typeof provider === 'string' && Object.hasOwn(PROVIDERS, provider)) return PROVIDERS[provider];
  throw new ProviderError('UNKNOWN_PROVIDER', 'not a built-in provider id', {
    provider: String(provider),
    known: Object.keys(PROVIDERS),
  });
}
