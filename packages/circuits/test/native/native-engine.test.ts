// The native prover (native/build/zksso-prover) against snarkjs on small circuits with development keys:
// same public signals, proofs snarkjs verifies, fresh randomness per proof, and a typed error for every
// bad key, witness or binary.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as snarkjs from 'snarkjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeWitness } from '../../src/build/witness.ts';
import { encodeProof } from '../../src/prover/encoding.ts';
import { snarkjsEngine } from '../../src/prover/engine.ts';
import { nativeEngine, proveNative } from '../../src/prover/native-engine.ts';
import { NativeProverError } from '../../src/prover/native-errors.ts';
import { NativeProverProcess, nativeProverBinaryPath } from '../../src/prover/native-process.ts';
import { tempDir } from '../helpers.ts';
import { buildNativeProver, type KeyedCircuit, keyedFixture, keyedPublicOnly } from './native-fixtures.ts';

const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const FULL_WIDTH = (R - 12345678901234567890n).toString();

let tiny: KeyedCircuit;
let tiny2: KeyedCircuit;
let small: KeyedCircuit;
let medium: KeyedCircuit;
let publicOnly: KeyedCircuit;

beforeAll(async () => {
  buildNativeProver();
  tiny = await keyedFixture('tiny');
  tiny2 = await keyedFixture('tiny2');
  small = await keyedFixture('small');
  medium = await keyedFixture('medium');
  publicOnly = await keyedPublicOnly();
});

async function witnessFile(circuit: KeyedCircuit, input: Record<string, unknown>): Promise<string> {
  const path = join(circuit.dir, `${randomBytes(6).toString('hex')}.wtns`);
  await writeWitness(circuit.wasmPath, input, path);
  return path;
}

async function expectNativeError(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NativeProverError);
  expect((error as NativeProverError).code).toBe(code);
  expect((error as NativeProverError).message).toMatch(message);
}

describe('native field arithmetic', () => {
  it('multiplies as the portable reference does, with the assembly where the CPU has MULX/ADX', async () => {
    const cpuFlags =
      (await readFile('/proc/cpuinfo', 'utf8')).match(/^flags\s*:(.*)$/m)?.[1]?.split(/\s+/) ?? [];
    const hasAdx = process.arch === 'x64' && cpuFlags.includes('adx') && cpuFlags.includes('bmi2');
    const out = execFileSync(nativeProverBinaryPath(), ['selftest'], { encoding: 'utf8' });
    const result = JSON.parse(out) as { ok: boolean; mul: string; checked: number };
    expect(result).toEqual({ ok: true, mul: hasAdx ? 'adx' : 'portable', checked: expect.any(Number) });
    expect(result.checked).toBeGreaterThan(100_000);
  });
});

describe('native prover vs snarkjs', () => {
  const cases: { name: string; circuit: () => KeyedCircuit; input: Record<string, string> }[] = [
    // x[i+1] = x[i]^2 + a: all zeros, all ones, -1/0 alternating (full width), and big values.
    { name: 'tiny, all-zero witness', circuit: () => tiny, input: { a: '0', b: '0' } },
    { name: 'tiny, all-one witness', circuit: () => tiny, input: { a: '0', b: '1' } },
    { name: 'tiny, zeros and -1', circuit: () => tiny, input: { a: (R - 1n).toString(), b: '0' } },
    {
      name: 'tiny, full-width values',
      circuit: () => tiny,
      input: { a: FULL_WIDTH, b: '987654321987654321' },
    },
    { name: 'small (squarings + Poseidon)', circuit: () => small, input: { a: '7', b: '3', c: '11' } },
    { name: 'medium (Poseidon chain, 2^12)', circuit: () => medium, input: { seed: '5', salt: FULL_WIDTH } },
    { name: 'no constraints beyond public inputs', circuit: () => publicOnly, input: { a: '1', b: '0' } },
  ];

  it.each(cases)('$name: same public signals, a proof snarkjs verifies', async ({ circuit, input }) => {
    const c = circuit();
    const artifacts = { wasmPath: c.wasmPath, zkeyPath: c.zkeyPath };
    const reference = await snarkjsEngine.prove(artifacts, input);
    const native = await nativeEngine.prove(artifacts, input);

    expect(native.publicSignals).toEqual(reference.publicSignals);
    expect(await snarkjs.groth16.verify(c.vkey, native.publicSignals, native.proof)).toBe(true);
    // The exact shape snarkjs returns: affine decimal coordinates with the trailing "1" / ["1", "0"].
    expect(Object.keys(native.proof)).toEqual(Object.keys(reference.proof));
    expect(native.proof.protocol).toBe('groth16');
    expect(native.proof.curve).toBe('bn128');
    expect(native.proof.pi_a[2]).toBe('1');
    expect(native.proof.pi_b[2]).toEqual(['1', '0']);
    expect(native.proof.pi_c[2]).toBe('1');
    expect(encodeProof(native.proof)).toMatch(/^0x[0-9a-f]{512}$/);
    // A changed public signal does not verify.
    const tampered = [...native.publicSignals];
    tampered[0] = ((BigInt(tampered[0] as string) + 1n) % R).toString();
    expect(await snarkjs.groth16.verify(c.vkey, tampered, native.proof)).toBe(false);
  });

  it('draws fresh r, s: two proofs of one witness differ and both verify', async () => {
    const wtns = await witnessFile(small, { a: '7', b: '3', c: '11' });
    const prover = new NativeProverProcess(nativeProverBinaryPath());
    try {
      const one = await prover.prove(small.zkeyPath, wtns);
      const two = await prover.prove(small.zkeyPath, wtns);
      expect(one.proof.pi_a).not.toEqual(two.proof.pi_a);
      expect(one.proof.pi_c).not.toEqual(two.proof.pi_c);
      expect(await snarkjs.groth16.verify(small.vkey, one.publicSignals, one.proof)).toBe(true);
      expect(await snarkjs.groth16.verify(small.vkey, two.publicSignals, two.proof)).toBe(true);
      // The timings answer every phase, and the witness classification covers every variable.
      expect(one.timings.totalMs).toBeGreaterThan(0);
      expect(one.timings.witnessZeros + one.timings.witnessOnes + one.timings.witnessOthers).toBeGreaterThan(
        0,
      );
    } finally {
      prover.close();
    }
  });

  it('proves with several keys in one child, in any order', async () => {
    const prover = new NativeProverProcess(nativeProverBinaryPath());
    try {
      const wTiny = await witnessFile(tiny, { a: '3', b: '4' });
      const wSmall = await witnessFile(small, { a: '1', b: '2', c: '3' });
      const [a, b, c] = await Promise.all([
        prover.prove(tiny.zkeyPath, wTiny),
        prover.prove(small.zkeyPath, wSmall),
        prover.prove(tiny.zkeyPath, wTiny),
      ]);
      expect(await snarkjs.groth16.verify(tiny.vkey, a.publicSignals, a.proof)).toBe(true);
      expect(await snarkjs.groth16.verify(small.vkey, b.publicSignals, b.proof)).toBe(true);
      expect(await snarkjs.groth16.verify(tiny.vkey, c.publicSignals, c.proof)).toBe(true);
    } finally {
      prover.close();
    }
  });
});

describe('native prover errors', () => {
  it('a truncated zkey: ZKEY_INVALID', async () => {
    const bytes = await readFile(tiny.zkeyPath);
    const truncated = join(tiny.dir, 'truncated.zkey');
    await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const wtns = await witnessFile(tiny, { a: '1', b: '2' });
    await expectNativeError(nativeProverProcessFor().prove(truncated, wtns), 'ZKEY_INVALID', /truncated/);
  });

  it('random bytes as a zkey: ZKEY_INVALID', async () => {
    const junk = join(tiny.dir, 'junk.zkey');
    await writeFile(junk, randomBytes(4096));
    const wtns = await witnessFile(tiny, { a: '1', b: '2' });
    await expectNativeError(
      nativeProverProcessFor().prove(junk, wtns),
      'ZKEY_INVALID',
      /not a snarkjs \.zkey/,
    );
  });

  it('a zkey whose header is damaged (another curve): ZKEY_INVALID', async () => {
    const bytes = Buffer.from(await readFile(tiny.zkeyPath));
    // Section 2 (the Groth16 header) starts with n8q (4 bytes) and the base field prime q: flip a byte of q.
    const at = sectionOffset(bytes, 2) + 4 + 3;
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0xff, at);
    const damaged = join(tiny.dir, 'damaged.zkey');
    await writeFile(damaged, bytes);
    const wtns = await witnessFile(tiny, { a: '1', b: '2' });
    await expectNativeError(nativeProverProcessFor().prove(damaged, wtns), 'ZKEY_INVALID', /BN254/);
  });

  it('a key of another circuit (a witness of the wrong length): WITNESS_MISMATCH', async () => {
    const wtns = await witnessFile(tiny, { a: '1', b: '2' });
    await expectNativeError(
      nativeEngineProve(tiny2, wtns),
      'WITNESS_MISMATCH',
      /witness has \d+ values but the proving key expects \d+/,
    );
  });

  it('a witness over another field: WITNESS_MISMATCH', async () => {
    const wtns = await witnessFile(tiny, { a: '1', b: '2' });
    const bytes = Buffer.from(await readFile(wtns));
    // File header 12 bytes, section header 12, n8 4, then the prime.
    bytes.writeUInt8(bytes.readUInt8(12 + 12 + 4) ^ 0x01, 12 + 12 + 4);
    await writeFile(wtns, bytes);
    await expectNativeError(nativeEngineProve(tiny, wtns), 'WITNESS_MISMATCH', /scalar field/);
  });

  it('a truncated witness: WITNESS_INVALID', async () => {
    const wtns = await witnessFile(tiny, { a: '1', b: '2' });
    const bytes = await readFile(wtns);
    await writeFile(wtns, bytes.subarray(0, bytes.length - 40));
    await expectNativeError(nativeEngineProve(tiny, wtns), 'WITNESS_INVALID', /truncated/);
  });

  it('a missing zkey: FILE_NOT_FOUND', async () => {
    const wtns = await witnessFile(tiny, { a: '1', b: '2' });
    await expectNativeError(
      nativeProverProcessFor().prove(join(tiny.dir, 'absent.zkey'), wtns),
      'FILE_NOT_FOUND',
      /absent\.zkey/,
    );
  });

  it('a missing binary (ZKSSO_NATIVE_PROVER_BIN): NATIVE_PROVER_UNAVAILABLE, saying how to build it', async () => {
    const saved = process.env.ZKSSO_NATIVE_PROVER_BIN;
    process.env.ZKSSO_NATIVE_PROVER_BIN = join(tiny.dir, 'no-such-prover');
    try {
      await expectNativeError(
        nativeEngine.prove({ wasmPath: tiny.wasmPath, zkeyPath: tiny.zkeyPath }, { a: '1', b: '2' }),
        'NATIVE_PROVER_UNAVAILABLE',
        /npm run build:native -w @zksso\/circuits.*ZKSSO_PROVER_ENGINE=snarkjs/,
      );
    } finally {
      if (saved === undefined) delete process.env.ZKSSO_NATIVE_PROVER_BIN;
      else process.env.ZKSSO_NATIVE_PROVER_BIN = saved;
    }
  });

  it('a child killed mid-request: NATIVE_PROVER_CRASHED, and the next request starts a new child', async () => {
    const prover = new NativeProverProcess(nativeProverBinaryPath());
    try {
      // A FIFO as the witness: the child blocks opening it, so it is surely mid-request when killed.
      const dir = await tempDir('native-crash');
      const fifo = join(dir, 'blocked.wtns');
      execFileSync('mkfifo', [fifo]);
      const pending = prover.prove(tiny.zkeyPath, fifo);
      const pid = prover.pid;
      expect(pid).toBeGreaterThan(0);
      process.kill(pid as number, 'SIGKILL');
      await expectNativeError(pending, 'NATIVE_PROVER_CRASHED', /killed by SIGKILL/);

      const wtns = await witnessFile(tiny, { a: '1', b: '2' });
      const again = await prover.prove(tiny.zkeyPath, wtns);
      expect(prover.pid).not.toBe(pid);
      expect(await snarkjs.groth16.verify(tiny.vkey, again.publicSignals, again.proof)).toBe(true);
    } finally {
      prover.close();
    }
  });
});

/** Where section `id` of a snarkjs binary file starts (after its 12-byte header). */
function sectionOffset(bytes: Buffer, id: number): number {
  let pos = 12;
  for (let i = 0; i < bytes.readUInt32LE(8); i++) {
    const size = Number(bytes.readBigUInt64LE(pos + 4));
    if (bytes.readUInt32LE(pos) === id) return pos + 12;
    pos += 12 + size;
  }
  throw new Error(`no section ${id}`);
}

function nativeProverProcessFor(): NativeProverProcess {
  return sharedProcess;
}
const sharedProcess = new NativeProverProcess(nativeProverBinaryPath());

function nativeEngineProve(circuit: KeyedCircuit, wtnsPath: string) {
  return sharedProcess.prove(circuit.zkeyPath, wtnsPath);
}

describe('proveNative', () => {
  it('reports the witness time and the prover phases', async () => {
    const result = await proveNative(
      { wasmPath: small.wasmPath, zkeyPath: small.zkeyPath },
      { a: '2', b: '5', c: '9' },
    );
    expect(result.witnessMs).toBeGreaterThan(0);
    expect(Object.keys(result.timings)).toEqual(
      expect.arrayContaining([
        'abcMs',
        'fftMs',
        'msmAMs',
        'msmB1Ms',
        'msmB2Ms',
        'msmCMs',
        'msmHMs',
        'totalMs',
      ]),
    );
    expect(await snarkjs.groth16.verify(small.vkey, result.publicSignals, result.proof)).toBe(true);
  });
});
