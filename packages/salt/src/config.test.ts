import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has loopback, stored-SQLite, dev-IdP defaults', () => {
    const config = loadConfig({ HOME: '/home/x' });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 18810,
      mode: 'stored',
      store: 'sqlite',
      sqlitePath: '/home/x/.local/share/zksso/salt.sqlite',
      issuers: ['http://127.0.0.1:18800'],
      audiences: ['zksso-dev'],
      maxInFlight: 64,
    });
  });

  it('normalises issuers and parses JWKS overrides', () => {
    const config = loadConfig({
      SALT_ISSUERS: 'accounts.google.com, https://appleid.apple.com',
      SALT_JWKS_URIS: 'accounts.google.com=https://www.googleapis.com/oauth2/v3/certs',
    });
    expect(config.issuers).toEqual(['https://accounts.google.com', 'https://appleid.apple.com']);
    expect(config.jwksUris).toEqual({
      'https://accounts.google.com': 'https://www.googleapis.com/oauth2/v3/certs',
    });
  });

  it('picks Postgres when a database URL is set', () => {
    expect(loadConfig({ SALT_DATABASE_URL: 'postgres://x@127.0.0.1/db' }).store).toBe('postgres');
  });

  it('refuses invalid settings with CONFIG_INVALID', () => {
    for (const env of [
      { SALT_MODE: 'random' },
      { SALT_MODE: 'derived' },
      { SALT_MODE: 'derived', SALT_MASTER_SEED: 'abcd' },
      { SALT_STORE: 'postgres' },
      { SALT_PORT: '-1' },
      { SALT_MAX_IN_FLIGHT: '0' },
      { SALT_JWKS_URIS: 'no-equals-sign' },
    ]) {
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID' }),
      );
    }
    expect(
      loadConfig({ SALT_MODE: 'derived', SALT_MASTER_SEED: `0x${'11'.repeat(32)}` }).masterSeed,
    ).toHaveLength(32);
  });
});
