import { normalizeSession, sessionHash } from '@zksso/core';
import { describe, expect, it } from 'vitest';
import { sessionSpecFromJson, sessionSpecToJson } from './session-record.ts';

const spec = normalizeSession(
  {
    signer: '0x3333333333333333333333333333333333333333',
    expiresAt: 2_000_000_000n,
    feeLimit: { limit: 10n ** 16n, period: '1 day' },
    transfers: [
      { target: '0x4444444444444444444444444444444444444444', valueLimit: { limit: 1000n, period: 60 } },
    ],
    contractCalls: [
      {
        target: '0x5555555555555555555555555555555555555555',
        function: 'function transfer(address to, uint256 amount)',
        constraints: [{ index: 1, condition: 'LessEqual', refValue: 10n ** 18n, limit: 5n * 10n ** 18n }],
      },
    ],
  },
  { now: 1_900_000_000n },
);

describe('session spec JSON', () => {
  it('round-trips through JSON text with the same session hash', () => {
    const text = JSON.stringify(sessionSpecToJson(spec));
    const back = sessionSpecFromJson(JSON.parse(text));
    expect(back).toEqual(spec);
    expect(sessionHash(back)).toBe(sessionHash(spec));
  });

  it('writes bigints as decimal strings', () => {
    const json = sessionSpecToJson(spec);
    expect(json.feeLimit).toEqual({ limitType: 2, limit: '10000000000000000', period: '86400' });
    expect(json.callPolicies[0]?.constraints[0]?.index).toBe('1');
  });

  it('names the first malformed field', () => {
    const json = sessionSpecToJson(spec) as unknown as Record<string, unknown>;
    expect(() => sessionSpecFromJson({ ...json, expiresAt: 12 })).toThrow(/expiresAt/);
    expect(() => sessionSpecFromJson({ ...json, transferPolicies: [{}] })).toThrow(
      /transferPolicies\[0\]\.target/,
    );
  });
});
