import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { SnarkjsProof } from './encoding.ts';
import { NativeProverError, nativeErrorCode } from './native-errors.ts';

/** Per-phase times (ms) and counts the native prover reports with each proof. */
export interface NativeProverTimings {
  readonly loadMs: number;
  readonly witnessReadMs: number;
  readonly abcMs: number;
  readonly fftMs: number;
  readonly msmAMs: number;
  readonly msmB1Ms: number;
  readonly msmB2Ms: number;
  readonly msmCMs: number;
  readonly msmHMs: number;
  readonly finishMs: number;
  readonly totalMs: number;
  readonly witnessZeros: number;
  readonly witnessOnes: number;
  readonly witnessOthers: number;
  /** Peak resident memory of the prover process so far (getrusage). */
  readonly maxRssMB: number;
}

/** A native proof: what `snarkjs.groth16.prove` returns, plus the prover's timings. */
export interface NativeProofResult {
  readonly proof: SnarkjsProof;
  readonly publicSignals: string[];
  readonly timings: NativeProverTimings;
}

interface Answer {
  id: number;
  proof?: SnarkjsProof;
  publicSignals?: string[];
  timings?: NativeProverTimings;
  error?: { code: string; message: string };
}

interface Pending {
  resolve(result: NativeProofResult): void;
  reject(error: NativeProverError): void;
}

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Where the `zksso-prover` binary is: `$ZKSSO_NATIVE_PROVER_BIN`, else `native/build/zksso-prover` in this
 * package (built by `npm ci` / `npm run build:native -w @zksso/circuits`).
 *
 * @example
 * ```ts
 * nativeProverBinaryPath(); // '/repo/packages/circuits/native/build/zksso-prover'
 * ```
 */
export function nativeProverBinaryPath(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.ZKSSO_NATIVE_PROVER_BIN;
  return override ? resolve(override) : resolve(PACKAGE_DIR, 'native/build/zksso-prover');
}

/** Keeps the last few KB of the child's stderr, for crash reports. */
const STDERR_KEEP = 4096;

/**
 * One long-lived `zksso-prover serve` child: spawned on first use, fed one JSON request per line, answered
 * in order. The child keeps each proving key mapped, so repeated proofs skip the load. When the child dies,
 * every pending request rejects with `NATIVE_PROVER_CRASHED` and the next request starts a new one. The
 * child does not keep Node's event loop alive while idle.
 *
 * @example
 * ```ts
 * const prover = new NativeProverProcess();
 * const { proof, publicSignals, timings } = await prover.prove(zkeyPath, wtnsPath);
 * prover.close();
 * ```
 */
export class NativeProverProcess {
  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stderrTail = '';

  constructor(private readonly binaryPath: string = nativeProverBinaryPath()) {}

  /** The child's process id, while one runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Proves with a zkey and a `.wtns` file (absolute or relative paths). */
  async prove(zkeyPath: string, wtnsPath: string): Promise<NativeProofResult> {
    const child = this.ensureChild();
    const id = this.nextId++;
    return new Promise<NativeProofResult>((resolvePromise, rejectPromise) => {
      this.pending.set(id, { resolve: resolvePromise, reject: rejectPromise });
      this.updateRef();
      const request = `${JSON.stringify({ id, zkeyPath: resolve(zkeyPath), wtnsPath: resolve(wtnsPath) })}\n`;
      child.stdin.write(request);
    });
  }

  /** Ends the child (its pending requests reject as crashed). */
  close(): void {
    this.child?.kill('SIGTERM');
  }

  private ensureChild(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    try {
      accessSync(this.binaryPath, constants.X_OK);
    } catch (cause) {
      throw NativeProverError.unavailable(this.binaryPath, 'binary missing or not executable', cause);
    }
    const child = spawn(this.binaryPath, ['serve'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.stderrTail = '';
    child.stdin.on('error', () => {}); // EPIPE when the child died: reported by 'exit'
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_KEEP);
    });
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => this.onAnswer(line));
    const onGone = (reason: string, cause?: unknown) => {
      if (this.child !== child) return;
      this.child = undefined;
      lines.close();
      const error =
        cause !== undefined && (cause as NodeJS.ErrnoException).code === 'ENOENT'
          ? NativeProverError.unavailable(this.binaryPath, 'binary missing', cause)
          : new NativeProverError(
              'NATIVE_PROVER_CRASHED',
              `the native prover process ${reason}; the next request starts a new one`,
              { reason, stderr: this.stderrTail.trim().slice(-1000) },
              cause,
            );
      for (const request of this.pending.values()) request.reject(error);
      this.pending.clear();
    };
    child.on('error', (cause) => onGone(`failed: ${cause.message}`, cause));
    child.on('exit', (code, signal) =>
      onGone(signal ? `was killed by ${signal}` : `exited with code ${String(code)}`),
    );
    this.updateRef();
    return child;
  }

  private onAnswer(line: string): void {
    let answer: Answer;
    try {
      answer = JSON.parse(line) as Answer;
    } catch {
      return; // not an answer line (the protocol has none other); ignored
    }
    const request = this.pending.get(answer.id);
    if (!request) return;
    this.pending.delete(answer.id);
    this.updateRef();
    if (answer.error) {
      request.reject(
        new NativeProverError(nativeErrorCode(answer.error.code), answer.error.message, {
          reportedCode: answer.error.code,
        }),
      );
    } else if (answer.proof && answer.publicSignals && answer.timings) {
      request.resolve({ proof: answer.proof, publicSignals: answer.publicSignals, timings: answer.timings });
    } else {
      request.reject(
        new NativeProverError('NATIVE_PROVER_FAILED', 'the native prover sent an incomplete answer'),
      );
    }
  }

  // The child and its pipes hold the event loop open only while a request is pending.
  private updateRef(): void {
    const child = this.child;
    if (!child) return;
    const busy = this.pending.size > 0;
    for (const handle of [child, child.stdin, child.stdout, child.stderr] as unknown as {
      ref?: () => void;
      unref?: () => void;
    }[]) {
      if (busy) handle.ref?.();
      else handle.unref?.();
    }
  }
}
