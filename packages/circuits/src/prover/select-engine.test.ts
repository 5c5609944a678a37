import { describe, expect, it } from 'vitest';
import { snarkjsEngine } from './engine.ts';
import { nativeEngine } from './native-engine.ts';
import { defaultProverEngine, ProverEngineConfigError } from './select-engine.ts';

describe('defaultProverEngine', () => {
  it('is the native engine unless ZKSSO_PROVER_ENGINE says snarkjs', () => {
    expect(defaultProverEngine({})).toBe(nativeEngine);
    expect(defaultProverEngine({ ZKSSO_PROVER_ENGINE: '' })).toBe(nativeEngine);
    expect(defaultProverEngine({ ZKSSO_PROVER_ENGINE: 'native' })).toBe(nativeEngine);
    expect(defaultProverEngine({ ZKSSO_PROVER_ENGINE: 'snarkjs' })).toBe(snarkjsEngine);
  });

  it('refuses an unknown engine name with INVALID_PROVER_ENGINE', () => {
    expect(() => defaultProverEngine({ ZKSSO_PROVER_ENGINE: 'rapidsnark' })).toThrow(ProverEngineConfigError);
    try {
      defaultProverEngine({ ZKSSO_PROVER_ENGINE: 'rapidsnark' });
    } catch (error) {
      expect((error as ProverEngineConfigError).code).toBe('INVALID_PROVER_ENGINE');
      expect((error as Error).message).toMatch(/native, snarkjs/);
    }
  });
});
