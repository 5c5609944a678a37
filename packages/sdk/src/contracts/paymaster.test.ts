import { ZkSsoError } from '@zksso/core';
import { type Hex, recoverMessageAddress, size, slice } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import {
  DUMMY_VERIFYING_PAYMASTER_DATA,
  encodeVerifyingPaymasterAndData,
  getVerifyingPaymasterHash,
  type SponsoredUserOperation,
  signVerifyingPaymasterData,
} from './paymaster.ts';

const PAYMASTER = '0x00000000000000000000000000000000000000aa' as const;

const userOperation: SponsoredUserOperation = {
  sender: '0x1111111111111111111111111111111111111111',
  nonce: 3n,
  callData: '0x1234',
  callGasLimit: 100_000n,
  verificationGasLimit: 500_000n,
  preVerificationGas: 50_000n,
  maxFeePerGas: 2_000_000_000n,
  maxPriorityFeePerGas: 1_000_000_000n,
  paymasterVerificationGasLimit: 80_000n,
  paymasterPostOpGasLimit: 0n,
};

const base = {
  userOperation,
  paymaster: PAYMASTER,
  chainId: 31337,
  validUntil: 1_900_000_000,
  validAfter: 0,
};

describe('getVerifyingPaymasterHash', () => {
  it('changes with every covered field', () => {
    const reference = getVerifyingPaymasterHash(base);
    const variants: Parameters<typeof getVerifyingPaymasterHash>[0][] = [
      { ...base, userOperation: { ...userOperation, nonce: 4n } },
      { ...base, userOperation: { ...userOperation, callData: '0x1235' } },
      { ...base, userOperation: { ...userOperation, callGasLimit: 100_001n } },
      { ...base, userOperation: { ...userOperation, verificationGasLimit: 1n } },
      { ...base, userOperation: { ...userOperation, preVerificationGas: 1n } },
      { ...base, userOperation: { ...userOperation, maxFeePerGas: 1n } },
      { ...base, userOperation: { ...userOperation, maxPriorityFeePerGas: 1n } },
      { ...base, userOperation: { ...userOperation, paymasterVerificationGasLimit: 1n } },
      { ...base, userOperation: { ...userOperation, paymasterPostOpGasLimit: 1n } },
      {
        ...base,
        userOperation: { ...userOperation, factory: PAYMASTER, factoryData: '0xabcd' },
      },
      { ...base, chainId: 1 },
      { ...base, paymaster: '0x00000000000000000000000000000000000000ab' },
      { ...base, validUntil: 1_900_000_001 },
      { ...base, validAfter: 5 },
    ];
    const hashes = new Set(variants.map(getVerifyingPaymasterHash));
    expect(hashes.size).toBe(variants.length);
    expect(hashes.has(reference)).toBe(false);
  });

  it('refuses an empty or out-of-range window with INVALID_PAYMASTER_WINDOW', () => {
    for (const window of [
      { validUntil: 10, validAfter: 10 },
      { validUntil: 2n ** 48n, validAfter: 0 },
      { validUntil: 0, validAfter: -1 },
    ]) {
      try {
        getVerifyingPaymasterHash({ ...base, ...window });
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(ZkSsoError);
        expect((error as ZkSsoError).code).toBe('INVALID_PAYMASTER_WINDOW');
      }
    }
  });
});

describe('signVerifyingPaymasterData', () => {
  it('returns window ‖ personal_sign of the hash by the signer', async () => {
    const signer = privateKeyToAccount(generatePrivateKey());
    const paymasterData = await signVerifyingPaymasterData({ ...base, signer, validAfter: 7 });
    expect(size(paymasterData)).toBe(129);
    expect(BigInt(slice(paymasterData, 0, 32))).toBe(1_900_000_000n);
    expect(BigInt(slice(paymasterData, 32, 64))).toBe(7n);
    const recovered = await recoverMessageAddress({
      message: { raw: getVerifyingPaymasterHash({ ...base, validAfter: 7 }) },
      signature: slice(paymasterData, 64),
    });
    expect(recovered).toBe(signer.address);
  });
});

describe('encodeVerifyingPaymasterAndData', () => {
  it('packs paymaster ‖ gas limits ‖ data into 181 bytes', () => {
    const packed = encodeVerifyingPaymasterAndData({
      paymaster: PAYMASTER,
      paymasterVerificationGasLimit: 80_000n,
      paymasterPostOpGasLimit: 5n,
      paymasterData: DUMMY_VERIFYING_PAYMASTER_DATA,
    });
    expect(size(packed)).toBe(181);
    expect(slice(packed, 0, 20)).toBe(PAYMASTER);
    expect(BigInt(slice(packed, 20, 36))).toBe(80_000n);
    expect(BigInt(slice(packed, 36, 52))).toBe(5n);
    expect(slice(packed, 52)).toBe(DUMMY_VERIFYING_PAYMASTER_DATA);
  });

  it('refuses paymasterData of the wrong size', () => {
    expect(() =>
      encodeVerifyingPaymasterAndData({
        paymaster: PAYMASTER,
        paymasterVerificationGasLimit: 1n,
        paymasterPostOpGasLimit: 0n,
        paymasterData: '0x00' as Hex,
      }),
    ).toThrow(/129 bytes/);
  });
});
