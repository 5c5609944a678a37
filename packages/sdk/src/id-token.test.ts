import { describe, expect, it } from 'vitest';
import { ServiceError } from './errors.ts';
import { fetchIdToken } from './id-token.ts';

const nonce = 'x'.repeat(43);

describe('fetchIdToken with a callback', () => {
  it('builds the provider authorization URL with the nonce and hands it to the callback', async () => {
    const seen: string[] = [];
    const token = await fetchIdToken(
      {
        kind: 'callback',
        provider: 'google',
        redirectUri: 'http://127.0.0.1:8765/callback',
        state: 'st',
        getIdToken: async (url, n) => {
          seen.push(url, n);
          return 'a.b.c';
        },
      },
      { clientId: 'client-1', nonce },
    );
    expect(token).toBe('a.b.c');
    const url = new URL(seen[0] as string);
    expect(url.origin).toBe('https://accounts.google.com');
    expect(url.searchParams.get('nonce')).toBe(nonce);
    expect(url.searchParams.get('client_id')).toBe('client-1');
    expect(url.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:8765/callback');
    expect(url.searchParams.get('state')).toBe('st');
    expect(seen[1]).toBe(nonce);
  });

  it('passes an empty URL when no provider is named', async () => {
    let seen = 'unset';
    await fetchIdToken(
      {
        kind: 'callback',
        getIdToken: async (url) => {
          seen = url;
          return 't';
        },
      },
      { clientId: 'c', nonce },
    );
    expect(seen).toBe('');
  });
});

describe('fetchIdToken from the dev provider', () => {
  it('needs an issuer', async () => {
    await expect(
      fetchIdToken({ kind: 'dev', user: 'alice' }, { clientId: 'c', nonce }),
    ).rejects.toBeInstanceOf(ServiceError);
  });

  it('reports an unreachable provider as a ServiceError of the idp', async () => {
    const error = await fetchIdToken(
      { kind: 'dev', user: 'alice', issuerUrl: 'http://127.0.0.1:1' },
      { clientId: 'c', nonce },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).details).toMatchObject({ service: 'idp', status: 0 });
  });
});
