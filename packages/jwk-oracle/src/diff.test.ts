import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffIssuer, type OnChainKey, toUpdates } from './diff.ts';
import { Action, KeyStatus } from './registry-abi.ts';

const key = (n: number) => ({ kid: `k${n}`, modulusHash: BigInt(n) });
const active = (n: number): OnChainKey => ({ modulusHash: BigInt(n), status: KeyStatus.Active });
const base = {
  issHash: 1n,
  lastKnownGood: undefined,
  absentSince: new Map<bigint, number>(),
  now: 1_000,
  gracePeriodMs: 100,
};

describe('diffIssuer', () => {
  it('adds unknown keys, keeps known active ones and reports revoked ones as blocked', () => {
    const diff = diffIssuer({
      ...base,
      published: [key(1), key(2), key(3)],
      onChain: [active(1), { modulusHash: 3n, status: KeyStatus.Revoked }],
    });
    expect(diff.add).toEqual([key(2)]);
    expect(diff.blocked).toEqual([key(3)]);
    expect(diff.revoke).toEqual([]);
  });

  it('starts the absence clock, then revokes once the grace period has passed', () => {
    const first = diffIssuer({ ...base, published: [key(2)], onChain: [active(1), active(2)] });
    expect(first.revoke).toEqual([]);
    expect(first.pending).toEqual([{ modulusHash: 1n, absentSince: 1_000, revokeAt: 1_100 }]);
    const later = diffIssuer({
      ...base,
      published: [key(2)],
      onChain: [active(1), active(2)],
      absentSince: first.absentSince,
      now: 1_100,
    });
    expect(later.revoke).toEqual([1n]);
  });

  it('resets the clock of a key that comes back', () => {
    const diff = diffIssuer({
      ...base,
      published: [key(1)],
      onChain: [active(1)],
      absentSince: new Map([[1n, 0]]),
    });
    expect(diff.absentSince.size).toBe(0);
    expect(diff.revoke).toEqual([]);
  });

  it('never revokes on a failed fetch or an empty key set, and keeps the clocks', () => {
    const clocks = new Map([[1n, 0]]);
    for (const published of [undefined, []]) {
      const diff = diffIssuer({
        ...base,
        published,
        lastKnownGood: [key(2)],
        onChain: [active(1)],
        absentSince: clocks,
        now: 10_000,
      });
      expect(diff.revoke).toEqual([]);
      expect(diff.absentSince.get(1n)).toBe(0);
      expect(diff.add).toEqual(published === undefined ? [key(2)] : []);
    }
  });

  it('never revokes a published key nor adds a registered one (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 30 })),
        fc.array(
          fc.record({
            hash: fc.integer({ min: 1, max: 30 }),
            status: fc.constantFrom(1, 2, 3) as fc.Arbitrary<1 | 2 | 3>,
          }),
        ),
        fc.integer({ min: 0, max: 1_000 }),
        (published, chain, grace) => {
          const onChain = [...new Map(chain.map((c) => [c.hash, c.status])).entries()].map(([h, status]) => ({
            modulusHash: BigInt(h),
            status,
          }));
          const diff = diffIssuer({ ...base, gracePeriodMs: grace, published: published.map(key), onChain });
          const known = new Set(onChain.map((k) => k.modulusHash));
          for (const k of diff.add) expect(known.has(k.modulusHash)).toBe(false);
          for (const h of diff.revoke) {
            expect(published.map(BigInt)).not.toContain(h);
            expect(onChain.find((k) => k.modulusHash === h)?.status).toBe(KeyStatus.Active);
          }
          if (published.length > 0 && grace === 0) {
            const activeAbsent = onChain.filter(
              (k) => k.status === KeyStatus.Active && !published.map(BigInt).includes(k.modulusHash),
            );
            expect(diff.revoke.length).toBe(activeAbsent.length);
          }
        },
      ),
    );
  });
});

describe('toUpdates', () => {
  it('orders adds before revocations, then by issuer and modulus hash', () => {
    const updates = toUpdates([
      { issHash: 9n, diff: { add: [key(5)], revoke: [2n] } },
      { issHash: 3n, diff: { add: [key(7), key(4)], revoke: [1n] } },
    ]);
    expect(updates.map((u) => [u.action, u.issHash, u.modulusHash])).toEqual([
      [Action.Add, 3n, 4n],
      [Action.Add, 3n, 7n],
      [Action.Add, 9n, 5n],
      [Action.Revoke, 3n, 1n],
      [Action.Revoke, 9n, 2n],
    ]);
  });
});
