#!/usr/bin/env node
// The `zksso-jwk-oracle` command: the built JavaScript (dist/, `npm run build`; `npm ci` builds it). Under
// the `@zksso/source` export condition (the repository's tests and `npm run dev` set it in NODE_OPTIONS) the
// packages resolve to their TypeScript sources, and so does this command, through tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let main = new URL('../dist/cli.js', import.meta.url);
if (import.meta.resolve('@zksso/core').endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
  main = new URL('../src/cli.ts', import.meta.url);
} else if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('zksso-jwk-oracle: not built: run `npm run build` at the repository root\n');
  process.exit(2);
}
await import(main.href);
