import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { nodeOptionsWithSourceCondition, sourceResolution } from './scripts/source-condition.ts';

// `npm run test:unit`: every package's and app's `src/**/*.test.ts` and nothing else (no dev stack, no proofs,
// no global setup but the contracts' compile check), for the edit-test loop. The end-to-end tests under each
// `test/` folder run with `npm test` (vitest.config.ts).
// Sibling packages come from their sources (see vitest.config.ts).
process.env.NODE_OPTIONS = nodeOptionsWithSourceCondition(process.env.NODE_OPTIONS);
const root = fileURLToPath(new URL('./', import.meta.url));
const workspaces = ['packages', 'apps'].flatMap((dir) =>
  existsSync(`${root}${dir}`)
    ? readdirSync(`${root}${dir}`)
        .filter((name) => existsSync(`${root}${dir}/${name}/vitest.config.ts`))
        .map((name) => ({ name, path: `${root}${dir}/${name}` }))
    : [],
);

export default defineConfig({
  test: {
    projects: workspaces.map(({ name, path }) => ({
      ...sourceResolution,
      test: {
        name,
        root: path,
        include: ['src/**/*.test.ts'],
        testTimeout: 120_000,
        hookTimeout: 300_000,
        // Some unit tests read the compiled contracts' ABIs: `forge build` (a no-op when they are current).
        ...(name === 'contracts' ? { globalSetup: ['test/global-setup.ts'] } : {}),
      },
    })),
  },
});
