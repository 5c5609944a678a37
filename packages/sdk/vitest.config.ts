import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'sdk',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The integration tests start a real dev stack and make real proofs (about a minute each on 2 cores);
    // the first run also builds the circuit tier (minutes).
    testTimeout: 600_000,
    hookTimeout: 1_800_000,
  },
});
