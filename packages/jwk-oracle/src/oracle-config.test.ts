import { describe, expect, it } from 'vitest';
import { createJwkOracle, type JwkOracleConfig } from './oracle.ts';

const valid: JwkOracleConfig = {
  issuers: ['https://accounts.google.com'],
  rpcUrl: 'http://127.0.0.1:21949',
  registry: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  signer: { mode: 'owner', privateKey: `0x${'11'.repeat(32)}` },
};

describe('createJwkOracle configuration', () => {
  it('accepts a complete configuration without contacting anything', () => {
    expect(() => createJwkOracle(valid)).not.toThrow();
  });

  it('refuses unusable configurations with JWK_ORACLE_CONFIG, naming the reason', () => {
    const cases: [Partial<JwkOracleConfig>, RegExp][] = [
      [{ issuers: [] }, /at least one issuer/],
      [{ issuers: ['accounts.google.com', 'https://accounts.google.com'] }, /configured twice/],
      [{ issuers: [`https://${'x'.repeat(130)}.example`] }, /cannot be hashed/],
      [{ registry: '0x1234' as never }, /not an address/],
      [{ rpcUrl: '' }, /rpcUrl is required/],
      [{ gracePeriodMs: -1 }, /gracePeriodMs/],
      [{ signer: { mode: 'owner', privateKey: '' as never } }, /owner mode needs a private key/],
      [{ signer: { mode: 'oracle' } }, /at least one signer/],
      [{ signer: { mode: 'nobody' } as never }, /signer.mode/],
    ];
    for (const [change, reason] of cases) {
      expect(() => createJwkOracle({ ...valid, ...change }), JSON.stringify(change)).toThrow(
        expect.objectContaining({ code: 'JWK_ORACLE_CONFIG', message: expect.stringMatching(reason) }),
      );
    }
  });
});
