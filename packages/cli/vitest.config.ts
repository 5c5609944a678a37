import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'cli',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The end-to-end test starts the real stack (first run: circuit build) and makes three proofs.
    testTimeout: 900_000,
    hookTimeout: 1_800_000,
  },
});
