import { describe, expect, it } from 'vitest';
import { ProviderError } from './errors.ts';
import { buildTokenExchangeRequest, parseTokenResponse } from './token.ts';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln';
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProviderError) return error.code;
    throw error;
  }
  return 'no error';
};

describe('buildTokenExchangeRequest', () => {
  it('describes Kakao’s code exchange', () => {
    const request = buildTokenExchangeRequest({
      provider: 'kakao',
      code: 'code/with+chars',
      clientId: 'rest-api-key',
      redirectUri: 'https://wallet.example/kakao',
      codeVerifier: 'verifier-123',
    });
    expect(request).toEqual({
      url: 'https://kauth.kakao.com/oauth/token',
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8',
        Accept: 'application/json',
      },
      body: expect.any(String),
    });
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      grant_type: 'authorization_code',
      client_id: 'rest-api-key',
      code: 'code/with+chars',
      redirect_uri: 'https://wallet.example/kakao',
      code_verifier: 'verifier-123',
    });
  });

  it('describes Slack’s openid.connect.token call with the client secret', () => {
    const request = buildTokenExchangeRequest({
      provider: 'slack',
      code: 'c0de',
      clientId: '2141029472.691202649728',
      clientSecret: 's3cret',
      redirectUri: 'https://wallet.example/slack',
    });
    expect(request.url).toBe('https://slack.com/api/openid.connect.token');
    expect(request.method).toBe('POST');
    expect(request.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      grant_type: 'authorization_code',
      client_id: '2141029472.691202649728',
      client_secret: 's3cret',
      code: 'c0de',
      redirect_uri: 'https://wallet.example/slack',
    });
  });

  it('refuses Slack without secret and implicit-flow providers', () => {
    const base = { code: 'c', clientId: 'id', redirectUri: 'https://w.example/cb' };
    expect(codeOf(() => buildTokenExchangeRequest({ ...base, provider: 'slack' }))).toBe(
      'CLIENT_SECRET_REQUIRED',
    );
    expect(codeOf(() => buildTokenExchangeRequest({ ...base, provider: 'google' }))).toBe(
      'TOKEN_EXCHANGE_UNSUPPORTED',
    );
    expect(codeOf(() => buildTokenExchangeRequest({ ...base, provider: 'kakao', code: '' }))).toBe(
      'AUTH_PARAM_INVALID',
    );
  });
});

describe('parseTokenResponse', () => {
  it('returns the id_token from an object or JSON text', () => {
    expect(parseTokenResponse({ access_token: 'a', token_type: 'bearer', id_token: JWT })).toBe(JWT);
    expect(parseTokenResponse(JSON.stringify({ ok: true, id_token: JWT }))).toBe(JWT);
  });

  it('reports provider errors without leaking tokens', () => {
    try {
      parseTokenResponse({ ok: false, error: 'invalid_code' });
      expect.unreachable();
    } catch (error) {
      expect((error as ProviderError).code).toBe('TOKEN_RESPONSE_ERROR');
      expect((error as ProviderError).details).toEqual({ error: 'invalid_code' });
    }
    expect(codeOf(() => parseTokenResponse({ error: 'invalid_grant', error_description: 'expired' }))).toBe(
      'TOKEN_RESPONSE_ERROR',
    );
  });

  it('refuses answers without a usable id_token', () => {
    expect(codeOf(() => parseTokenResponse({ access_token: 'a' }))).toBe('TOKEN_RESPONSE_MISSING_ID_TOKEN');
    expect(codeOf(() => parseTokenResponse({ id_token: 'not a jwt' }))).toBe('TOKEN_RESPONSE_MALFORMED');
    expect(codeOf(() => parseTokenResponse('{oops'))).toBe('TOKEN_RESPONSE_MALFORMED');
    expect(codeOf(() => parseTokenResponse([JWT]))).toBe('TOKEN_RESPONSE_MALFORMED');
    try {
      parseTokenResponse({ id_token: 'secret.but.bad token' });
      expect.unreachable();
    } catch (error) {
      expect(JSON.stringify((error as ProviderError).details)).not.toContain('secret');
    }
  });
});
