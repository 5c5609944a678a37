// Sub-templates of the zkLogin circuit compiled alone (small, fast): base64url characters, the windowed
// barrel shifter and SHA-256 padding.
import { beforeAll, describe, expect, it } from 'vitest';
import { calculateWitness, WitnessError } from '../../src/build/index.ts';
import { sha256Pad } from '../../src/inputs/index.ts';
import { compileCached } from './build-cache.ts';

const main = (include: string, component: string) =>
  `pragma circom 2.1.9;\ninclude "${include}";\ncomponent main = ${component};\n`;

const refused = (promise: Promise<unknown>) =>
  promise.then(
    () => false,
    (error: unknown) => error instanceof WitnessError,
  );

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('Base64UrlChar', () => {
  let wasm = '';
  beforeAll(async () => {
    ({ wasmPath: wasm } = await compileCached(
      'gadget_base64url',
      main('base64url.circom', 'Base64UrlChar()'),
    ));
  });

  it('accepts exactly the 64 base64url characters when active, with their 6-bit value', async () => {
    for (let c = 0; c < 256; c++) {
      const index = BASE64URL.indexOf(String.fromCharCode(c));
      if (index >= 0) {
        const witness = await calculateWitness(wasm, { char: c, active: 1 });
        const bits = witness.slice(1, 7).map(Number);
        expect(
          bits.reduce((sum, bit, i) => sum + bit * 2 ** i, 0),
          `char ${c}`,
        ).toBe(index);
      } else {
        expect(
          await refused(calculateWitness(wasm, { char: c, active: 1 })),
          `char ${c} must be refused`,
        ).toBe(true);
      }
    }
  });

  it('accepts any byte when inactive (padding, the dot)', async () => {
    for (const c of [0, 46, 43, 47, 61, 128, 255]) {
      await expect(calculateWitness(wasm, { char: c, active: 0 })).resolves.toBeDefined();
    }
  });
});

describe('WindowAt', () => {
  let wasm = '';
  beforeAll(async () => {
    ({ wasmPath: wasm } = await compileCached('gadget_window', main('shift.circom', 'WindowAt(40, 5, 6)')));
  });

  it('returns in[shift .. shift + 5) and zeros past the end', async () => {
    const input = Array.from({ length: 40 }, (_, i) => 100 + i);
    for (const shift of [0, 1, 7, 20, 35, 38, 63]) {
      const out = (await calculateWitness(wasm, { in: input, shift })).slice(1, 6).map(Number);
      expect(out).toEqual(Array.from({ length: 5 }, (_, j) => input[shift + j] ?? 0));
    }
  });

  it('refuses a shift that does not fit its bits', async () => {
    expect(await refused(calculateWitness(wasm, { in: new Array(40).fill(1), shift: 64 }))).toBe(true);
  });
});

describe('Sha256PaddingCheck', () => {
  let wasm = '';
  beforeAll(async () => {
    ({ wasmPath: wasm } = await compileCached(
      'gadget_padding',
      main('sha_padding.circom', 'Sha256PaddingCheck(120, 192)'),
    ));
  });

  const content = (length: number) => Array.from(sha256Pad(new Uint8Array(length).fill(97), 192));

  it('accepts the exact padding for lengths across block boundaries', async () => {
    for (const length of [0, 1, 55, 56, 63, 64, 119, 120]) {
      const witness = await calculateWitness(wasm, { content: content(length), signedLength: length });
      expect(witness[1], `paddedLength for ${length}`).toBe(BigInt(Math.ceil((length + 9) / 64) * 64));
    }
  });

  it('refuses a wrong length, a missing marker, non-zero fill, a wrong bit length or too long an input', async () => {
    const good = content(50);
    const with_ = (i: number, v: number) => good.map((b, j) => (j === i ? v : b));
    expect(await refused(calculateWitness(wasm, { content: good, signedLength: 49 }))).toBe(true);
    expect(await refused(calculateWitness(wasm, { content: good, signedLength: 51 }))).toBe(true);
    expect(await refused(calculateWitness(wasm, { content: with_(50, 0), signedLength: 50 }))).toBe(true);
    expect(await refused(calculateWitness(wasm, { content: with_(51, 7), signedLength: 50 }))).toBe(true);
    expect(await refused(calculateWitness(wasm, { content: with_(63, 0), signedLength: 50 }))).toBe(true);
    const long = Array.from(sha256Pad(new Uint8Array(121).fill(97), 192));
    expect(await refused(calculateWitness(wasm, { content: long, signedLength: 121 }))).toBe(true);
  });

  it('ignores bytes after the padded length (the hash does not read them)', async () => {
    const good = content(10).map((b, j) => (j >= 64 ? 255 : b));
    await expect(calculateWitness(wasm, { content: good, signedLength: 10 })).resolves.toBeDefined();
  });
});
