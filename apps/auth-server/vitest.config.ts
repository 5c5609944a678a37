import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'auth-server',
    include: ['test/**/*.test.ts'],
    // The first run builds the app with Vite (tens of seconds on 2 busy cores); the smoke test drives Chromium.
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
