// The published form of the libraries: `npm pack` @zksso/core, @zksso/contracts and @zksso/sdk (each builds
// its dist/ first: prepack), install the tarballs into a fresh project outside this repository as a dapp would,
// then use the SDK from Node (a pure function, and its types through the TypeScript checker) and bundle it for
// the browser with esbuild. Everything here runs on the built JavaScript: the `@zksso/source` condition that
// the rest of the tests use is taken out of the child processes' NODE_OPTIONS.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser, TOOLCHAIN_PACKAGES } from '../../packages/sdk/src/browser-bundle.ts';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const LIBRARIES = ['@zksso/core', '@zksso/contracts', '@zksso/sdk'] as const;

/** The environment of a consumer: no `--conditions=@zksso/source`, which would point at sources not packed. */
const consumerEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  NODE_OPTIONS: (process.env.NODE_OPTIONS ?? '')
    .split(/\s+/)
    .filter((flag) => flag !== '--conditions=@zksso/source')
    .join(' '),
});

/**
 * Packages that must not be installed with the SDK: the chain, bundler, compilers and prover (binaries and
 * heavy toolchains), and the zkSSO services. Solidity source packages (`@account-abstraction/contracts`,
 * `@openzeppelin/contracts`, which @zksso/contracts ships its contracts against) are only kept out of the
 * browser bundle.
 */
const FORBIDDEN_INSTALLS = TOOLCHAIN_PACKAGES.filter((p) => !p.test('@account-abstraction/contracts'));

interface PackResult {
  name: string;
  filename: string;
  files: { path: string }[];
}

let work: string;
let app: string;
let packed: PackResult[];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'zksso-pack-'));
  const tarballs = join(work, 'tarballs');
  app = join(work, 'app');
  await mkdir(tarballs);
  await mkdir(app);
  const { stdout } = await run(
    'npm',
    ['pack', '--json', '--pack-destination', tarballs, ...LIBRARIES.flatMap((name) => ['-w', name])],
    { cwd: repo, env: consumerEnv(), maxBuffer: 64 * 1024 * 1024 },
  );
  // npm prints the prepack builds' output before the JSON array.
  packed = JSON.parse(stdout.slice(stdout.indexOf('\n[') + 1)) as PackResult[];
  const dependencies = Object.fromEntries(
    packed.map((p) => [p.name, `file:${join(tarballs, p.filename.replace(/^.*\//, ''))}`]),
  );
  await writeFile(
    join(app, 'package.json'),
    JSON.stringify({ name: 'zksso-pack-check', private: true, type: 'module', dependencies }, null, 2),
  );
  // The registry's packages come from npm's cache when it has them (the repository installed them).
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], {
    cwd: app,
    env: consumerEnv(),
    maxBuffer: 64 * 1024 * 1024,
  });
}, 600_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the packed libraries', () => {
  it('hold built JavaScript, declarations and source maps, and no sources or tests', () => {
    expect(packed.map((p) => p.name).sort()).toEqual([...LIBRARIES].sort());
    for (const { name, files } of packed) {
      const paths = files.map((f) => f.path);
      expect(paths, name).toContain('dist/index.js');
      expect(paths, name).toContain('dist/index.d.ts');
      expect(paths, name).toContain('dist/index.js.map');
      expect(paths, name).toContain('package.json');
      expect(paths, name).toContain('README.md');
      expect(
        paths.filter(
          (p) => p.startsWith('src/') || /\.test\.|tsbuildinfo|\.ts$/.test(p.replace(/\.d\.ts$/, '')),
        ),
        name,
      ).toEqual([]);
    }
    const sdk = packed.find((p) => p.name === '@zksso/sdk')?.files.map((f) => f.path) ?? [];
    for (const entry of ['dist/connector/index.js', 'dist/node/index.js']) expect(sdk).toContain(entry);
    // Test and bench helpers stay out.
    expect(sdk.filter((p) => /browser-bundle|fake-/.test(p))).toEqual([]);
  });

  it('install without the toolchain (anvil, forge, Alto, solc, circom, snarkjs) or the services', async () => {
    const lock = JSON.parse(await readFile(join(app, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, unknown>;
    };
    const installed = Object.keys(lock.packages)
      .filter((path) => path.startsWith('node_modules/'))
      .map((path) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(installed).toContain('viem');
    expect(installed).toContain('@zksso/core');
    expect(installed.filter((name) => FORBIDDEN_INSTALLS.some((p) => p.test(name)))).toEqual([]);
  });

  it('run in Node from the installed tarballs: the SDK, its connector and node entries', async () => {
    const script = `
      import { formatEth, isLocalNetwork, parseZkSsoNetwork, InvalidNetworkError } from '@zksso/sdk';
      import { zksso } from '@zksso/sdk/connector';
      import { loadZkSsoNetwork } from '@zksso/sdk/node';
      import { getProvider } from '@zksso/core';
      let refused;
      try { parseZkSsoNetwork({}); } catch (error) { refused = error instanceof InvalidNetworkError; }
      console.log(JSON.stringify({
        sdk: import.meta.resolve('@zksso/sdk'),
        eth: formatEth(1500000000000000000n),
        local: isLocalNetwork({ chainId: 31337 }),
        refused,
        connector: typeof zksso,
        node: typeof loadZkSsoNetwork,
        google: getProvider('google').id,
      }));
    `;
    await writeFile(join(app, 'check.mjs'), script);
    const { stdout } = await run(process.execPath, ['check.mjs'], { cwd: app, env: consumerEnv() });
    const result = JSON.parse(stdout);
    expect(result.sdk).toMatch(/\/app\/node_modules\/@zksso\/sdk\/dist\/index\.js$/);
    expect(result).toMatchObject({
      eth: '1.5 ETH',
      local: true,
      refused: true,
      connector: 'function',
      node: 'function',
      google: 'google',
    });
  }, 60_000);

  it('type-check in a consumer project from the packed declarations', async () => {
    await writeFile(
      join(app, 'check.ts'),
      [
        "import { formatEth, parseZkSsoNetwork, type ZkSsoNetwork } from '@zksso/sdk';",
        "import { zksso } from '@zksso/sdk/connector';",
        "import { getProvider } from '@zksso/core';",
        'const eth: string = formatEth(1n);',
        'const network: ZkSsoNetwork = parseZkSsoNetwork({});',
        "const id: string = getProvider('google').id;",
        'export { eth, id, network, zksso };',
        // Declarations that resolve to `any` would let this through; the directive fails if it is not an error.
        '// @ts-expect-error formatEth takes a bigint',
        "formatEth('1');",
      ].join('\n'),
    );
    await writeFile(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          lib: ['ES2023', 'DOM'],
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ['check.ts'],
      }),
    );
    const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], {
      cwd: app,
      env: consumerEnv(),
    }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(result).toBe('');
  }, 120_000);

  it.each(['@zksso/sdk', '@zksso/sdk/connector'] as const)(
    '%s from the tarball bundles for the browser with no Node built-in and no toolchain package',
    async (entry) => {
      const bundle = await bundleForBrowser(entry, { installedIn: app });
      expect(bundle.nodeImports).toEqual([]);
      expect(bundle.toolchainImports).toEqual([]);
      // The bundle is made of the installed dist/, not this repository's sources.
      const own = bundle.inputs.filter((i) => i.includes('@zksso/'));
      expect(own.length).toBeGreaterThan(0);
      expect(own.filter((i) => !/node_modules\/@zksso\/(sdk|core|contracts)\/dist\/.*\.js$/.test(i))).toEqual(
        [],
      );
      expect(bundle.bytes).toBeGreaterThan(0);
    },
    120_000,
  );
});
