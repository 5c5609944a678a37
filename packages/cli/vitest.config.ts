import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'cli',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The end-to-end test runs the binary against ONE real dev stack shared with the other end-to-end projects
    // (started once by this global setup; first run: circuit build) and makes three proofs.
    globalSetup: ['../devstack/test/support/shared-stack.ts'],
    testTimeout: 900_000,
    hookTimeout: 1_800_000,
  },
});
