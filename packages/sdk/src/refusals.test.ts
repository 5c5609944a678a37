import { sessionKeyValidatorAbi, zkSsoErrorsAbi } from '@zksso/contracts';
import { encodeErrorResult } from 'viem';
import { describe, expect, it } from 'vitest';
import { EphemeralKeyExpiredError, ProofRefusedError, SessionNotActiveError } from './errors.ts';
import { mapSessionRefusal, mapZkLoginRefusal } from './refusals.ts';

/** A bundler refusal as viem reports it: the EntryPoint reason and the inner revert in a nested cause. */
const refusal = (details: string) =>
  new Error('UserOperation reverted', {
    cause: new Error(`UserOperation reverted during simulation: ${details}`),
  });

describe('mapZkLoginRefusal', () => {
  it('maps the EntryPoint expiry refusal to EphemeralKeyExpiredError', () => {
    const mapped = mapZkLoginRefusal(refusal('AA22 expired or not due'), {
      expiry: 1_800_000_000,
      mode: 'key',
    });
    expect(mapped).toBeInstanceOf(EphemeralKeyExpiredError);
    expect((mapped as EphemeralKeyExpiredError).details.expiry).toBe(1_800_000_000);
  });

  it('maps a JWK the registry does not know to ProofRefusedError by the chain', () => {
    const inner = encodeErrorResult({ abi: zkSsoErrorsAbi, errorName: 'UnknownJwk', args: [1n, 2n] });
    const mapped = mapZkLoginRefusal(refusal(`AA23 reverted ${inner}`), {
      expiry: 2_000_000_000,
      mode: 'prove',
    });
    expect(mapped).toBeInstanceOf(ProofRefusedError);
    expect((mapped as ProofRefusedError).details).toMatchObject({ by: 'chain', code: 'UnknownJwk' });
  });

  it('maps a failed mode 0x01 signature check to ProofRefusedError, but not a key-mode one', () => {
    expect(mapZkLoginRefusal(refusal('AA24 signature error'), { expiry: 2e9, mode: 'prove' })).toBeInstanceOf(
      ProofRefusedError,
    );
    const keyMode = refusal('AA24 signature error');
    expect(mapZkLoginRefusal(keyMode, { expiry: 2e9, mode: 'key' })).toBe(keyMode);
  });
});

describe('mapSessionRefusal', () => {
  const hash = `0x${'ab'.repeat(32)}` as const;
  it('maps SessionNotActive by status: closed is revoked, never created is not-found', () => {
    for (const [status, name] of [
      [2, 'revoked'],
      [0, 'not-found'],
    ] as const) {
      const inner = encodeErrorResult({
        abi: sessionKeyValidatorAbi,
        errorName: 'SessionNotActive',
        args: [hash, status],
      });
      const mapped = mapSessionRefusal(refusal(`AA23 reverted 0x${'00'.repeat(36)}${inner.slice(2)}`));
      expect(mapped).toBeInstanceOf(SessionNotActiveError);
      expect((mapped as SessionNotActiveError).details.status).toBe(name);
    }
  });

  it('maps SessionExpired to expired', () => {
    const inner = encodeErrorResult({
      abi: sessionKeyValidatorAbi,
      errorName: 'SessionExpired',
      args: [hash, 1, 2],
    });
    expect(
      (mapSessionRefusal(refusal(`AA23 reverted ${inner}`)) as SessionNotActiveError).details.status,
    ).toBe('expired');
  });
});
