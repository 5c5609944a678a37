import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidNetworkError, parseZkSsoNetwork, type ZkSsoNetwork } from '../network.ts';
import { loadZkSsoNetwork } from './network.ts';

const network: ZkSsoNetwork = {
  chainId: 8453,
  rpcUrl: 'https://rpc.example',
  bundlerUrl: 'https://bundler.example',
  saltUrl: 'https://salt.example',
  proverUrl: 'https://prover.example',
  clientIds: ['app'],
  addresses: {
    entryPoint: '0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108',
    factory: '0x1111111111111111111111111111111111111111',
    zkLoginValidator: '0x2222222222222222222222222222222222222222',
    sessionKeyValidator: '0x3333333333333333333333333333333333333333',
    webAuthnValidator: '0x4444444444444444444444444444444444444444',
    jwkRegistry: '0x5555555555555555555555555555555555555555',
  },
};

const reasonOf = (f: () => unknown): unknown => {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidNetworkError);
    expect((error as InvalidNetworkError).code).toBe('NETWORK_INVALID');
    return (error as InvalidNetworkError).details.reason;
  }
  throw new Error('expected InvalidNetworkError');
};

describe('parseZkSsoNetwork', () => {
  it('accepts a network description and returns it', () => {
    expect(parseZkSsoNetwork(network)).toEqual(network);
    expect(parseZkSsoNetwork({ ...network, local: false, pollingIntervalMs: 2500 })).toMatchObject({
      local: false,
      pollingIntervalMs: 2500,
    });
  });

  it('names the first missing or malformed field', () => {
    expect(reasonOf(() => parseZkSsoNetwork('x'))).toBe('not a JSON object');
    expect(reasonOf(() => parseZkSsoNetwork({ ...network, chainId: 0 }))).toBe(
      'chainId must be a positive integer',
    );
    expect(reasonOf(() => parseZkSsoNetwork({ ...network, rpcUrl: 5 }))).toBe('rpcUrl must be a URL');
    expect(reasonOf(() => parseZkSsoNetwork({ ...network, proverUrl: 'not a url' }))).toBe(
      'proverUrl must be a URL',
    );
    expect(reasonOf(() => parseZkSsoNetwork({ ...network, clientIds: [] }))).toMatch(/^clientIds/);
    expect(reasonOf(() => parseZkSsoNetwork({ ...network, local: 'yes' }))).toBe(
      'local must be true or false',
    );
    expect(reasonOf(() => parseZkSsoNetwork({ ...network, pollingIntervalMs: -1 }))).toMatch(
      /^pollingIntervalMs/,
    );
    expect(reasonOf(() => parseZkSsoNetwork({ ...network, addresses: undefined }))).toBe(
      'addresses is missing',
    );
    const addresses = { ...network.addresses, factory: '0x12' };
    expect(reasonOf(() => parseZkSsoNetwork({ ...network, addresses }))).toBe(
      'addresses.factory must be an address',
    );
  });
});

describe('loadZkSsoNetwork', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zksso-sdk-netfile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads and checks a network file', () => {
    const file = join(dir, 'net.json');
    writeFileSync(file, JSON.stringify(network));
    expect(loadZkSsoNetwork(file)).toEqual(network);
    writeFileSync(file, JSON.stringify({ ...network, bundlerUrl: 1 }));
    expect(reasonOf(() => loadZkSsoNetwork(file))).toBe('bundlerUrl must be a URL');
  });

  it('refuses a missing file or one that is not JSON', () => {
    expect(reasonOf(() => loadZkSsoNetwork(join(dir, 'nope.json')))).toBe('ENOENT');
    const file = join(dir, 'text.json');
    writeFileSync(file, 'chainId: 1');
    expect(reasonOf(() => loadZkSsoNetwork(file))).toBe('not JSON');
  });
});
