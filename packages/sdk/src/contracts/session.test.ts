import { sessionKeyValidatorAbi, zkSsoAccountAbi } from '@zksso/contracts';
import { normalizeSession, sessionSpecAbi } from '@zksso/core';
import { decodeFunctionData, encodeErrorResult, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { decodeSessionRevert, encodeSessionSignature, sessionSetupCalls } from './session.ts';

describe('decodeSessionRevert', () => {
  const limitError = encodeErrorResult({
    abi: sessionKeyValidatorAbi,
    errorName: 'SessionLimitExceeded',
    args: [`0x${'ab'.repeat(32)}`, 1, 0n, 0n, 0n, 500n, 400n, 1_800_000_060n],
  });

  it('finds the validator error inside a bundler message with other hex around it', () => {
    const message = `UserOperation reverted during simulation with reason: AA23 reverted 0x65c8fd4d${'00'.repeat(40)}${limitError.slice(2)} sender 0x1111111111111111111111111111111111111111`;
    expect(decodeSessionRevert(message)).toEqual({
      errorName: 'SessionLimitExceeded',
      args: [`0x${'ab'.repeat(32)}`, 1, 0n, 0n, 0n, 500n, 400n, 1_800_000_060n],
    });
  });

  it('returns undefined when no validator error is present', () => {
    expect(decodeSessionRevert('AA24 signature error 0x12345678')).toBeUndefined();
  });
});

describe('encodeSessionSignature', () => {
  it('encodes (bytes, SessionSpec, uint48) as the validator decodes it', async () => {
    const { decodeAbiParameters } = await import('viem');
    const spec = normalizeSession(
      {
        signer: '0x3333333333333333333333333333333333333333',
        expiresAt: 2_000_000_000n,
        feeLimit: { limit: 10n ** 16n },
        transfers: [
          { target: '0x4444444444444444444444444444444444444444', valueLimit: { limit: 1000n, period: 60 } },
        ],
      },
      { now: 1_900_000_000n },
    );
    const ecdsa = `0x${'11'.repeat(65)}` as Hex;
    const encoded = encodeSessionSignature(ecdsa, spec, 1_900_000_123n);
    const [sig, decodedSpec, validAt] = decodeAbiParameters(
      [{ type: 'bytes' }, sessionSpecAbi, { type: 'uint48' }],
      encoded,
    );
    expect(sig).toBe(ecdsa);
    expect(validAt).toBe(1_900_000_123);
    expect((decodedSpec as { signer: string }).signer).toBe(spec.signer);
  });
});

describe('sessionSetupCalls', () => {
  const account = '0x1111111111111111111111111111111111111111';
  const validator = '0x2222222222222222222222222222222222222222';
  const spec = normalizeSession(
    {
      signer: '0x3333333333333333333333333333333333333333',
      expiresAt: 2_000_000_000n,
      feeLimit: 10n ** 15n,
      transfers: [{ target: '0x4444444444444444444444444444444444444444', maxValuePerUse: 1n }],
    },
    { now: 1_000_000_000n },
  );

  it('installs the validator on the account, then creates the session on the validator', () => {
    const [install, create, ...rest] = sessionSetupCalls({ account, validator, spec });
    expect(rest).toEqual([]);
    expect(install?.to).toBe(account);
    expect(decodeFunctionData({ abi: zkSsoAccountAbi, data: install?.data as Hex }).args).toEqual([
      1n,
      validator,
      '0x',
    ]);
    expect(create?.to).toBe(validator);
    const decoded = decodeFunctionData({ abi: sessionKeyValidatorAbi, data: create?.data as Hex });
    expect(decoded.functionName).toBe('createSession');
    expect(decoded.args).toMatchObject([{ signer: spec.signer, expiresAt: Number(spec.expiresAt) }]);
  });

  it('only creates the session when the validator is already installed', () => {
    const calls = sessionSetupCalls({ account, validator, spec, installValidator: false });
    expect(calls.map((call) => call.to)).toEqual([validator]);
  });
});
