import { describe, expect, it } from 'vitest';
import { buildAuthorizationUrl } from './authorize.ts';
import { discoveryUrl, providerFromDiscovery } from './discovery.ts';
import { ProviderError } from './errors.ts';

// Shape of Twitch's published discovery document (dev.twitch.tv, "Getting tokens: OIDC").
const twitchDoc = {
  authorization_endpoint: 'https://id.twitch.tv/oauth2/authorize',
  claims_parameter_supported: true,
  id_token_signing_alg_values_supported: ['RS256'],
  issuer: 'https://id.twitch.tv/oauth2',
  jwks_uri: 'https://id.twitch.tv/oauth2/keys',
  response_types_supported: ['id_token', 'code', 'token', 'code id_token', 'token id_token'],
  scopes_supported: ['openid'],
  token_endpoint: 'https://id.twitch.tv/oauth2/token',
};

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProviderError) return error.code;
    throw error;
  }
  return 'no error';
};

describe('discoveryUrl', () => {
  it('appends the well-known path to the issuer', () => {
    expect(discoveryUrl('https://id.twitch.tv/oauth2')).toBe(
      'https://id.twitch.tv/oauth2/.well-known/openid-configuration',
    );
    expect(discoveryUrl('https://login.acme.example/')).toBe(
      'https://login.acme.example/.well-known/openid-configuration',
    );
    expect(discoveryUrl('accounts.google.com')).toBe(
      'https://accounts.google.com/.well-known/openid-configuration',
    );
    expect(discoveryUrl('http://127.0.0.1:4000')).toBe(
      'http://127.0.0.1:4000/.well-known/openid-configuration',
    );
  });

  it('drops a terminating slash of the issuer (Discovery §4: the same URL with or without it)', () => {
    for (const issuer of ['https://idp.example/tenant', 'https://idp.example/tenant/']) {
      expect(discoveryUrl(issuer)).toBe('https://idp.example/tenant/.well-known/openid-configuration');
    }
    for (const issuer of ['http://127.0.0.1:4000', 'http://127.0.0.1:4000/']) {
      expect(discoveryUrl(issuer)).toBe('http://127.0.0.1:4000/.well-known/openid-configuration');
    }
  });

  it('refuses issuers that are not https URLs', () => {
    expect(codeOf(() => discoveryUrl('http://evil.example'))).toBe('ISSUER_INVALID');
    expect(codeOf(() => discoveryUrl(''))).toBe('ISSUER_INVALID');
    expect(codeOf(() => discoveryUrl('https://a.example/?q=1'))).toBe('ISSUER_INVALID');
  });
});

describe('providerFromDiscovery', () => {
  it('builds a usable provider', () => {
    const provider = providerFromDiscovery(twitchDoc, {
      id: 'twitch-discovered',
      expectedIssuer: 'https://id.twitch.tv/oauth2',
    });
    expect(provider).toMatchObject({
      id: 'twitch-discovered',
      issuers: ['https://id.twitch.tv/oauth2'],
      jwksUri: 'https://id.twitch.tv/oauth2/keys',
      authorizationEndpoint: 'https://id.twitch.tv/oauth2/authorize',
      tokenEndpoint: 'https://id.twitch.tv/oauth2/token',
      responseType: 'id_token',
      scopes: ['openid'],
      keyClaim: 'sub',
      emailKeyClaimAllowed: false,
      discoveryUrl: 'https://id.twitch.tv/oauth2/.well-known/openid-configuration',
    });
    const url = new URL(
      buildAuthorizationUrl({ provider, clientId: 'c', redirectUri: 'https://w.example/cb', nonce: 'n' }),
    );
    expect(url.searchParams.get('response_type')).toBe('id_token');
  });

  it('falls back to the code flow when id_token is not a supported response type', () => {
    const provider = providerFromDiscovery({ ...twitchDoc, response_types_supported: ['code'] });
    expect(provider.responseType).toBe('code');
    expect(provider.id).toBe('id.twitch.tv');
  });

  it('refuses incomplete, foreign and non-RS256 documents', () => {
    const { jwks_uri: _, ...noJwks } = twitchDoc;
    expect(codeOf(() => providerFromDiscovery(noJwks))).toBe('DISCOVERY_INVALID');
    expect(codeOf(() => providerFromDiscovery({ ...twitchDoc, issuer: undefined }))).toBe(
      'DISCOVERY_INVALID',
    );
    expect(
      codeOf(() =>
        providerFromDiscovery({ ...twitchDoc, authorization_endpoint: 'http://id.twitch.tv/authorize' }),
      ),
    ).toBe('DISCOVERY_INVALID');
    expect(
      codeOf(() => providerFromDiscovery({ ...twitchDoc, id_token_signing_alg_values_supported: undefined })),
    ).toBe('DISCOVERY_INVALID');
    expect(
      codeOf(() =>
        providerFromDiscovery({
          ...twitchDoc,
          response_types_supported: ['code'],
          token_endpoint: undefined,
        }),
      ),
    ).toBe('DISCOVERY_INVALID');
    expect(codeOf(() => providerFromDiscovery('{}'))).toBe('DISCOVERY_INVALID');
    expect(
      codeOf(() => providerFromDiscovery(twitchDoc, { expectedIssuer: 'https://id.twitch.tv/oauth2/' })),
    ).toBe('DISCOVERY_ISSUER_MISMATCH');
    expect(
      codeOf(() => providerFromDiscovery({ ...twitchDoc, id_token_signing_alg_values_supported: ['ES256'] })),
    ).toBe('DISCOVERY_RS256_UNSUPPORTED');
  });
});
