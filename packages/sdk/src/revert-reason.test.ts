import { sessionKeyValidatorAbi, zkSsoErrorsAbi } from '@zksso/contracts';
import { concat, encodeAbiParameters, encodeErrorResult, parseAbi, toFunctionSelector } from 'viem';
import { describe, expect, it } from 'vitest';
import { decodeRevertReason, tokenErrorsAbi } from './revert-reason.ts';

describe('decodeRevertReason', () => {
  it('reads a revert string', () => {
    const data = concat([
      toFunctionSelector('Error(string)'),
      encodeAbiParameters([{ type: 'string' }], ['not enough stock']),
    ]);
    expect(decodeRevertReason(data)).toEqual({ kind: 'revert-string', reason: '"not enough stock"', data });
  });

  it('names a panic code', () => {
    const data = concat([
      toFunctionSelector('Panic(uint256)'),
      encodeAbiParameters([{ type: 'uint256' }], [0x11n]),
    ]);
    expect(decodeRevertReason(data)).toMatchObject({
      kind: 'panic',
      reason: 'panic 0x11: arithmetic overflow or underflow',
      errorName: 'Panic',
    });
  });

  it('decodes custom errors of zkSSO, the session validator and the token standards, with argument names', () => {
    const zk = encodeErrorResult({ abi: zkSsoErrorsAbi, errorName: 'UnknownJwk', args: [1n, 2n] });
    expect(decodeRevertReason(zk)).toMatchObject({
      kind: 'custom-error',
      errorName: 'UnknownJwk',
      reason: 'UnknownJwk(issHash=1, modulusHash=2)',
      args: ['1', '2'],
    });
    const session = encodeErrorResult({ abi: sessionKeyValidatorAbi, errorName: 'UnlimitedFees' });
    expect(decodeRevertReason(session).reason).toBe('UnlimitedFees()');
    const token = encodeErrorResult({
      abi: tokenErrorsAbi,
      errorName: 'ERC20InsufficientBalance',
      args: ['0x1111111111111111111111111111111111111111', 5n, 10n],
    });
    expect(decodeRevertReason(token).reason).toBe(
      'ERC20InsufficientBalance(sender=0x1111111111111111111111111111111111111111, balance=5, needed=10)',
    );
  });

  it("decodes an app's own error when its ABI is given, and says when it cannot", () => {
    const appAbi = parseAbi(['error SoldOut(uint256 item)']);
    const data = encodeErrorResult({ abi: appAbi, errorName: 'SoldOut', args: [7n] });
    expect(decodeRevertReason(data).reason).toContain('a custom error 0x');
    expect(decodeRevertReason(data).reason).toContain('not in the known ABIs');
    expect(decodeRevertReason(data, appAbi)).toMatchObject({
      errorName: 'SoldOut',
      reason: 'SoldOut(item=7)',
    });
  });

  it('says when there is no reason at all', () => {
    expect(decodeRevertReason('0x')).toMatchObject({ kind: 'no-reason', data: '0x' });
    expect(decodeRevertReason(undefined).kind).toBe('no-reason');
    expect(decodeRevertReason('0x1234').kind).toBe('no-reason');
  });
});
