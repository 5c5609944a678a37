import { defineConfig } from 'vitest/config';

// One test run for the whole monorepo: every package with a vitest.config.ts is a Vitest project
// (named after the package folder), so `npm test` runs everything and `npx vitest run --project core`
// runs one package.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts'],
  },
});
