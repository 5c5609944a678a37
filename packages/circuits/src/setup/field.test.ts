import { describe, expect, it } from 'vitest';
import { batchInvertInPlace, FR_MODULUS, frInv, frPow, readLe256, writeLe256 } from './field.ts';

describe('field helpers', () => {
  it('inverts single and batched elements', () => {
    const xs = [2n, 3n, FR_MODULUS - 1n, 123456789n];
    const copy = [...xs];
    batchInvertInPlace(copy);
    copy.forEach((inv, i) => {
      expect((inv * (xs[i] as bigint)) % FR_MODULUS).toBe(1n);
      expect(inv).toBe(frInv(xs[i] as bigint));
    });
  });

  it('exponentiates', () => {
    expect(frPow(3n, 4n)).toBe(81n);
    expect(frPow(5n, FR_MODULUS - 1n)).toBe(1n);
  });

  it('round-trips 256-bit little-endian words', () => {
    const view = new DataView(new ArrayBuffer(32));
    const value = FR_MODULUS - 12345n;
    writeLe256(view, 0, value);
    expect(readLe256(view, 0)).toBe(value);
    expect(view.getUint8(0)).toBe(Number(value & 0xffn));
  });
});
