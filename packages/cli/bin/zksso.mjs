#!/usr/bin/env node
// The `zksso` command: the built JavaScript (dist/, `npm run build`; `npm ci` builds it). Where the
// `@zksso/source` export condition is on (the repository's tests set it in NODE_OPTIONS, and so does
// `npm run dev`), the packages resolve to their TypeScript sources, so the CLI runs from source too, through tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const fromSource = import.meta.resolve('@zksso/sdk').endsWith('.ts');
let main = new URL('../dist/main.js', import.meta.url);
if (fromSource) {
  const { register } = await import('tsx/esm/api');
  register();
  main = new URL('../src/main.ts', import.meta.url);
} else if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('zksso: the CLI is not built: run `npm run build` at the repository root\n');
  process.exit(2);
}
const { runCli } = await import(main.href);
process.exitCode = await runCli(process.argv.slice(2));
