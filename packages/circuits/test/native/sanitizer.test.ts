// The native prover built with AddressSanitizer + UndefinedBehaviorSanitizer (a separate binary under
// native/build, incremental like the release one), driven through good and bad requests in one `serve`
// child: every memory error, leak or undefined behaviour aborts the child, so the test sees a crash or a
// non-zero exit instead of the answers. Slow parts: the instrumented build (about a minute, once) and
// proofs at a few times the release cost on small circuits.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as snarkjs from 'snarkjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeWitness } from '../../src/build/witness.ts';
import { buildNativeProver, type KeyedCircuit, keyedFixture, NATIVE_DIR } from './native-fixtures.ts';

const SANITIZED = join(NATIVE_DIR, 'build', 'zksso-prover-sanitized');
// -O1 keeps the instrumented build and run short; -fno-sanitize-recover makes UBSan findings fatal too.
const SANITIZER_FLAGS =
  '-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer';

interface Answer {
  id: number;
  proof?: Parameters<typeof snarkjs.groth16.verify>[2];
  publicSignals?: string[];
  error?: { code: string; message: string };
}

/** Runs one `serve` child over `requests`, closes its stdin, and returns its answers, exit code and stderr. */
function serve(requests: object[]): Promise<{ answers: Answer[]; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(SANITIZED, ['serve'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      // Leak checking at exit; a finding exits non-zero.
      env: {
        ...process.env,
        ASAN_OPTIONS: 'detect_leaks=1:exitcode=86',
        UBSAN_OPTIONS: 'print_stacktrace=1',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const answers = stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Answer);
      resolve({ answers, code, stderr });
    });
    for (const request of requests) child.stdin.write(`${JSON.stringify(request)}\n`);
    child.stdin.end();
  });
}

let small: KeyedCircuit;
let medium: KeyedCircuit;

beforeAll(async () => {
  buildNativeProver(['--out', SANITIZED, '--flags', SANITIZER_FLAGS]);
  small = await keyedFixture('small');
  medium = await keyedFixture('medium');
}, 600_000);

describe('native prover under AddressSanitizer and UBSan', () => {
  it('proves, refuses bad keys and witnesses, and exits with no memory error, leak or UB', async () => {
    const wSmall = join(small.dir, 'asan-small.wtns');
    await writeWitness(small.wasmPath, { a: '7', b: '3', c: '11' }, wSmall);
    const wMedium = join(medium.dir, 'asan-medium.wtns');
    await writeWitness(medium.wasmPath, { seed: '5', salt: '123456789012345678901234567890' }, wMedium);
    // Bad inputs reach every parser's error path: a truncated key, junk as a key, a truncated witness, and
    // a witness of another circuit.
    const zkeyBytes = await readFile(small.zkeyPath);
    const truncatedKey = join(small.dir, 'asan-truncated.zkey');
    await writeFile(truncatedKey, zkeyBytes.subarray(0, Math.floor(zkeyBytes.length / 3)));
    const junkKey = join(small.dir, 'asan-junk.zkey');
    await writeFile(junkKey, randomBytes(2048));
    const wtnsBytes = await readFile(wSmall);
    const truncatedWtns = join(small.dir, 'asan-truncated.wtns');
    await writeFile(truncatedWtns, wtnsBytes.subarray(0, wtnsBytes.length - 40));

    const { answers, code, stderr } = await serve([
      { id: 1, zkeyPath: small.zkeyPath, wtnsPath: wSmall },
      { id: 2, zkeyPath: medium.zkeyPath, wtnsPath: wMedium },
      { id: 3, zkeyPath: truncatedKey, wtnsPath: wSmall },
      { id: 4, zkeyPath: junkKey, wtnsPath: wSmall },
      { id: 5, zkeyPath: small.zkeyPath, wtnsPath: truncatedWtns },
      { id: 6, zkeyPath: medium.zkeyPath, wtnsPath: wSmall },
      { id: 7, zkeyPath: small.zkeyPath, wtnsPath: wSmall },
    ]);

    expect(stderr).not.toMatch(/AddressSanitizer|LeakSanitizer|runtime error/);
    expect(code).toBe(0);
    expect(answers.map((a) => a.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const byId = new Map(answers.map((a) => [a.id, a]));
    for (const [id, circuit] of [
      [1, small],
      [2, medium],
      [7, small],
    ] as const) {
      const answer = byId.get(id) as Answer;
      expect(answer.error).toBeUndefined();
      expect(
        await snarkjs.groth16.verify(
          circuit.vkey,
          answer.publicSignals as string[],
          answer.proof as Parameters<typeof snarkjs.groth16.verify>[2],
        ),
      ).toBe(true);
    }
    expect(byId.get(3)?.error?.code).toBe('ZKEY_INVALID');
    expect(byId.get(4)?.error?.code).toBe('ZKEY_INVALID');
    expect(byId.get(5)?.error?.code).toBe('WITNESS_INVALID');
    expect(byId.get(6)?.error?.code).toBe('WITNESS_MISMATCH');
  });
});
