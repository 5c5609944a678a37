import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type AuthorizationUrlOptions, buildAuthorizationUrl, checkRedirectUri } from './authorize.ts';
import {
  type DiscoveryDocument,
  type DiscoveryOverrides,
  discoveryUrl,
  providerFromDiscovery,
} from './discovery.ts';
import { ProviderError, type ProviderErrorCode } from './errors.ts';
import { getProvider, providerAcceptsIssuer } from './lookup.ts';
import {
  MICROSOFT_AUTHORITIES,
  MICROSOFT_CONSUMER_TENANT_ID,
  MICROSOFT_ISSUER_PATTERN,
  type MicrosoftAuthority,
  microsoftAuthority,
  microsoftIssuer,
} from './microsoft.ts';
import { PROVIDERS } from './table.ts';
import {
  buildTokenExchangeRequest,
  parseTokenResponse,
  type TokenExchangeOptions,
  type TokenExchangeRequest,
} from './token.ts';
import type { OpenIdProvider, ResponseMode, ResponseType } from './types.ts';

const NONCE = 'KDG6LR6t72_KkBc5A0oez0bp_by_pIEQpEz7_Ojk-Yk';
const REDIRECT = 'https://wallet.example/callback';
const document: DiscoveryDocument = {
  issuer: 'https://login.acme.example',
  authorization_endpoint: 'https://login.acme.example/authorize',
  token_endpoint: 'https://login.acme.example/token',
  jwks_uri: 'https://login.acme.example/jwks',
  id_token_signing_alg_values_supported: ['RS256'],
  response_types_supported: ['code'],
};
const auth: AuthorizationUrlOptions = {
  provider: 'google',
  clientId: 'c',
  redirectUri: REDIRECT,
  nonce: NONCE,
};
const exchange: TokenExchangeOptions = {
  provider: 'kakao',
  code: 'abc',
  clientId: 'k',
  redirectUri: REDIRECT,
};

// One trigger per ProviderErrorCode; the first test keeps this table equal to the union in errors.ts.
const CASES: Record<ProviderErrorCode, () => unknown> = {
  UNKNOWN_PROVIDER: () => getProvider('myspace' as never),
  AUTH_PARAM_INVALID: () => buildAuthorizationUrl({ ...auth, nonce: '' }),
  REDIRECT_URI_INVALID: () => checkRedirectUri('http://wallet.example/callback'),
  MICROSOFT_TENANT_INVALID: () => microsoftIssuer('common'),
  TOKEN_EXCHANGE_UNSUPPORTED: () => buildTokenExchangeRequest({ ...exchange, provider: 'google' }),
  CLIENT_SECRET_REQUIRED: () => buildTokenExchangeRequest({ ...exchange, provider: 'slack' }),
  TOKEN_RESPONSE_MALFORMED: () => parseTokenResponse('{oops'),
  TOKEN_RESPONSE_ERROR: () => parseTokenResponse({ ok: false, error: 'invalid_code' }),
  TOKEN_RESPONSE_MISSING_ID_TOKEN: () => parseTokenResponse({ access_token: 'a' }),
  ISSUER_INVALID: () => discoveryUrl('http://login.acme.example'),
  DISCOVERY_INVALID: () => providerFromDiscovery({ ...document, jwks_uri: undefined }),
  DISCOVERY_ISSUER_MISMATCH: () =>
    providerFromDiscovery(document, { expectedIssuer: 'https://login.acme.example/' }),
  DISCOVERY_RS256_UNSUPPORTED: () =>
    providerFromDiscovery({ ...document, id_token_signing_alg_values_supported: ['ES256'] }),
};

describe('ProviderError codes', () => {
  it('the table covers every ProviderErrorCode of errors.ts', () => {
    const source = readFileSync(fileURLToPath(new URL('./errors.ts', import.meta.url)), 'utf8');
    const start = source.indexOf('export type ProviderErrorCode');
    const union = source.slice(start, source.indexOf(';', start));
    const codes = [...union.matchAll(/'([A-Z0-9_]+)'/g)].map((m) => m[1]).sort();
    expect(Object.keys(CASES).sort()).toEqual(codes);
  });

  it.each(Object.entries(CASES))('%s', (code, trigger) => {
    let caught: unknown;
    try {
      trigger();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProviderError);
    expect((caught as ProviderError).code).toBe(code);
  });
});

describe('provider helpers and types', () => {
  it('checkRedirectUri accepts https and loopback http, and returns the URI unchanged', () => {
    expect(checkRedirectUri(REDIRECT)).toBe(REDIRECT);
    expect(checkRedirectUri('http://127.0.0.1:5173/cb')).toBe('http://127.0.0.1:5173/cb');
    expect(checkRedirectUri('http://localhost/cb')).toBe('http://localhost/cb');
    expect(() => checkRedirectUri('https://wallet.example/cb#frag')).toThrow(ProviderError);
  });

  it('providerAcceptsIssuer compares exactly, or through the issuer pattern (Microsoft tenants)', () => {
    expect(providerAcceptsIssuer(PROVIDERS.google, 'accounts.google.com')).toBe(true);
    expect(providerAcceptsIssuer(PROVIDERS.google, 'https://accounts.google.com/')).toBe(false);
    const tenant = microsoftIssuer(MICROSOFT_CONSUMER_TENANT_ID);
    expect(providerAcceptsIssuer(PROVIDERS.microsoft, tenant)).toBe(true);
    expect(providerAcceptsIssuer(PROVIDERS.microsoft, 'https://login.microsoftonline.com/common/v2.0')).toBe(
      false,
    );
    expect(providerAcceptsIssuer(PROVIDERS.apple, tenant)).toBe(false);
  });

  it('MICROSOFT_ISSUER_PATTERN captures the lowercase tenant GUID of a v2.0 issuer only', () => {
    const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    expect(MICROSOFT_ISSUER_PATTERN.exec(`https://login.microsoftonline.com/${tenant}/v2.0`)?.[1]).toBe(
      tenant,
    );
    expect(
      MICROSOFT_ISSUER_PATTERN.test(`https://login.microsoftonline.com/${tenant.toUpperCase()}/v2.0`),
    ).toBe(false);
    expect(MICROSOFT_ISSUER_PATTERN.test(`https://sts.windows.net/${tenant}/`)).toBe(false);
  });

  it('MICROSOFT_AUTHORITIES are the three authorities the authorization URL accepts besides a tenant', () => {
    expect([...MICROSOFT_AUTHORITIES]).toEqual(['common', 'organizations', 'consumers']);
    for (const authority of MICROSOFT_AUTHORITIES) {
      const chosen: MicrosoftAuthority = authority;
      expect(microsoftAuthority(chosen)).toBe(authority);
      const url = new URL(buildAuthorizationUrl({ ...auth, provider: 'microsoft', tenant: chosen }));
      expect(url.pathname).toBe(`/${authority}/oauth2/v2.0/authorize`);
    }
  });

  it('an OpenIdProvider built from a DiscoveryDocument and DiscoveryOverrides drives the URL builder', () => {
    const overrides: DiscoveryOverrides = {
      id: 'acme',
      expectedIssuer: document.issuer,
      scopes: ['openid', 'email'],
    };
    const provider: OpenIdProvider = providerFromDiscovery(document, overrides);
    const responseType: ResponseType = provider.responseType;
    expect([provider.id, responseType, provider.issuers]).toEqual(['acme', 'code', [document.issuer]]);
    expect(providerAcceptsIssuer(provider, document.issuer)).toBe(true);
    const responseMode: ResponseMode = 'form_post';
    const url = new URL(buildAuthorizationUrl({ ...auth, provider, responseMode }));
    expect(`${url.origin}${url.pathname}`).toBe(document.authorization_endpoint);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      response_mode: 'form_post',
      scope: 'openid email',
      nonce: NONCE,
      client_id: 'c',
      redirect_uri: REDIRECT,
    });
    const request: TokenExchangeRequest = buildTokenExchangeRequest({ ...exchange, provider });
    expect([request.url, request.method]).toEqual([document.token_endpoint, 'POST']);
    expect(Object.fromEntries(new URLSearchParams(request.body))).toMatchObject({
      grant_type: 'authorization_code',
      code: 'abc',
      client_id: 'k',
      redirect_uri: REDIRECT,
    });
  });
});
