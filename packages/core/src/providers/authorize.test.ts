import { describe, expect, it } from 'vitest';
import { buildAuthorizationUrl } from './authorize.ts';
import { ProviderError } from './errors.ts';
import { PROVIDER_IDS } from './table.ts';
import type { ProviderId } from './types.ts';

const NONCE = 'Xy3kQ_r9-0aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456';
const REDIRECT = 'https://wallet.example/callback?from=login';

const parse = (url: string) => {
  const parsed = new URL(url);
  return { base: `${parsed.origin}${parsed.pathname}`, params: Object.fromEntries(parsed.searchParams) };
};

const EXPECTED: Record<ProviderId, { base: string; params: Record<string, string> }> = {
  google: {
    base: 'https://accounts.google.com/o/oauth2/v2/auth',
    params: { response_type: 'id_token', scope: 'openid' },
  },
  facebook: {
    base: 'https://www.facebook.com/v21.0/dialog/oauth',
    params: { response_type: 'id_token', scope: 'openid' },
  },
  twitch: {
    base: 'https://id.twitch.tv/oauth2/authorize',
    params: { response_type: 'id_token', scope: 'openid' },
  },
  kakao: {
    base: 'https://kauth.kakao.com/oauth/authorize',
    params: { response_type: 'code', scope: 'openid' },
  },
  apple: {
    base: 'https://appleid.apple.com/auth/authorize',
    params: { response_type: 'code id_token', response_mode: 'form_post', scope: 'openid' },
  },
  slack: {
    base: 'https://slack.com/openid/connect/authorize',
    params: { response_type: 'code', scope: 'openid' },
  },
  microsoft: {
    base: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
    params: { response_type: 'id_token', scope: 'openid' },
  },
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

describe('buildAuthorizationUrl', () => {
  it.each(PROVIDER_IDS)('builds the %s URL with every parameter', (provider) => {
    const { base, params } = parse(
      buildAuthorizationUrl({
        provider,
        clientId: 'client-1',
        redirectUri: REDIRECT,
        nonce: NONCE,
        state: 'st&te=1',
      }),
    );
    expect(base).toBe(EXPECTED[provider].base);
    expect(params).toEqual({
      client_id: 'client-1',
      redirect_uri: REDIRECT,
      nonce: NONCE,
      state: 'st&te=1',
      ...EXPECTED[provider].params,
    });
  });

  it('sends Apple responses as form_post and lets callers override the mode', () => {
    const apple = parse(
      buildAuthorizationUrl({ provider: 'apple', clientId: 'c', redirectUri: REDIRECT, nonce: NONCE }),
    );
    expect(apple.params.response_mode).toBe('form_post');
    const google = parse(
      buildAuthorizationUrl({
        provider: 'google',
        clientId: 'c',
        redirectUri: REDIRECT,
        nonce: NONCE,
        responseMode: 'form_post',
      }),
    );
    expect(google.params.response_mode).toBe('form_post');
  });

  it('adds scopes, login hint, prompt, claims and PKCE', () => {
    const { params } = parse(
      buildAuthorizationUrl({
        provider: 'twitch',
        clientId: 'c',
        redirectUri: REDIRECT,
        nonce: NONCE,
        scope: ['email', 'user:read:email'],
        loginHint: 'alice@example.com',
        prompt: 'login',
        claims: { id_token: { email: null, email_verified: null } },
      }),
    );
    expect(params.scope).toBe('openid email user:read:email');
    expect(params.login_hint).toBe('alice@example.com');
    expect(params.prompt).toBe('login');
    expect(JSON.parse(params.claims ?? '')).toEqual({ id_token: { email: null, email_verified: null } });

    const kakao = parse(
      buildAuthorizationUrl({
        provider: 'kakao',
        clientId: 'c',
        redirectUri: REDIRECT,
        nonce: NONCE,
        codeChallenge: 'abc',
        scope: 'openid account_email',
      }),
    );
    expect(kakao.params).toMatchObject({
      code_challenge: 'abc',
      code_challenge_method: 'S256',
      scope: 'openid account_email',
    });
  });

  it('uses the Microsoft tenant in the path', () => {
    for (const [tenant, path] of [
      ['consumers', 'consumers'],
      ['organizations', 'organizations'],
      ['72F988BF-86F1-41AF-91AB-2D7CD011DB47', '72f988bf-86f1-41af-91ab-2d7cd011db47'],
    ] as const) {
      const { base } = parse(
        buildAuthorizationUrl({
          provider: 'microsoft',
          tenant,
          clientId: 'c',
          redirectUri: REDIRECT,
          nonce: NONCE,
        }),
      );
      expect(base).toBe(`https://login.microsoftonline.com/${path}/oauth2/v2.0/authorize`);
    }
    expect(
      codeOf(() =>
        buildAuthorizationUrl({
          provider: 'microsoft',
          tenant: 'contoso',
          clientId: 'c',
          redirectUri: REDIRECT,
          nonce: NONCE,
        }),
      ),
    ).toBe('MICROSOFT_TENANT_INVALID');
  });

  it('refuses bad parameters with typed errors', () => {
    const ok = { provider: 'google' as const, clientId: 'c', redirectUri: REDIRECT, nonce: NONCE };
    expect(codeOf(() => buildAuthorizationUrl({ ...ok, nonce: '' }))).toBe('AUTH_PARAM_INVALID');
    expect(codeOf(() => buildAuthorizationUrl({ ...ok, clientId: undefined as never }))).toBe(
      'AUTH_PARAM_INVALID',
    );
    expect(codeOf(() => buildAuthorizationUrl({ ...ok, tenant: 'common' }))).toBe('AUTH_PARAM_INVALID');
    expect(codeOf(() => buildAuthorizationUrl({ ...ok, codeChallenge: 'abc' }))).toBe('AUTH_PARAM_INVALID');
    expect(codeOf(() => buildAuthorizationUrl({ ...ok, extraParams: { nonce: 'other' } }))).toBe(
      'AUTH_PARAM_INVALID',
    );
    expect(codeOf(() => buildAuthorizationUrl({ ...ok, redirectUri: 'http://wallet.example/cb' }))).toBe(
      'REDIRECT_URI_INVALID',
    );
    expect(codeOf(() => buildAuthorizationUrl({ ...ok, redirectUri: '/callback' }))).toBe(
      'REDIRECT_URI_INVALID',
    );
    expect(codeOf(() => buildAuthorizationUrl({ ...ok, redirectUri: 'https://a.example/#x' }))).toBe(
      'REDIRECT_URI_INVALID',
    );
    expect(codeOf(() => buildAuthorizationUrl({ ...ok, provider: 'myspace' as never }))).toBe(
      'UNKNOWN_PROVIDER',
    );
    expect(codeOf(() => buildAuthorizationUrl({ ...ok, redirectUri: 'http://127.0.0.1:5173/cb' }))).toBe(
      'no error',
    );
  });

  it('passes extra parameters through', () => {
    const { params } = parse(
      buildAuthorizationUrl({
        provider: 'google',
        clientId: 'c',
        redirectUri: REDIRECT,
        nonce: NONCE,
        extraParams: { hd: 'example.com' },
      }),
    );
    expect(params.hd).toBe('example.com');
  });
});
