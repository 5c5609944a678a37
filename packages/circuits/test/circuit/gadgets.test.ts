// Sub-templates of the zkLogin circuit compiled alone (small, fast): base64url characters, the windowed
// barrel shifter, SHA-256 padding and SHA-256 itself.
import { createHash } from 'node:crypto';
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

describe('Sha256PaddedBytes', () => {
  let wasm = '';
  beforeAll(async () => {
    ({ wasmPath: wasm } = await compileCached(
      'gadget_sha256',
      main('sha256.circom', 'Sha256PaddedBytes(3, 121, 3)'),
    ));
  });

  const message = (length: number) => new Uint8Array(length).map((_, i) => (i * 37 + length) & 255);
  const oneHot = (block: number) => [0, 1, 2].map((b) => (b === block ? 1 : 0));
  // The three 121-bit limbs (outputs, least significant first) as one integer.
  const digestOf = async (content: number[], lastBlock: number[]) => {
    const witness = await calculateWitness(wasm, { content, lastBlock });
    return (witness[1] as bigint) + ((witness[2] as bigint) << 121n) + ((witness[3] as bigint) << 242n);
  };
  const sha256 = (bytes: Uint8Array) => BigInt(`0x${createHash('sha256').update(bytes).digest('hex')}`);

  it('equals SHA-256 for lengths across block boundaries, with bytes after the last block ignored', async () => {
    for (const length of [0, 3, 55, 56, 63, 64, 119, 120, 183]) {
      const bytes = message(length);
      const blocks = Math.ceil((length + 9) / 64);
      const content = Array.from(sha256Pad(bytes, 192)).map((b, i) => (i >= 64 * blocks ? 0xa5 : b));
      expect(await digestOf(content, oneHot(blocks - 1)), `length ${length}`).toBe(sha256(bytes));
    }
  });

  it('takes the state after the selected block (another block gives another value)', async () => {
    const bytes = message(100);
    const content = Array.from(sha256Pad(bytes, 192));
    expect(await digestOf(content, oneHot(1))).toBe(sha256(bytes));
    expect(await digestOf(content, oneHot(0))).not.toBe(sha256(bytes));
    expect(await digestOf(content, oneHot(2))).not.toBe(sha256(bytes));
  });

  it('refuses a content value that is not a byte', async () => {
    const content = Array.from(sha256Pad(message(10), 192));
    content[5] = 256;
    expect(await refused(calculateWitness(wasm, { content, lastBlock: oneHot(0) }))).toBe(true);
  });
});
