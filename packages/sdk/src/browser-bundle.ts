// Node-only helper (esbuild, zlib) for the browser-bundle test and the size bench; not part of the SDK's
// exports, so it never reaches a dapp's bundle.
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';

/** The export condition that maps each zkSSO package to its TypeScript sources (scripts/source-condition.ts). */
const SOURCE_CONDITION = '@zksso/source';

/** The dapp's own packages: left out of the bundle and of its size. */
export const CONNECTOR_EXTERNALS = ['viem', '@wagmi/core'] as const;

/**
 * Packages that must never reach a browser bundle of the SDK: the chain, bundler and compiler toolchain
 * (anvil, forge, Alto, solc, circom, snarkjs...), and the zkSSO packages that run services or the dev stack.
 */
export const TOOLCHAIN_PACKAGES: readonly RegExp[] = [
  /^@foundry-rs\//,
  /^@pimlico\/alto(\/|$)/,
  /^permissionless(\/|$)/,
  /^solc(\/|$)/,
  /^snarkjs(\/|$)/,
  /^circom/,
  /^ffjavascript(\/|$)/,
  /^@account-abstraction\/contracts(\/|$)/,
  /^@zksso\/(devstack|circuits|prover|salt|jwk-oracle|dev-idp|cli)(\/|$)/,
];

/** The SDK's browser entry points, as a dapp imports them. */
export const BROWSER_ENTRIES = {
  '@zksso/sdk': './index.ts',
  '@zksso/sdk/connector': './connector/index.ts',
} as const;

/** Where {@link bundleForBrowser} takes the SDK from. */
export interface BundleForBrowserOptions {
  /**
   * A project folder with `@zksso/sdk` installed (from its packed tarball): the entry is resolved from there as
   * a dapp's bundler would, through the package's `exports` to its built `dist/`. Without it, the entry is this
   * repository's source (the `@zksso/source` export condition, which also picks its siblings' sources).
   */
  installedIn?: string;
}

/** What {@link bundleForBrowser} found. */
export interface BrowserBundle {
  bytes: number;
  gzipBytes: number;
  /** Every Node built-in import reached from the entry (`node:fs`, `crypto`...), with the importing file. */
  nodeImports: string[];
  /** Every toolchain package import ({@link TOOLCHAIN_PACKAGES}) reached from the entry, with the importer. */
  toolchainImports: string[];
  /** Modules that put code into the output (tree-shaken ones, e.g. core's Poseidon, are left out). */
  inputs: string[];
  externals: string[];
}

/**
 * An SDK entry bundled for the browser, as a dapp's bundler would: minified ESM, `platform: 'browser'`,
 * viem and @wagmi/core external. Node built-ins and toolchain packages are collected (with the importing
 * file) instead of stopping the build at the first, whether or not tree shaking would drop them later: an
 * import reached from the entry is already a problem for a dapp's bundler.
 *
 * @example
 * ```ts
 * const { nodeImports, toolchainImports, gzipBytes } = await bundleForBrowser('@zksso/sdk');
 * ```
 */
export async function bundleForBrowser(
  entryName: keyof typeof BROWSER_ENTRIES,
  options: BundleForBrowserOptions = {},
): Promise<BrowserBundle> {
  const builtins = new Set(builtinModules);
  const nodeImports: string[] = [];
  const toolchainImports: string[] = [];
  const findForbidden: Plugin = {
    name: 'find-forbidden-imports',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        const bare = args.path.replace(/^node:/, '').split('/')[0] ?? '';
        if (args.path.startsWith('node:') || builtins.has(bare)) {
          nodeImports.push(`${args.path} (from ${args.importer})`);
          return { path: args.path, external: true };
        }
        if (TOOLCHAIN_PACKAGES.some((p) => p.test(args.path))) {
          toolchainImports.push(`${args.path} (from ${args.importer})`);
          return { path: args.path, external: true };
        }
        return undefined;
      });
    },
  };
  const source = options.installedIn === undefined;
  const result = await build({
    ...(options.installedIn === undefined
      ? { entryPoints: [fileURLToPath(new URL(BROWSER_ENTRIES[entryName], import.meta.url))] }
      : { stdin: { contents: `export * from '${entryName}';`, resolveDir: options.installedIn } }),
    conditions: source ? [SOURCE_CONDITION] : [],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
    external: [...CONNECTOR_EXTERNALS],
    plugins: [findForbidden],
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no output');
  const meta = Object.values(result.metafile.outputs)[0];
  return {
    bytes: output.contents.length,
    gzipBytes: gzipSync(output.contents).length,
    nodeImports,
    toolchainImports,
    inputs: Object.entries(meta?.inputs ?? {})
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path),
    externals: [...new Set((meta?.imports ?? []).filter((i) => i.external).map((i) => i.path))].sort(),
  };
}

/**
 * The connector (`@zksso/sdk/connector`) bundled for the browser: {@link bundleForBrowser}.
 *
 * @example
 * ```ts
 * const { nodeImports, gzipBytes } = await bundleConnector();
 * ```
 */
export function bundleConnector(): Promise<BrowserBundle> {
  return bundleForBrowser('@zksso/sdk/connector');
}
