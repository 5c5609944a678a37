import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'contracts',
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Compiles the contracts once (forge build) before any test file loads artifacts.
    globalSetup: ['test/global-setup.ts'],
  },
});
