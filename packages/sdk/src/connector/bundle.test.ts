import { describe, expect, it } from 'vitest';
import { bundleConnector, CONNECTOR_EXTERNALS } from './browser-bundle.ts';

describe('@zksso/sdk/connector in a browser bundle', () => {
  it('bundles for the browser with no Node built-in and no toolchain package', async () => {
    const bundle = await bundleConnector();
    expect(bundle.nodeImports).toEqual([]);
    // Only viem and @wagmi/core (and their subpaths) stay outside; nothing from contracts, devstack, circuits.
    for (const external of bundle.externals)
      expect(CONNECTOR_EXTERNALS.some((p) => external === p || external.startsWith(`${p}/`))).toBe(true);
    const toolchain = bundle.inputs.filter((i) =>
      /packages\/(contracts|devstack|circuits|prover)\/|node_modules\//.test(i),
    );
    expect(toolchain).toEqual([]);
    expect(bundle.inputs.some((i) => i.endsWith('connector/provider.ts'))).toBe(true);
  }, 60_000);
});
