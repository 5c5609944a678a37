// circom's native (C++) witness generator against the WebAssembly one: byte-identical .wtns files, the same
// WitnessError for a failing constraint, and the fallbacks that keep proving alive when the binary is not.
import { chmod, copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EPHEMERAL_KEY,
  EXPIRY,
  makeRsaKey,
  providerTokens,
  RANDOMNESS,
  SALT,
  signJwt,
} from '../../test/circuit/fixtures.ts';
import { repoTempDir, tempDir } from '../../test/helpers.ts';
import { ensureTierArtifacts, type TierArtifacts } from '../artifacts/cache.ts';
import { buildZkLoginInputs } from '../inputs/index.ts';
import { formatProgress } from '../setup/progress.ts';
import { compileCircuit } from './compile.ts';
import { WitnessError } from './errors.ts';
import {
  buildNativeWitness,
  NativeWitnessBuildError,
  NativeWitnessRunError,
  writeWitnessFastest,
  writeWitnessNative,
} from './native-witness.ts';
import { writeWitness } from './witness.ts';

const P = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

// Bits (zeros and ones), squaring chains over a 2-D input (full-width values), a constraint in the main
// template and one in a circomlib sub-template that a bad input breaks.
const MIXED = `pragma circom 2.2.3;
include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
template Mixed(rounds) {
  signal input x;
  signal input y[2][3];
  signal input small;
  signal output out;
  component bits = Num2Bits(64);
  bits.in <== x;
  component lt = LessThan(16);
  lt.in[0] <== small;
  lt.in[1] <== 1000;
  lt.out === 1;
  signal sq[6][rounds + 1];
  var acc = 0;
  for (var i = 0; i < 6; i++) {
    sq[i][0] <== y[i \\ 3][i % 3];
    for (var r = 0; r < rounds; r++) sq[i][r + 1] <== sq[i][r] * sq[i][r] + bits.out[i];
    acc += sq[i][rounds];
  }
  out <== acc + bits.out[63];
}
component main {public [x]} = Mixed(8);
`;
const MIXED_LT_LINE = MIXED.split('\n').findIndex((line) => line.includes('lt.out === 1')) + 1;

const inputsOf = (x: unknown, y: unknown[][], small: unknown) => ({ x, y, small });
const ALL_ZERO = inputsOf(
  0,
  [
    [0, 0, 0],
    [0, 0, 0],
  ],
  0,
);
const ALL_ONES = inputsOf(
  (1n << 64n) - 1n,
  [
    ['1', '1', '1'],
    ['1', '1', '1'],
  ],
  '999',
);
const FULL_WIDTH = inputsOf(
  '0x123456789abcdef0',
  [
    [P - 1n, -1n, (P - 1n) / 2n],
    [P + 5n, '21888242871839275222246405745257275088548364400416034343698204186575808495616', 3n ** 150n],
  ],
  7,
);

describe('native witness generator (circom --c, g++)', () => {
  let dir: string;
  let wasmPath: string;
  let binaryPath: string;

  beforeAll(async () => {
    dir = await repoTempDir('native-witness');
    const compiled = await compileCircuit({
      name: 'mixed',
      outDir: dir,
      mainSource: MIXED,
      witnessCpp: true,
    });
    wasmPath = compiled.wasmPath;
    if (!compiled.cppDir) throw new Error('no C++ output');
    ({ binaryPath } = await buildNativeWitness({
      cppDir: compiled.cppDir,
      name: 'mixed',
      outDir: join(dir, 'bin'),
    }));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['zeros', ALL_ZERO],
    ['ones', ALL_ONES],
    ['full-width, negative, hex, over-the-field and bigint values', FULL_WIDTH],
  ])('writes the same .wtns bytes as the wasm calculator: %s', async (_label, input) => {
    const nativePath = join(dir, 'native.wtns');
    const wasmOut = join(dir, 'wasm.wtns');
    await writeWitnessNative(binaryPath, input, nativePath);
    await writeWitness(wasmPath, input, wasmOut);
    const native = await readFile(nativePath);
    expect(native.length).toBeGreaterThan(1000);
    expect(native.equals(await readFile(wasmOut))).toBe(true);
  });

  it('names the failing template and line like the wasm path: a constraint of the main template', async () => {
    const input = inputsOf(1, ALL_ZERO.y, 5000);
    const native = await writeWitnessNative(binaryPath, input, join(dir, 'bad.wtns')).catch(
      (e: unknown) => e,
    );
    const wasm = await writeWitness(wasmPath, input, join(dir, 'bad-wasm.wtns')).catch((e: unknown) => e);
    expect(native).toBeInstanceOf(WitnessError);
    expect(wasm).toBeInstanceOf(WitnessError);
    expect((native as WitnessError).details).toMatchObject({ template: 'Mixed', line: MIXED_LT_LINE });
    expect((native as WitnessError).details.template).toBe((wasm as WitnessError).details.template);
    expect((native as WitnessError).details.line).toBe((wasm as WitnessError).details.line);
  });

  it('names a failing circomlib sub-template (Num2Bits on a value over 64 bits)', async () => {
    const input = inputsOf(1n << 64n, ALL_ZERO.y, 1);
    const native = await writeWitnessNative(binaryPath, input, join(dir, 'bad.wtns')).catch(
      (e: unknown) => e,
    );
    const wasm = await writeWitness(wasmPath, input, join(dir, 'bad-wasm.wtns')).catch((e: unknown) => e);
    expect(native).toBeInstanceOf(WitnessError);
    expect((native as WitnessError).details.template).toBe('Num2Bits');
    expect((native as WitnessError).details).toMatchObject({
      template: (wasm as WitnessError).details.template,
      line: (wasm as WitnessError).details.line,
    });
    expect((native as WitnessError).message).toContain('main.bits');
  });

  it('refuses missing, short, unknown and non-integer inputs with a WitnessError that never echoes a value', async () => {
    const out = join(dir, 'bad.wtns');
    const { small: _small, ...missingSmall } = ALL_ZERO;
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [missingSmall, /Not all inputs have been set/],
      [{ ...ALL_ZERO, y: [[0, 0, 0], [0]] }, /Not enough values for input signal y/],
      [{ ...ALL_ZERO, extra: 1 }, /not in the circuit/],
      [{ ...ALL_ZERO, x: 'secret-salt-1234' }, /input signal "x" holds a value that is not an integer/],
    ];
    for (const [input, reason] of cases) {
      const error = await writeWitnessNative(binaryPath, input, out).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WitnessError);
      expect((error as WitnessError).message).toMatch(reason);
      expect((error as WitnessError).message).not.toContain('secret-salt');
    }
  });

  it('writeWitnessFastest uses the binary when there is one, else (or when it cannot run) falls back to wasm with one warning', async () => {
    const wasmOut = join(dir, 'ref.wtns');
    await writeWitness(wasmPath, FULL_WIDTH, wasmOut);
    const reference = await readFile(wasmOut);
    const out = join(dir, 'fast.wtns');
    const warnings: string[] = [];
    const warn = (line: string) => warnings.push(line);

    expect(
      await writeWitnessFastest({ wasmPath, witnessBinaryPath: binaryPath }, FULL_WIDTH, out, { warn }),
    ).toBe('native');
    expect((await readFile(out)).equals(reference)).toBe(true);
    expect(await writeWitnessFastest({ wasmPath }, FULL_WIDTH, out, { warn })).toBe('wasm');
    expect(warnings).toEqual([]);

    const missing = join(dir, 'bin', 'no-such-binary');
    for (let i = 0; i < 2; i++) {
      await rm(out, { force: true });
      expect(
        await writeWitnessFastest({ wasmPath, witnessBinaryPath: missing }, FULL_WIDTH, out, { warn }),
      ).toBe('wasm');
      expect((await readFile(out)).equals(reference)).toBe(true);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('WebAssembly');

    // A binary whose .dat is gone dies without a circuit failure: a NativeWitnessRunError, then wasm.
    const lonely = join(dir, 'lonely', 'mixed');
    await mkdir(join(dir, 'lonely'), { recursive: true });
    await copyFile(binaryPath, lonely);
    await chmod(lonely, 0o755);
    const error = await writeWitnessNative(lonely, FULL_WIDTH, out).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NativeWitnessRunError);
    expect(
      await writeWitnessFastest({ wasmPath, witnessBinaryPath: lonely }, FULL_WIDTH, out, { warn }),
    ).toBe('wasm');
    expect((await readFile(out)).equals(reference)).toBe(true);

    // A bad input is the input's fault, not the binary's: no fallback, the same WitnessError.
    await expect(
      writeWitnessFastest({ wasmPath, witnessBinaryPath: binaryPath }, inputsOf(1, ALL_ZERO.y, 5000), out, {
        warn,
      }),
    ).rejects.toBeInstanceOf(WitnessError);
    expect(warnings).toHaveLength(2);
  });

  it('ZKSSO_NATIVE_WITNESS=0 keeps the wasm path', async () => {
    const before = process.env.ZKSSO_NATIVE_WITNESS;
    process.env.ZKSSO_NATIVE_WITNESS = '0';
    try {
      expect(
        await writeWitnessFastest(
          { wasmPath, witnessBinaryPath: binaryPath },
          ALL_ONES,
          join(dir, 'off.wtns'),
        ),
      ).toBe('wasm');
    } finally {
      if (before === undefined) delete process.env.ZKSSO_NATIVE_WITNESS;
      else process.env.ZKSSO_NATIVE_WITNESS = before;
    }
  });

  it('a broken build is a NativeWitnessBuildError carrying the compiler output', async () => {
    const broken = join(dir, 'broken_cpp');
    await mkdir(broken, { recursive: true });
    await writeFile(join(broken, 'main.cpp'), 'this is not C++\n');
    const error = await buildNativeWitness({
      cppDir: broken,
      name: 'broken',
      outDir: join(dir, 'nope'),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NativeWitnessBuildError);
    expect((error as NativeWitnessBuildError).code).toBe('NATIVE_WITNESS_BUILD_FAILED');
    expect(String((error as NativeWitnessBuildError).details.output)).toMatch(/error/);
  });
});

describe('artifact cache: the native witness generator of a tier folder', () => {
  const mainSource = (tier: number) =>
    `${MIXED.replace(/component main[^\n]*\n/, '')}component main {public [x]} = Mixed(${tier});\n`;
  let cacheDir: string;
  let sourceDir: string;

  beforeAll(async () => {
    cacheDir = await tempDir('native-cache');
    sourceDir = await repoTempDir('native-sources');
  });

  afterAll(async () => {
    await rm(cacheDir, { recursive: true, force: true });
    await rm(sourceDir, { recursive: true, force: true });
  });

  it('builds it with the tier, adds it to a folder built without it (keys untouched), and records a failed build', async () => {
    const options = { cacheDir, sourceDir, mainSource, nativeWitness: true } as const;
    const first = await ensureTierArtifacts(3, options);
    expect(first.witnessBinaryPath).toBeDefined();
    const input = FULL_WIDTH;
    const a = join(cacheDir, 'a.wtns');
    const b = join(cacheDir, 'b.wtns');
    await writeWitnessNative(first.witnessBinaryPath as string, input, a);
    await writeWitness(first.wasmPath, input, b);
    expect((await readFile(a)).equals(await readFile(b))).toBe(true);
    // The C++ scratch is gone: only the binary, its .dat and the usual artifacts stay.
    await expect(stat(join(first.dir, 'zklogin_3_cpp'))).rejects.toThrow();

    // A folder from before (no native generator): added lazily, the zkey is not rebuilt.
    const zkeyBefore = await stat(first.zkeyPath);
    await rm(join(first.witnessBinaryPath as string, '..'), { recursive: true, force: true });
    expect(
      (await ensureTierArtifacts(3, { ...options, nativeWitness: false })).witnessBinaryPath,
    ).toBeUndefined();
    const stages: string[] = [];
    const added = await ensureTierArtifacts(3, {
      ...options,
      onProgress: (p) => stages.push(`${p.stage} ${p.fraction}`),
    });
    expect(stages[0]).toBe('native witness: circom --c 0');
    expect(stages.some((s) => /^native witness: g\+\+ .*zklogin_3\.cpp/.test(s))).toBe(true);
    expect(stages.at(-1)).toBe('done 1');
    expect(added.dir).toBe(first.dir);
    expect(added.witnessBinaryPath).toBe(first.witnessBinaryPath);
    expect((await stat(added.zkeyPath)).mtimeMs).toBe(zkeyBefore.mtimeMs);

    // No nasm: the tier still builds, without the binary, and the failure is recorded (not retried).
    const fakeBin = join(cacheDir, 'fake-bin');
    await mkdir(fakeBin, { recursive: true });
    await writeFile(join(fakeBin, 'nasm'), '#!/bin/sh\nexit 127\n', { mode: 0o755 });
    const path = process.env.PATH;
    process.env.PATH = `${fakeBin}:${path}`;
    const logs: string[] = [];
    try {
      const noNasm = await ensureTierArtifacts(4, { ...options, log: (line) => logs.push(line) });
      expect(noNasm.witnessBinaryPath).toBeUndefined();
      expect(logs.join('\n')).toMatch(/WARNING tier 4: .*missing nasm/);
      const marker = JSON.parse(
        await readFile(
          join(noNasm.dir, `${(first.witnessBinaryPath as string).split('/').at(-2)}.failed.json`),
          'utf8',
        ),
      ) as { message: string };
      expect(marker.message).toContain('nasm');
      // ...and proving still has a witness: the wasm one.
      expect(await writeWitnessFastest(noNasm, ALL_ZERO, a)).toBe('wasm');
    } finally {
      process.env.PATH = path;
    }
  });
});

describe('tier 1024 (the real circuit): native witness = wasm witness', () => {
  let tier: TierArtifacts;
  let dir: string;

  // Served from the cache when tier1024.test.ts (or a bench) built it; else a first build, minutes.
  beforeAll(async () => {
    dir = await tempDir('native-1024');
    let last = '';
    tier = await ensureTierArtifacts(1024, {
      nativeWitness: true, // adds it to a folder built before it existed (minutes, once)
      log: (line) => console.log(line),
      onProgress: (p) => {
        const line = formatProgress(p);
        if (line.split(' ')[0] !== last) console.log(line);
        last = line.split(' ')[0] ?? '';
      },
    });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('builds the binary into the tier folder; a Google-shaped token gives the same .wtns; a forged signature fails in the same template', async () => {
    expect(tier.witnessBinaryPath).toMatch(/native-witness-[0-9a-f]{16}\/zklogin_1024$/);
    const google = providerTokens().find((t) => t.provider === 'google');
    if (!google) throw new Error('no google token shape in fixtures');
    const key = makeRsaKey();
    const { inputs } = buildZkLoginInputs({
      jwt: signJwt(google.header, google.payload, key),
      salt: SALT,
      ephemeralPublicKey: EPHEMERAL_KEY,
      expiry: EXPIRY,
      randomness: RANDOMNESS,
      jwk: key.jwk,
      tier: 1024,
    });
    const nativePath = join(dir, 'native.wtns');
    const wasmOut = join(dir, 'wasm.wtns');
    expect(await writeWitnessFastest(tier, inputs, nativePath)).toBe('native');
    await writeWitness(tier.wasmPath, inputs, wasmOut);
    const native = await readFile(nativePath);
    // 32 bytes per wire: hundreds of thousands of wires.
    expect(native.length).toBeGreaterThan(32 * 100_000);
    expect(native.equals(await readFile(wasmOut))).toBe(true);

    const signature = inputs.signature as string[];
    const forged = {
      ...inputs,
      signature: [String(BigInt(signature[0] as string) ^ 1n), ...signature.slice(1)],
    };
    const nativeError = await writeWitnessNative(tier.witnessBinaryPath as string, forged, nativePath).catch(
      (e: unknown) => e,
    );
    const wasmError = await writeWitness(tier.wasmPath, forged, wasmOut).catch((e: unknown) => e);
    expect(nativeError).toBeInstanceOf(WitnessError);
    expect(wasmError).toBeInstanceOf(WitnessError);
    expect((nativeError as WitnessError).details.template).toBeDefined();
    expect((nativeError as WitnessError).details.template).toBe((wasmError as WitnessError).details.template);
    expect((nativeError as WitnessError).details.line).toBe((wasmError as WitnessError).details.line);
  });
});
