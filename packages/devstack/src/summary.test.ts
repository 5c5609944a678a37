import { describe, expect, it } from 'vitest';
import type { DevStack } from './stack.ts';
import { formatSummary } from './summary.ts';

const stack = {
  urls: {
    rpc: 'http://127.0.0.1:8545',
    bundler: 'http://127.0.0.1:4337',
    idp: 'http://127.0.0.1:5556',
    jwks: 'http://127.0.0.1:5556/jwks',
    salt: 'http://127.0.0.1:5557',
  },
  chainId: 31337,
  idp: { issuer: 'http://127.0.0.1:5556', clientIds: ['zksso-dev'] },
  prover: { running: false, tiers: [], reason: 'disabled (--no-prover)' },
  addresses: { chainId: 31337, verifiers: {} },
  jwk: { via: 'jwk-oracle', keys: [] },
  testAccounts: [],
  stateDir: '/tmp/state',
} as unknown as DevStack;

describe('formatSummary', () => {
  it('prints the demo and auth server URLs when the apps run, and says to open the demo', () => {
    const text = formatSummary({
      ...stack,
      urls: { ...stack.urls, authServer: 'http://localhost:5560', demo: 'http://127.0.0.1:5561' },
    });
    expect(text).toMatch(/demo dapp\s+http:\/\/127\.0\.0\.1:5561/);
    expect(text).toMatch(/auth server\s+http:\/\/localhost:5560/);
    expect(text).toContain('Open the demo dapp: http://127.0.0.1:5561');
  });

  it('leaves them out without the apps (--no-apps)', () => {
    const text = formatSummary(stack);
    expect(text).not.toContain('demo dapp');
    expect(text).not.toContain('auth server');
  });
});
