import { ZkSsoError } from '@zksso/core';

/** Why the native prover refused or failed a request. */
export type NativeProverErrorCode =
  /** The `zksso-prover` binary is missing or did not build. */
  | 'NATIVE_PROVER_UNAVAILABLE'
  /** The child process died (crash, kill, out of memory) while proving or before answering. */
  | 'NATIVE_PROVER_CRASHED'
  /** The zkey or witness file does not exist. */
  | 'FILE_NOT_FOUND'
  /** The zkey is truncated, corrupt, not Groth16 or not over BN254. */
  | 'ZKEY_INVALID'
  /** The witness file is truncated or corrupt. */
  | 'WITNESS_INVALID'
  /** The witness does not fit the key: another circuit, or another field. */
  | 'WITNESS_MISMATCH'
  /** Anything else the prover reported (out of memory, a malformed request). */
  | 'NATIVE_PROVER_FAILED';

const HOW_TO_BUILD =
  'build it with `npm run build:native -w @zksso/circuits` (needs g++), or prove with snarkjs: ZKSSO_PROVER_ENGINE=snarkjs';

/**
 * A failure of the native Groth16 prover (`zksso-prover`), with a machine-readable `code`.
 *
 * @example
 * ```ts
 * try {
 *   await nativeEngine.prove(artifacts, input);
 * } catch (error) {
 *   if (error instanceof NativeProverError && error.code === 'NATIVE_PROVER_UNAVAILABLE') console.error(error.message);
 * }
 * ```
 */
export class NativeProverError extends ZkSsoError {
  declare readonly code: NativeProverErrorCode;

  constructor(
    code: NativeProverErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    cause?: unknown,
  ) {
    super(code, message, { details, cause });
  }

  /** The binary is missing or unusable: the message says how to build it. */
  static unavailable(binaryPath: string, reason: string, cause?: unknown): NativeProverError {
    return new NativeProverError(
      'NATIVE_PROVER_UNAVAILABLE',
      `the native prover ${binaryPath} is not usable (${reason}): ${HOW_TO_BUILD}`,
      { binaryPath, reason },
      cause,
    );
  }
}

/** Maps a code reported by the binary to the Node-side code. */
export function nativeErrorCode(reported: string): NativeProverErrorCode {
  switch (reported) {
    case 'FILE_NOT_FOUND':
    case 'ZKEY_INVALID':
    case 'WITNESS_INVALID':
    case 'WITNESS_MISMATCH':
      return reported;
    default:
      return 'NATIVE_PROVER_FAILED';
  }
}
