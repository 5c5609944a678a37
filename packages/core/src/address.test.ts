import { concat, encodePacked, getAddress, keccak256, pad, toHex } from 'viem';
import { describe, expect, it } from 'vitest';
import { openIdAccountSalt, passkeyAccountSalt, predictAccountAddress } from './address.ts';
import { FIELD_MODULUS } from './field.ts';

describe('account addresses', () => {
  it('openIdAccountSalt = keccak256(abi.encode(uint8(1), issHash, idc))', () => {
    const issHash = 123n;
    const idc = FIELD_MODULUS - 1n;
    // abi.encode of static types: each a 32-byte big-endian word.
    const expected = keccak256(concat([pad(toHex(1)), pad(toHex(issHash)), pad(toHex(idc))]));
    expect(openIdAccountSalt({ issHash, identityCommitment: idc })).toBe(expected);
    expect(openIdAccountSalt({ issHash, identityCommitment: idc - 1n })).not.toBe(expected);
  });

  it('passkeyAccountSalt = keccak256(abi.encode(uint8(2), keccak256(credentialId), x, y))', () => {
    const credentialId = new Uint8Array([1, 2, 3, 4, 5]);
    const x = 2n ** 255n + 7n;
    const y = 9n;
    const expected = keccak256(
      concat([pad(toHex(2)), keccak256(credentialId), pad(toHex(x)), pad(toHex(y))]),
    );
    expect(passkeyAccountSalt({ credentialId, x, y })).toBe(expected);
    expect(passkeyAccountSalt({ credentialId: '0x0102030405', x, y })).toBe(expected);
  });

  it('predictAccountAddress is CREATE2 keccak256(0xff ‖ factory ‖ salt ‖ initCodeHash)[12:]', () => {
    const factory = '0x4e59b44847b379578588920cA78FbF26c0B4956C';
    const salt = openIdAccountSalt({ issHash: 1n, identityCommitment: 2n });
    const accountInitCodeHash = keccak256('0x6080');
    const expected = getAddress(
      `0x${keccak256(encodePacked(['bytes1', 'address', 'bytes32', 'bytes32'], ['0xff', factory, salt, accountInitCodeHash])).slice(26)}`,
    );
    expect(predictAccountAddress({ factory, accountInitCodeHash, salt })).toBe(expected);
  });

  it('refuses malformed inputs', () => {
    expect(() => openIdAccountSalt({ issHash: FIELD_MODULUS, identityCommitment: 1n })).toThrow(
      expect.objectContaining({ code: 'OUT_OF_RANGE' }),
    );
    expect(() => passkeyAccountSalt({ credentialId: new Uint8Array(), x: 1n, y: 1n })).toThrow(
      expect.objectContaining({ code: 'INVALID_LENGTH' }),
    );
    expect(() =>
      predictAccountAddress({
        factory: '0x4e59b44847b379578588920cA78FbF26c0B4956C',
        accountInitCodeHash: '0x12',
        salt: keccak256('0x'),
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_LENGTH' }));
  });
});
