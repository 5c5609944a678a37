import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG, loadConfig, parseAudiences, parseIssuers } from './config.ts';

describe('parseIssuers', () => {
  it('reads comma lists with optional JWKS URIs, and JSON objects; normalises issuers', () => {
    expect(parseIssuers('accounts.google.com, http://127.0.0.1:9000=http://127.0.0.1:9000/jwks?x=1')).toEqual(
      [
        { issuer: 'https://accounts.google.com' },
        { issuer: 'http://127.0.0.1:9000', jwksUri: 'http://127.0.0.1:9000/jwks?x=1' },
      ],
    );
    expect(parseIssuers('{"https://a.example":null,"https://b.example":"https://b.example/keys"}')).toEqual([
      { issuer: 'https://a.example' },
      { issuer: 'https://b.example', jwksUri: 'https://b.example/keys' },
    ]);
    expect(parseIssuers('  ')).toEqual([]);
    expect(() => parseIssuers('https://a.example=not a url')).toThrow(ConfigError);
    expect(() => parseIssuers('{"https://a.example":3}')).toThrow(ConfigError);
  });
});

describe('parseAudiences', () => {
  const issuers = parseIssuers('accounts.google.com, http://127.0.0.1:9000');

  it('reads client ids for every issuer, or JSON per issuer (normalised, each on the issuer list)', () => {
    expect(parseAudiences(' zksso-dev, my-app ,', issuers)).toEqual([
      { audience: 'zksso-dev' },
      { audience: 'my-app' },
    ]);
    expect(
      parseAudiences(
        '{"accounts.google.com": ["1.apps", "2.apps"], "http://127.0.0.1:9000": ["dev"]}',
        issuers,
      ),
    ).toEqual([
      { audience: '1.apps', issuer: 'https://accounts.google.com' },
      { audience: '2.apps', issuer: 'https://accounts.google.com' },
      { audience: 'dev', issuer: 'http://127.0.0.1:9000' },
    ]);
    expect(parseAudiences('', issuers)).toEqual([]);
  });

  it('refuses bad JSON, issuers off the allow-list and non-string client ids', () => {
    expect(() => parseAudiences('{"a":', issuers)).toThrow(ConfigError);
    expect(() => parseAudiences('{"https://evil.example": ["x"]}', issuers)).toThrow(
      /not in ZKSSO_PROVER_ISSUERS/,
    );
    expect(() => parseAudiences('{"accounts.google.com": "x"}', issuers)).toThrow(ConfigError);
    expect(() => parseAudiences('{"accounts.google.com": [""]}', issuers)).toThrow(ConfigError);
  });
});

describe('loadConfig', () => {
  it('uses the documented defaults for unset variables', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8090, host: '127.0.0.1', queueSize: 16, issuers: [] });
    expect(config.concurrency).toBeGreaterThanOrEqual(1);
    expect(config.tiers).toEqual(DEFAULT_CONFIG.tiers);
  });

  it('reads every variable and refuses bad values', () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '0.0.0.0',
      ZKSSO_PROVER_ISSUERS: 'https://accounts.google.com',
      ZKSSO_PROVER_TIERS: '1600,1024,1024',
      CONCURRENCY: '2',
      QUEUE_SIZE: '0',
      TIMEOUT_MS: '1000',
      MAX_EXPIRY_SECONDS: '60',
      ZKSSO_CACHE_DIR: '/srv/zksso',
      ZKSSO_PROVER_AUDIENCES: '{"accounts.google.com": ["1.apps"]}',
      CLOCK_SKEW_SECONDS: '0',
      RATE_WINDOW_SECONDS: '60',
      RATE_PER_SUBJECT: '0',
      RATE_PER_ADDRESS: '5',
      TRUST_PROXY: 'true',
    });
    expect(config).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      tiers: [1024, 1600],
      concurrency: 2,
      queueSize: 0,
      timeoutMs: 1000,
      maxExpirySeconds: 60,
      cacheDir: '/srv/zksso',
      audiences: [{ audience: '1.apps', issuer: 'https://accounts.google.com' }],
      clockSkewSeconds: 0,
      rateWindowSeconds: 60,
      ratePerSubject: 0,
      ratePerAddress: 5,
      trustProxy: true,
    });
    expect(() => loadConfig({ CONCURRENCY: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ QUEUE_SIZE: '-1' })).toThrow(ConfigError);
    expect(() => loadConfig({ ZKSSO_PROVER_TIERS: '70000' })).toThrow(ConfigError);
    expect(() => loadConfig({ TIMEOUT_MS: '1e3' })).toThrow(ConfigError);
    expect(() => loadConfig({ RATE_WINDOW_SECONDS: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: 'yes' })).toThrow(ConfigError);
    // Per-issuer client ids for an issuer that is not allowed: a typo, refused at start.
    expect(() => loadConfig({ ZKSSO_PROVER_AUDIENCES: '{"https://a.example": ["x"]}' })).toThrow(ConfigError);
  });
});

describe('README configuration table', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.split('## Configuration')[1]?.split('\n## ')[0] ?? '';
  const rows = new Map(
    [...section.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| ([^|]+) \|/gm)].map((m) => [m[1], m[2]?.trim()]),
  );

  it('lists exactly the variables loadConfig reads', () => {
    const read = new Set<string>();
    const env = new Proxy({} as Record<string, string | undefined>, {
      get: (_target, name) => {
        if (typeof name === 'string') read.add(name);
        return undefined;
      },
    });
    loadConfig(env);
    expect([...rows.keys()].sort()).toEqual([...read].sort());
  });

  it('states the defaults DEFAULT_CONFIG has', () => {
    const numeric: Record<string, number> = {
      PORT: DEFAULT_CONFIG.port,
      QUEUE_SIZE: DEFAULT_CONFIG.queueSize,
      TIMEOUT_MS: DEFAULT_CONFIG.timeoutMs,
      MAX_EXPIRY_SECONDS: DEFAULT_CONFIG.maxExpirySeconds,
      MAX_BODY_BYTES: DEFAULT_CONFIG.maxBodyBytes,
      JWKS_TTL_MS: DEFAULT_CONFIG.jwksTtlMs,
      JWKS_MIN_REFETCH_MS: DEFAULT_CONFIG.jwksMinRefetchMs,
      JWKS_TIMEOUT_MS: DEFAULT_CONFIG.jwksTimeoutMs,
      SHUTDOWN_TIMEOUT_MS: DEFAULT_CONFIG.shutdownTimeoutMs,
      CLOCK_SKEW_SECONDS: DEFAULT_CONFIG.clockSkewSeconds,
      RATE_WINDOW_SECONDS: DEFAULT_CONFIG.rateWindowSeconds,
      RATE_PER_SUBJECT: DEFAULT_CONFIG.ratePerSubject,
      RATE_PER_ADDRESS: DEFAULT_CONFIG.ratePerAddress,
      ZKSSO_PROVER_TIERS: DEFAULT_CONFIG.tiers[0] as number,
    };
    for (const [name, value] of Object.entries(numeric)) {
      expect(rows.get(name), name).toMatch(new RegExp(`^\`${value}\``));
    }
    expect(rows.get('HOST')).toBe(`\`${DEFAULT_CONFIG.host}\``);
    expect(rows.get('LOG_LEVEL')).toBe(`\`${DEFAULT_CONFIG.logLevel}\``);
    expect(DEFAULT_CONFIG.concurrency).toBe(Math.max(1, Math.floor(availableParallelism() / 8)));
    expect(rows.get('CONCURRENCY')).toBe('`max(1, floor(cores / 8))`');
    expect(DEFAULT_CONFIG.issuers).toEqual([]);
    expect(rows.get('ZKSSO_PROVER_ISSUERS')).toMatch(/^empty/);
    expect(DEFAULT_CONFIG.audiences).toEqual([]);
    expect(rows.get('ZKSSO_PROVER_AUDIENCES')).toMatch(/^empty \(refuse all\)/);
    expect(rows.get('TRUST_PROXY')).toBe(`\`${DEFAULT_CONFIG.trustProxy}\``);
  });
});
