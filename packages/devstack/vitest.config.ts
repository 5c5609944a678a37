import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'devstack',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 1_800_000,
  },
});
