import { describe, expect, it } from 'vitest';
import { ProviderError } from './errors.ts';
import { findProviderByIssuer, getProvider } from './lookup.ts';
import {
  isMicrosoftIssuer,
  MICROSOFT_CONSUMER_TENANT_ID,
  microsoftAuthority,
  microsoftIssuer,
  microsoftTenantId,
} from './microsoft.ts';
import { PROVIDER_IDS, PROVIDERS } from './table.ts';

const CONSUMER_ISS = 'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0';

describe('provider table', () => {
  it('has seven providers with https endpoints, openid scope and a sub key claim', () => {
    expect(PROVIDER_IDS).toEqual(['google', 'facebook', 'twitch', 'kakao', 'apple', 'slack', 'microsoft']);
    for (const provider of Object.values(PROVIDERS)) {
      for (const url of [
        provider.jwksUri,
        provider.authorizationEndpoint,
        provider.discoveryUrl,
        provider.tokenEndpoint,
      ]) {
        if (url !== undefined) expect(new URL(url).protocol).toBe('https:');
      }
      expect(provider.scopes).toContain('openid');
      expect(provider.keyClaim).toBe('sub');
      if (provider.responseType === 'code') expect(provider.tokenEndpoint).toBeDefined();
    }
  });
});

describe('findProviderByIssuer', () => {
  it.each([
    ['https://accounts.google.com', 'google'],
    ['accounts.google.com', 'google'],
    ['https://www.facebook.com', 'facebook'],
    ['https://id.twitch.tv/oauth2', 'twitch'],
    ['https://kauth.kakao.com', 'kakao'],
    ['https://appleid.apple.com', 'apple'],
    ['https://slack.com', 'slack'],
    [CONSUMER_ISS, 'microsoft'],
    ['https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0', 'microsoft'],
  ])('maps %s to %s', (iss, id) => {
    expect(findProviderByIssuer(iss)?.id).toBe(id);
  });

  it.each([
    ['https://accounts.google.com/'],
    ['https://ACCOUNTS.google.com'],
    ['https://login.microsoftonline.com/common/v2.0'],
    ['https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad'],
    ['https://sts.windows.net/9188040d-6c67-4c5b-b112-36a304b66dad/'],
    ['https://evil.example'],
  ])('knows nothing of %s', (iss) => {
    expect(findProviderByIssuer(iss)).toBeUndefined();
  });

  it('searches a given list', () => {
    expect(findProviderByIssuer('https://slack.com', [PROVIDERS.google])).toBeUndefined();
  });
});

describe('Microsoft helpers', () => {
  it('recognises tenant issuers and extracts the tenant', () => {
    expect(isMicrosoftIssuer(CONSUMER_ISS)).toBe(true);
    expect(isMicrosoftIssuer('https://login.microsoftonline.com/organizations/v2.0')).toBe(false);
    expect(microsoftTenantId(CONSUMER_ISS)).toBe(MICROSOFT_CONSUMER_TENANT_ID);
    expect(microsoftTenantId('https://accounts.google.com')).toBeUndefined();
  });

  it('builds tenant issuers', () => {
    expect(microsoftIssuer(MICROSOFT_CONSUMER_TENANT_ID)).toBe(CONSUMER_ISS);
    expect(microsoftIssuer('consumers')).toBe(CONSUMER_ISS);
    expect(microsoftIssuer('9188040D-6C67-4C5B-B112-36A304B66DAD')).toBe(CONSUMER_ISS);
    for (const bad of ['common', 'organizations', 'contoso.onmicrosoft.com', '']) {
      expect(() => microsoftIssuer(bad)).toThrow(ProviderError);
    }
    expect(microsoftAuthority('common')).toBe('common');
  });

  it('getProvider refuses unknown ids', () => {
    expect(getProvider('apple')).toBe(PROVIDERS.apple);
    expect(() => getProvider('myspace' as never)).toThrow(/built-in/);
  });
});
