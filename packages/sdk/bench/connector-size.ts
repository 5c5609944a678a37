// The connector's browser bundle size (minified ESM, without viem and @wagmi/core, which the dapp
// already has). Writes bench/results/connector-size.json at the repository root.
// Run: npm run bench:size -w @zksso/sdk
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleConnector, CONNECTOR_EXTERNALS } from '../src/browser-bundle.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bundle = await bundleConnector();
if (bundle.nodeImports.length > 0)
  throw new Error(`Node built-ins in the connector: ${bundle.nodeImports.join(', ')}`);
const result = {
  name: '@zksso/sdk/connector browser bundle',
  measuredAt: new Date().toISOString(),
  bundler: 'esbuild (bundle, minify, esm, platform browser)',
  external: CONNECTOR_EXTERNALS,
  minifiedBytes: bundle.bytes,
  gzipBytes: bundle.gzipBytes,
  modules: bundle.inputs.length,
};
await mkdir(join(root, 'bench', 'results'), { recursive: true });
await writeFile(
  join(root, 'bench', 'results', 'connector-size.json'),
  `${JSON.stringify(result, null, 2)}\n`,
);
console.log(
  `connector: ${bundle.bytes} B minified, ${bundle.gzipBytes} B gzip (${bundle.inputs.length} modules)`,
);
