import { encodeAbiParameters, keccak256, parseAbiParameters } from 'viem';
import { describe, expect, it } from 'vitest';
import { decodeSessionSpec, encodeSessionSpec, sessionHash } from './encode.ts';
import { SessionPolicyError } from './errors.ts';
import { normalizeSession } from './normalize.ts';
import type { SessionSpec } from './types.ts';

// The §11 struct written out independently, as a Solidity-style human-readable ABI.
const independentAbi = parseAbiParameters([
  'SessionSpec spec',
  'struct UsageLimit { uint8 limitType; uint256 limit; uint48 period; }',
  'struct Constraint { uint8 condition; uint64 index; bytes32 refValue; UsageLimit limit; }',
  'struct CallSpec { address target; bytes4 selector; uint256 maxValuePerUse; UsageLimit valueLimit; Constraint[] constraints; }',
  'struct TransferSpec { address target; uint256 maxValuePerUse; UsageLimit valueLimit; }',
  'struct SessionSpec { address signer; uint48 expiresAt; UsageLimit feeLimit; CallSpec[] callPolicies; TransferSpec[] transferPolicies; }',
]);

const word = (n: bigint) => n.toString(16).padStart(64, '0');

const spec: SessionSpec = normalizeSession(
  {
    signer: '0x3333333333333333333333333333333333333333',
    expiresAt: 1_800_000_000n,
    feeLimit: { limit: 10n ** 16n, period: '1 day' },
    transfers: [{ target: '0x1111111111111111111111111111111111111111', maxValuePerUse: 1n, valueLimit: 2n }],
    contractCalls: [
      {
        target: '0x2222222222222222222222222222222222222222',
        function: 'function transfer(address to, uint256 amount)',
        constraints: [
          { index: 1, condition: 'LessEqual', refValue: 100n, limit: { limit: 1000n, period: 3600 } },
        ],
      },
    ],
  },
  { now: 1_700_000_000n },
);

describe('encodeSessionSpec', () => {
  it('equals an independent abi.encode of the §11 struct', () => {
    const expected = encodeAbiParameters(independentAbi, [spec as never]);
    expect(encodeSessionSpec(spec)).toBe(expected);
    expect(sessionHash(spec)).toBe(keccak256(expected));
  });

  it('encodes an empty session word by word', () => {
    const empty: SessionSpec = {
      signer: '0x3333333333333333333333333333333333333333',
      expiresAt: 1_800_000_000n,
      feeLimit: { limitType: 1, limit: 5n, period: 0n },
      callPolicies: [],
      transferPolicies: [],
    };
    const words = [
      word(0x20n), // offset of the dynamic tuple
      `000000000000000000000000${'33'.repeat(20)}`,
      word(1_800_000_000n),
      word(1n),
      word(5n),
      word(0n),
      word(0xe0n), // callPolicies offset: 7 head words
      word(0x100n), // transferPolicies offset
      word(0n),
      word(0n),
    ];
    expect(encodeSessionSpec(empty)).toBe(`0x${words.join('')}`);
  });

  it('round-trips through decodeSessionSpec', () => {
    expect(decodeSessionSpec(encodeSessionSpec(spec))).toEqual(spec);
  });

  it('refuses specs that do not fit the ABI and bytes that are not a spec', () => {
    const bad = { ...spec, expiresAt: 2n ** 48n };
    expect(() => encodeSessionSpec(bad)).toThrow(SessionPolicyError);
    try {
      decodeSessionSpec('0x1234');
      expect.unreachable();
    } catch (error) {
      expect((error as SessionPolicyError).code).toBe('SESSION_SPEC_MALFORMED');
    }
  });

  it('refuses decoded enum values outside the §11 enums', () => {
    const hex = encodeAbiParameters(independentAbi, [
      { ...spec, feeLimit: { limitType: 3, limit: 1n, period: 0 } } as never,
    ]);
    expect(() => decodeSessionSpec(hex)).toThrow(/enum/);
  });
});
