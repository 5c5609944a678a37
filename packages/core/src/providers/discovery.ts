import { normalizeIssuer } from '../issuer.ts';
import { ProviderError } from './errors.ts';
import type { OpenIdProvider, ResponseType } from './types.ts';

/**
 * The fields of an OpenID Provider Metadata document (OpenID Connect Discovery 1.0 §3) zkSSO reads.
 *
 * @example
 * ```ts
 * const doc: DiscoveryDocument = await (await fetch(discoveryUrl(issuer))).json();
 * ```
 */
export interface DiscoveryDocument {
  issuer: string;
  authorization_endpoint: string;
  jwks_uri: string;
  id_token_signing_alg_values_supported: readonly string[];
  token_endpoint?: string;
  response_types_supported?: readonly string[];
  scopes_supported?: readonly string[];
  [key: string]: unknown;
}

/**
 * Options of {@link providerFromDiscovery}.
 *
 * @example
 * ```ts
 * const overrides: DiscoveryOverrides = { id: 'acme', expectedIssuer: 'https://login.acme.example' };
 * ```
 */
export interface DiscoveryOverrides {
  /** Default: the issuer's host name. */
  id?: string;
  /** Default: the issuer's host name. */
  name?: string;
  /** The issuer whose discovery URL was fetched: the document's `issuer` must equal it exactly (Discovery §4.3). */
  expectedIssuer?: string;
  /** Default: `id_token` when supported, else `code` (then token_endpoint is required). */
  responseType?: ResponseType;
  /** Default: `['openid']`. */
  scopes?: readonly string[];
  /** Default: `sub`. */
  keyClaim?: 'sub' | 'email';
  /** Default: false (an unknown provider's email is not trusted as key claim). */
  emailKeyClaimAllowed?: boolean;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function secureUrl(value: unknown, field: string, code: 'DISCOVERY_INVALID' | 'ISSUER_INVALID'): URL {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  const ok =
    url !== undefined &&
    (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) &&
    url.search === '' &&
    url.hash === '';
  if (!ok || !url) {
    throw new ProviderError(
      code,
      `${field} must be an https URL (http only on loopback) without query or fragment`,
      {
        field,
      },
    );
  }
  return url;
}

/**
 * The OpenID discovery URL of an issuer: `issuer` (trailing slash removed) + `/.well-known/openid-configuration`
 * (OpenID Connect Discovery 1.0 §4). An issuer without scheme gets `https://` (protocol §3).
 *
 * @throws ProviderError `ISSUER_INVALID`.
 * @example
 * ```ts
 * discoveryUrl('https://id.twitch.tv/oauth2'); // 'https://id.twitch.tv/oauth2/.well-known/openid-configuration'
 * ```
 */
export function discoveryUrl(issuer: string): string {
  if (typeof issuer !== 'string' || issuer.length === 0) {
    throw new ProviderError('ISSUER_INVALID', 'issuer must be a non-empty string', {});
  }
  const normalized = normalizeIssuer(issuer);
  secureUrl(normalized, 'issuer', 'ISSUER_INVALID');
  return `${normalized.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/**
 * Builds an {@link OpenIdProvider} for any other issuer from its discovery document (already fetched
 * and parsed by the caller). Checks that `issuer`, `authorization_endpoint` and `jwks_uri` are https URLs
 * (http only on loopback, for local test providers), that RS256 is among the ID token signing algorithms
 * (protocol §7), and, with `expectedIssuer`, that the document belongs to that issuer.
 *
 * @throws ProviderError `DISCOVERY_INVALID`, `DISCOVERY_ISSUER_MISMATCH`, `DISCOVERY_RS256_UNSUPPORTED`.
 * @example
 * ```ts
 * const provider = providerFromDiscovery(doc, { id: 'acme', expectedIssuer: 'https://login.acme.example' });
 * buildAuthorizationUrl({ provider, clientId, redirectUri, nonce });
 * ```
 */
export function providerFromDiscovery(document: unknown, overrides: DiscoveryOverrides = {}): OpenIdProvider {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new ProviderError('DISCOVERY_INVALID', 'the discovery document must be a JSON object', {});
  }
  const doc = document as Partial<DiscoveryDocument>;
  if (typeof doc.issuer !== 'string' || doc.issuer.length === 0) {
    throw new ProviderError('DISCOVERY_INVALID', 'the discovery document has no issuer', { field: 'issuer' });
  }
  const issuerUrl = secureUrl(doc.issuer, 'issuer', 'DISCOVERY_INVALID');
  if (overrides.expectedIssuer !== undefined && doc.issuer !== overrides.expectedIssuer) {
    throw new ProviderError('DISCOVERY_ISSUER_MISMATCH', 'the discovery document is for another issuer', {
      issuer: doc.issuer,
      expectedIssuer: overrides.expectedIssuer,
    });
  }
  secureUrl(doc.authorization_endpoint, 'authorization_endpoint', 'DISCOVERY_INVALID');
  secureUrl(doc.jwks_uri, 'jwks_uri', 'DISCOVERY_INVALID');
  const algs = doc.id_token_signing_alg_values_supported;
  if (!Array.isArray(algs)) {
    throw new ProviderError('DISCOVERY_INVALID', 'id_token_signing_alg_values_supported is missing', {
      field: 'id_token_signing_alg_values_supported',
    });
  }
  if (!algs.includes('RS256')) {
    throw new ProviderError(
      'DISCOVERY_RS256_UNSUPPORTED',
      'the provider does not sign ID tokens with RS256',
      {
        algorithms: algs.filter((alg): alg is string => typeof alg === 'string'),
      },
    );
  }
  if (doc.token_endpoint !== undefined) secureUrl(doc.token_endpoint, 'token_endpoint', 'DISCOVERY_INVALID');

  const supported = Array.isArray(doc.response_types_supported) ? doc.response_types_supported : undefined;
  const responseType: ResponseType =
    overrides.responseType ??
    (supported === undefined || supported.includes('id_token') ? 'id_token' : 'code');
  if (responseType === 'code' && doc.token_endpoint === undefined) {
    throw new ProviderError('DISCOVERY_INVALID', 'a code-flow provider needs token_endpoint', {
      field: 'token_endpoint',
    });
  }
  return Object.freeze({
    id: overrides.id ?? issuerUrl.hostname,
    name: overrides.name ?? issuerUrl.hostname,
    issuers: Object.freeze([doc.issuer]),
    discoveryUrl: discoveryUrl(doc.issuer),
    jwksUri: doc.jwks_uri as string,
    authorizationEndpoint: doc.authorization_endpoint as string,
    ...(doc.token_endpoint !== undefined ? { tokenEndpoint: doc.token_endpoint } : {}),
    responseType,
    scopes: Object.freeze([...(overrides.scopes ?? ['openid'])]),
    keyClaim: overrides.keyClaim ?? 'sub',
    emailKeyClaimAllowed: overrides.emailKeyClaimAllowed ?? false,
    quirks: Object.freeze([]),
  });
}
