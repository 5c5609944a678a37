import { ZkSsoError } from '@zksso/core';
import { type ProverEngine, snarkjsEngine } from './engine.ts';
import { nativeEngine } from './native-engine.ts';

/** The engines `ZKSSO_PROVER_ENGINE` can name. */
export const PROVER_ENGINE_NAMES = ['native', 'snarkjs'] as const;
export type ProverEngineName = (typeof PROVER_ENGINE_NAMES)[number];

/** `ZKSSO_PROVER_ENGINE` names no engine. */
export class ProverEngineConfigError extends ZkSsoError {
  constructor(value: string) {
    super(
      'INVALID_PROVER_ENGINE',
      `ZKSSO_PROVER_ENGINE=${value} is not an engine; use one of ${PROVER_ENGINE_NAMES.join(', ')}`,
      { details: { value, allowed: [...PROVER_ENGINE_NAMES] } },
    );
  }
}

/**
 * The engine `ZKSSO_PROVER_ENGINE` selects: `native` (the default: the C++ prover) or `snarkjs` (the
 * reference engine, WebAssembly).
 *
 * @throws {ProverEngineConfigError} code `INVALID_PROVER_ENGINE` for any other value.
 *
 * @example
 * ```ts
 * defaultProverEngine().name; // 'native'
 * defaultProverEngine({ ZKSSO_PROVER_ENGINE: 'snarkjs' }).name; // 'snarkjs'
 * ```
 */
export function defaultProverEngine(env: NodeJS.ProcessEnv = process.env): ProverEngine {
  const value = env.ZKSSO_PROVER_ENGINE?.trim() || 'native';
  if (value === 'native') return nativeEngine;
  if (value === 'snarkjs') return snarkjsEngine;
  throw new ProverEngineConfigError(value);
}
