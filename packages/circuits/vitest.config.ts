import { defineProject } from 'vitest/config';

// Circuit tests compile circuits and run trusted setups: minutes, not milliseconds.
export default defineProject({
  test: {
    name: 'circuits',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 3_600_000,
  },
});
