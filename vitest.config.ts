import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { nodeOptionsWithSourceCondition, sourceResolution } from './scripts/source-condition.ts';

// One test run for the whole monorepo: every package with a vitest.config.ts is a Vitest project
// (named after the package folder), so `npm test` runs everything and `npx vitest run --project core`
// runs one package. Each project extends its package's config with the source resolution: sibling
// packages are imported from their TypeScript sources (the `@zksso/source` export condition), never from a
// built dist/, here and in the Node processes the tests start (NODE_OPTIONS).
process.env.NODE_OPTIONS = nodeOptionsWithSourceCondition(process.env.NODE_OPTIONS);
const root = fileURLToPath(new URL('./', import.meta.url));
const configs = ['packages', 'apps'].flatMap((dir) =>
  existsSync(`${root}${dir}`)
    ? readdirSync(`${root}${dir}`)
        .filter((name) => existsSync(`${root}${dir}/${name}/vitest.config.ts`))
        .map((name) => `${root}${dir}/${name}`)
    : [],
);

export default defineConfig({
  ...sourceResolution,
  test: {
    projects: [
      ...configs.map((path) => ({ extends: `${path}/vitest.config.ts`, root: path, ...sourceResolution })),
      // The published form: packs the libraries, installs the tarballs into a fresh project and uses them
      // from Node and a browser bundle (test/packaging).
      { test: { name: 'packaging', root: `${root}test/packaging`, include: ['*.test.ts'] } },
    ],
  },
});
