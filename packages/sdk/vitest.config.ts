import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'sdk',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The integration tests run against ONE real dev stack shared with the other end-to-end projects (started
    // once by this global setup) and make real proofs; the first run also builds the circuit tier (minutes).
    globalSetup: ['../devstack/test/support/shared-stack.ts'],
    testTimeout: 600_000,
    hookTimeout: 1_800_000,
  },
});
