import { describe, expect, it } from 'vitest';
import { BROWSER_ENTRIES, bundleConnector, bundleForBrowser, CONNECTOR_EXTERNALS } from './browser-bundle.ts';

const isExternal = (path: string) => CONNECTOR_EXTERNALS.some((p) => path === p || path.startsWith(`${p}/`));

describe('the SDK in a browser bundle', () => {
  it.each(Object.keys(BROWSER_ENTRIES) as (keyof typeof BROWSER_ENTRIES)[])(
    '%s bundles for the browser with no Node built-in and no toolchain package',
    async (entry) => {
      const bundle = await bundleForBrowser(entry);
      expect(bundle.nodeImports).toEqual([]);
      expect(bundle.toolchainImports).toEqual([]);
      // Only viem and @wagmi/core (and their subpaths) stay outside.
      for (const external of bundle.externals) expect(isExternal(external)).toBe(true);
      // Nothing from the dev stack, the circuits or the services, nor the deploy code, reaches the output.
      const serverSide = bundle.inputs.filter((i) =>
        /packages\/(devstack|circuits|prover|salt|jwk-oracle|dev-idp|cli)\/|packages\/sdk\/src\/node\//.test(
          i,
        ),
      );
      expect(serverSide).toEqual([]);
      expect(bundle.bytes).toBeGreaterThan(0);
    },
    120_000,
  );

  it('the connector carries no third-party code: viem and @wagmi/core are the dapp’s', async () => {
    const bundle = await bundleConnector();
    const toolchain = bundle.inputs.filter((i) =>
      /packages\/(contracts|devstack|circuits|prover)\/|node_modules\//.test(i),
    );
    expect(toolchain).toEqual([]);
    expect(bundle.inputs.some((i) => i.endsWith('connector/provider.ts'))).toBe(true);
  }, 60_000);

  it('the SDK entry reaches its login and sending code', async () => {
    const bundle = await bundleForBrowser('@zksso/sdk');
    for (const file of ['actions/createZkLoginAccount.ts', 'actions/sendCalls.ts', 'http.ts', 'network.ts'])
      expect(bundle.inputs.some((i) => i.endsWith(`sdk/src/${file}`))).toBe(true);
  }, 120_000);
});
