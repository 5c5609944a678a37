import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// anvil, forge and Alto are dependencies of the dev stack itself (only devDependencies of @zksso/contracts).
const require = createRequire(import.meta.url);

/**
 * Path of a native foundry binary shipped by `@foundry-rs/<tool>-<platform>`.
 *
 * @example
 * ```ts
 * spawn(foundryBinary('anvil'), ['--hardfork', 'osaka']);
 * ```
 */
export function foundryBinary(tool: 'anvil' | 'forge'): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const pkg = `@foundry-rs/${tool}-${process.platform}-${arch}`;
  return join(dirname(require.resolve(`${pkg}/package.json`)), 'bin', tool);
}

/**
 * Path of Alto's CLI script (run with `node`).
 *
 * @example
 * ```ts
 * spawn(process.execPath, [altoCli(), '--help']);
 * ```
 */
export function altoCli(): string {
  // Alto's "exports" hide its files from require.resolve: look along the node_modules search path.
  for (const dir of require.resolve.paths('@pimlico/alto') ?? []) {
    const cli = join(dir, '@pimlico', 'alto', 'esm', 'cli', 'alto.js');
    if (existsSync(cli)) return cli;
  }
  throw new Error('@pimlico/alto is not installed (a dependency of @zksso/devstack): run `npm ci`');
}
