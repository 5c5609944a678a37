import { describe, expect, it } from 'vitest';
import * as core from './index.ts';

describe('@zksso/core entry point', () => {
  it('exports the protocol functions and the other modules', () => {
    for (const name of [
      'poseidonHash',
      'hashBytes',
      'computeIdentityCommitment',
      'computeNonce',
      'decodeJwt',
      'extractIdentityClaims',
      'createP256EphemeralKey',
      'predictAccountAddress',
      'buildPublicInputs',
      'modulusFromJwk',
      'sessionHash',
      'getProvider',
    ]) {
      expect(typeof (core as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(new core.ClaimTooLongError('aud', 2, 1)).toBeInstanceOf(core.ZkSsoError);
  });
});
