// Node-only helper (esbuild, zlib) for the bundle test and the size bench; not part of the connector's
// exports, so it never reaches a dapp's bundle.
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';

/** The dapp's own packages: left out of the bundle and of its size. */
export const CONNECTOR_EXTERNALS = ['viem', '@wagmi/core'] as const;

/**
 * The connector bundled for the browser, as a dapp's bundler would: minified ESM, `platform: 'browser'`,
 * viem and @wagmi/core external. Every Node built-in import (`node:fs`, `crypto`...) is collected in
 * `nodeImports` (with the importing file) instead of stopping the build at the first.
 *
 * @example
 * ```ts
 * const { nodeImports, gzipBytes } = await bundleConnector();
 * ```
 */
export async function bundleConnector(): Promise<{
  bytes: number;
  gzipBytes: number;
  nodeImports: string[];
  inputs: string[];
  externals: string[];
}> {
  const builtins = new Set(builtinModules);
  const nodeImports: string[] = [];
  const findNodeImports: Plugin = {
    name: 'find-node-imports',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        const bare = args.path.replace(/^node:/, '').split('/')[0] ?? '';
        if (args.path.startsWith('node:') || builtins.has(bare)) {
          nodeImports.push(`${args.path} (from ${args.importer})`);
          return { path: args.path, external: true };
        }
        return undefined;
      });
    },
  };
  const entry = fileURLToPath(new URL('./index.ts', import.meta.url));
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
    external: [...CONNECTOR_EXTERNALS],
    plugins: [findNodeImports],
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no output');
  const meta = Object.values(result.metafile.outputs)[0];
  return {
    bytes: output.contents.length,
    gzipBytes: gzipSync(output.contents).length,
    nodeImports,
    // Modules that put code into the output (tree-shaken ones, e.g. core's Poseidon, are left out).
    inputs: Object.entries(meta?.inputs ?? {})
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path),
    externals: [...new Set((meta?.imports ?? []).filter((i) => i.external).map((i) => i.path))].sort(),
  };
}
