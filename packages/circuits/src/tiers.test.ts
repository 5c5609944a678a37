import { describe, expect, it } from 'vitest';
import { groth16Domain, maxPaddedBytes, selectTier, TIERS } from './tiers.ts';

describe('tiers', () => {
  it('lists 576, 1024 and 1600 bytes and picks the smallest that fits', () => {
    expect(TIERS.map((t) => t.maxSignedBytes)).toEqual([576, 1024, 1600]);
    expect(selectTier(576)?.maxSignedBytes).toBe(576);
    expect(selectTier(577)?.maxSignedBytes).toBe(1024);
    expect(selectTier(1601)).toBeUndefined();
    // 576 bytes and SHA-256's 9 bytes of padding fill 10 blocks, one fewer than the old 640-byte tier.
    expect(maxPaddedBytes(576)).toBe(640);
  });

  it('places constraints + public inputs + 1 rows in the smallest power-of-two domain', () => {
    expect(groth16Domain(2 ** 19 - 7, 6)).toEqual({ rows: 2 ** 19, power: 19, freeRows: 0, headroom: 0 });
    expect(groth16Domain(2 ** 19 - 6, 6)).toMatchObject({ power: 20, freeRows: 2 ** 19 - 1 });
    // The old tier 640: 534,002 constraints, 1.9 % over 2^19, so it proved at 2^20.
    expect(groth16Domain(534_002, 6).power).toBe(20);
  });
});
