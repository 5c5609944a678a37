import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'demo',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The browser tests start a real dev stack (prover included) and make real proofs in Chromium.
    testTimeout: 600_000,
    hookTimeout: 1_800_000,
  },
});
