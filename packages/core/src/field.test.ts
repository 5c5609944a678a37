import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZkSsoError } from './errors.ts';
import {
  assertFieldElement,
  FIELD_MODULUS,
  fromBytes32,
  isFieldElement,
  parseBigInt,
  parseBigIntInRange,
  parseFieldElement,
  toBytes32,
  toHex32,
} from './field.ts';

const u256 = fc.bigInt({ min: 0n, max: 2n ** 256n - 1n });

describe('field', () => {
  it('FIELD_MODULUS is the BN254 scalar field order', () => {
    expect(FIELD_MODULUS).toBe(
      21888242871839275222246405745257275088548364400416034343698204186575808495617n,
    );
    expect(isFieldElement(FIELD_MODULUS - 1n)).toBe(true);
    expect(isFieldElement(FIELD_MODULUS)).toBe(false);
    expect(isFieldElement(-1n)).toBe(false);
  });

  it('toBytes32 is big-endian', () => {
    const b = toBytes32(0x0102n);
    expect(b.length).toBe(32);
    expect(b[30]).toBe(1);
    expect(b[31]).toBe(2);
    expect(b.slice(0, 30).every((x) => x === 0)).toBe(true);
  });

  it('toBytes32 / fromBytes32 round-trip (property)', () => {
    fc.assert(fc.property(u256, (x) => fromBytes32(toBytes32(x)) === x));
  });

  it('toHex32 has 64 lowercase hex digits and agrees with toBytes32 (property)', () => {
    fc.assert(
      fc.property(u256, (x) => {
        const hex = toHex32(x);
        const fromBytes = Array.from(toBytes32(x), (b) => b.toString(16).padStart(2, '0')).join('');
        return /^0x[0-9a-f]{64}$/.test(hex) && hex === `0x${fromBytes}` && BigInt(hex) === x;
      }),
    );
  });

  it('refuses values outside [0, 2^256) with OUT_OF_RANGE', () => {
    expect(() => toBytes32(-1n)).toThrow(expect.objectContaining({ code: 'OUT_OF_RANGE' }));
    expect(() => toHex32(2n ** 256n)).toThrow(expect.objectContaining({ code: 'OUT_OF_RANGE' }));
  });

  it('fromBytes32 refuses other lengths with INVALID_LENGTH', () => {
    expect(() => fromBytes32(new Uint8Array(31))).toThrow(
      expect.objectContaining({ code: 'INVALID_LENGTH' }),
    );
    expect(() => fromBytes32(new Uint8Array(33))).toThrow(ZkSsoError);
  });

  it('parseBigInt accepts bigint, decimal and 0x-hex', () => {
    expect(parseBigInt(7n)).toBe(7n);
    expect(parseBigInt('0')).toBe(0n);
    expect(parseBigInt('1234567890123456789012345678901234567890')).toBe(
      1234567890123456789012345678901234567890n,
    );
    expect(parseBigInt('0xff')).toBe(255n);
    expect(parseBigInt('0XFF')).toBe(255n);
  });

  it('decimal and hex forms parse to the same value (property)', () => {
    fc.assert(fc.property(u256, (x) => parseBigInt(x.toString()) === x && parseBigInt(toHex32(x)) === x));
  });

  it.each(['', ' 1', '1 ', '-1', '+1', '01', '1e3', '0x', '0xg', '1.0', 'abc'])(
    'parseBigInt refuses %j with INVALID_INTEGER',
    (bad) => {
      expect(() => parseBigInt(bad, 'salt')).toThrow(
        expect.objectContaining({
          code: 'INVALID_INTEGER',
          details: expect.objectContaining({ name: 'salt' }),
        }),
      );
    },
  );

  it('parseBigInt refuses numbers and negative bigints', () => {
    expect(() => parseBigInt(5 as unknown as string)).toThrow(
      expect.objectContaining({ code: 'INVALID_INTEGER' }),
    );
    expect(() => parseBigInt(-5n)).toThrow(expect.objectContaining({ code: 'INVALID_INTEGER' }));
  });

  it('parseFieldElement refuses p and above', () => {
    expect(parseFieldElement((FIELD_MODULUS - 1n).toString())).toBe(FIELD_MODULUS - 1n);
    expect(() => parseFieldElement(FIELD_MODULUS.toString())).toThrow(
      expect.objectContaining({ code: 'OUT_OF_RANGE' }),
    );
    expect(() => assertFieldElement(FIELD_MODULUS, 'x')).toThrow(ZkSsoError);
  });

  it('parseBigIntInRange checks both bounds', () => {
    expect(parseBigIntInRange('0x10', 16n, 17n)).toBe(16n);
    expect(() => parseBigIntInRange('15', 16n, 17n)).toThrow(
      expect.objectContaining({ code: 'OUT_OF_RANGE' }),
    );
    expect(() => parseBigIntInRange('17', 16n, 17n)).toThrow(
      expect.objectContaining({ code: 'OUT_OF_RANGE' }),
    );
  });
});
