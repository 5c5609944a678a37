import { defineProject } from 'vitest/config';

// Prover tests make real Groth16 proofs (about a minute each on 2 cores) and may wait for a first tier
// build (compile + development setup: minutes): long timeouts on purpose.
export default defineProject({
  test: {
    name: 'prover',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 1_800_000,
  },
});
