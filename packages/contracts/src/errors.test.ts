import { loadArtifact } from '@zksso/devstack/deploy';
import { type Abi, encodeErrorResult } from 'viem';
import { describe, expect, it } from 'vitest';
import { decodeZkSsoRevert, zkSsoErrorsAbi } from './errors.ts';

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

/** `Name(type,type)` of every error item (our errors take no tuples, so the plain types identify them). */
function errorSignatures(abi: Abi): string[] {
  return abi.flatMap((item) =>
    item.type === 'error' ? [`${item.name}(${item.inputs.map((input) => input.type).join(',')})`] : [],
  );
}

describe('zkSsoErrorsAbi', () => {
  it('lists every error the compiled account, factory, ZkLogin/WebAuthn validators and JwkRegistry can revert with', () => {
    const listed = new Set(errorSignatures(zkSsoErrorsAbi));
    for (const name of [
      'ZkSsoAccount',
      'ZkSsoAccountFactory',
      'ZkLoginValidator',
      'JwkRegistry',
      'WebAuthnValidator',
    ]) {
      const compiled = errorSignatures(loadArtifact(name).abi);
      expect(compiled.length, name).toBeGreaterThan(0);
      expect(
        compiled.filter((signature) => !listed.has(signature)),
        name,
      ).toEqual([]);
    }
  });

  it('decodes a passkey management revert', () => {
    const data = encodeErrorResult({
      abi: zkSsoErrorsAbi,
      errorName: 'OriginNotAllowed',
      args: ['0x1111111111111111111111111111111111111111', `0x${'22'.repeat(32)}`],
    });
    expect(decodeZkSsoRevert(data)?.errorName).toBe('OriginNotAllowed');
  });
});
