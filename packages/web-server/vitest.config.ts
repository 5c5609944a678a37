import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'web-server',
    include: ['src/**/*.test.ts'],
    // One test builds a tiny app with Vite (a second or two; more on 2 busy cores).
    testTimeout: 60_000,
  },
});
