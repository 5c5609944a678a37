import { zkSsoErrorsAbi } from '@zksso/contracts';
import { encodeErrorResult } from 'viem';
import { describe, expect, it } from 'vitest';
import { decodeZkSsoRevert } from './errors.ts';

describe('decodeZkSsoRevert', () => {
  it('finds the revert data inside a bundler message', () => {
    const data = encodeErrorResult({ abi: zkSsoErrorsAbi, errorName: 'UnknownJwk', args: [1n, 2n] });
    const message = `UserOperation reverted during simulation with reason: AA23 reverted ${data}`;
    expect(decodeZkSsoRevert(message)).toEqual({ errorName: 'UnknownJwk', args: [1n, 2n] });
  });

  it('skips hex that is not an error of ours', () => {
    expect(decodeZkSsoRevert('sender 0x1234567890123456789012345678901234567890 failed')).toBeUndefined();
  });
});

describe('decodeZkSsoRevert with the generated errors', () => {
  it('decodes a passkey management revert', () => {
    const data = encodeErrorResult({
      abi: zkSsoErrorsAbi,
      errorName: 'OriginNotAllowed',
      args: ['0x1111111111111111111111111111111111111111', `0x${'22'.repeat(32)}`],
    });
    expect(decodeZkSsoRevert(data)?.errorName).toBe('OriginNotAllowed');
  });
});
