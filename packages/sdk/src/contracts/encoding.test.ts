import { zkSsoAccountAbi } from '@zksso/contracts';
import { InvalidEphemeralKeyError } from '@zksso/core';
import { decodeFunctionData, size, slice } from 'viem';
import { describe, expect, it } from 'vitest';
import {
  decodeSolidityProof,
  EXECUTION_MODE,
  encodeExecute,
  encodeKeySignature,
  encodeProveSignature,
  InvalidProofEncodingError,
  withValidator,
} from './encoding.ts';

const address = '0x1111111111111111111111111111111111111111';
const sig65 = `0x${'22'.repeat(65)}` as const;

describe('encoding', () => {
  it('lays out a mode 0x01 signature at the offsets of protocol §10', () => {
    const sig = encodeProveSignature({
      tier: 1600,
      proof: {
        a: [1n, 2n],
        b: [
          [3n, 4n],
          [5n, 6n],
        ],
        c: [7n, 8n],
      },
      modulusHash: 9n,
      expiry: 0x010203040506n,
      keyType: 1,
      keyBytes: address,
      signature: sig65,
    });
    expect(size(sig)).toBe(318 + 65);
    expect(slice(sig, 0, 1)).toBe('0x01');
    expect(BigInt(slice(sig, 1, 3))).toBe(1600n);
    expect(BigInt(slice(sig, 67, 99))).toBe(3n);
    expect(BigInt(slice(sig, 259, 291))).toBe(9n);
    expect(slice(sig, 291, 297)).toBe('0x010203040506');
    expect(slice(sig, 297, 298)).toBe('0x01');
    expect(slice(sig, 298, 318)).toBe(address);
  });

  it('lays out a mode 0x02 signature and prefixes the validator', () => {
    const sig = withValidator(
      address,
      encodeKeySignature({ keyType: 1, keyBytes: address, signature: sig65 }),
    );
    expect(size(sig)).toBe(20 + 1 + 1 + 20 + 65);
    expect(slice(sig, 20, 22)).toBe('0x0201');
  });

  it('refuses key parts of the wrong size', () => {
    expect(() => encodeKeySignature({ keyType: 2, keyBytes: address, signature: sig65 })).toThrow(
      InvalidEphemeralKeyError,
    );
    expect(() => encodeKeySignature({ keyType: 3, keyBytes: address, signature: sig65 })).toThrow(
      InvalidEphemeralKeyError,
    );
  });

  it('encodes single and batch executions', () => {
    const single = decodeFunctionData({
      abi: zkSsoAccountAbi,
      data: encodeExecute([{ to: address, value: 5n, data: '0xabcd' }]),
    });
    if (single.functionName !== 'execute') throw new Error(`decoded ${single.functionName}`);
    expect(single.args[0]).toBe(EXECUTION_MODE.single);
    expect(size(single.args[1])).toBe(20 + 32 + 2);
    const batch = decodeFunctionData({
      abi: zkSsoAccountAbi,
      data: encodeExecute([{ to: address }, { to: address, value: 1n }]),
    });
    expect(batch.functionName).toBe('execute');
    expect(batch.args?.[0]).toBe(EXECUTION_MODE.batch);
  });
});

describe('decodeSolidityProof', () => {
  it('reads the eight 32-byte big-endian words of protocol §8 in order a, b (EIP-197), c', () => {
    const words = Array.from({ length: 8 }, (_, i) => BigInt(i + 1) << 200n);
    const encoded = `0x${words.map((w) => w.toString(16).padStart(64, '0')).join('')}` as const;
    expect(decodeSolidityProof(encoded)).toEqual({
      a: [words[0], words[1]],
      b: [
        [words[2], words[3]],
        [words[4], words[5]],
      ],
      c: [words[6], words[7]],
    });
  });

  it('refuses anything but 256 bytes with INVALID_PROOF_ENCODING', () => {
    for (const encoded of ['0x', `0x${'00'.repeat(255)}`, `0x${'00'.repeat(257)}`] as const) {
      expect(() => decodeSolidityProof(encoded)).toThrow(InvalidProofEncodingError);
    }
  });
});
