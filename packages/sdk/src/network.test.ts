import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DevStackNotRunningError } from './errors.ts';
import {
  devStackNetwork,
  eventsFromBlock,
  isLocalNetwork,
  parseZkSsoNetwork,
  pollingIntervalOf,
} from './network.ts';
import { devStackStateDir, loadDevStackNetwork } from './node/network.ts';

const ready = {
  event: 'ready',
  chainId: 31337,
  urls: {
    rpc: 'http://127.0.0.1:1001',
    bundler: 'http://127.0.0.1:1002',
    idp: 'http://127.0.0.1:1003',
    salt: 'http://127.0.0.1:1004',
    prover: 'http://127.0.0.1:1005',
  },
  idp: { issuer: 'http://127.0.0.1:1003', clientIds: ['zksso-dev', 'zksso-dev-other'] },
  addresses: {
    entryPoint: '0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108',
    accountFactory: '0x1111111111111111111111111111111111111111',
    zkLoginValidator: '0x2222222222222222222222222222222222222222',
    sessionKeyValidator: '0x3333333333333333333333333333333333333333',
    webAuthnValidator: '0x4444444444444444444444444444444444444444',
    jwkRegistry: '0x5555555555555555555555555555555555555555',
  },
};

describe('devStackNetwork', () => {
  it('maps the ready JSON to a network', () => {
    expect(devStackNetwork(ready)).toEqual({
      chainId: 31337,
      rpcUrl: 'http://127.0.0.1:1001',
      bundlerUrl: 'http://127.0.0.1:1002',
      saltUrl: 'http://127.0.0.1:1004',
      proverUrl: 'http://127.0.0.1:1005',
      devIssuer: 'http://127.0.0.1:1003',
      clientIds: ['zksso-dev', 'zksso-dev-other'],
      local: true,
      addresses: {
        entryPoint: ready.addresses.entryPoint,
        factory: ready.addresses.accountFactory,
        zkLoginValidator: ready.addresses.zkLoginValidator,
        sessionKeyValidator: ready.addresses.sessionKeyValidator,
        webAuthnValidator: ready.addresses.webAuthnValidator,
        jwkRegistry: ready.addresses.jwkRegistry,
      },
    });
  });

  it('leaves the prover URL empty for a stack without prover', () => {
    const { prover: _, ...urls } = ready.urls;
    expect(devStackNetwork({ ...ready, urls }).proverUrl).toBe('');
  });

  it('refuses something else', () => {
    expect(() => devStackNetwork({ chainId: 1 })).toThrow(TypeError);
  });
});

describe('loadDevStackNetwork', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zksso-sdk-net-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads <stateDir>/stack.json', () => {
    writeFileSync(join(dir, 'stack.json'), `${JSON.stringify(ready)}\n`);
    expect(loadDevStackNetwork(dir).addresses.factory).toBe(ready.addresses.accountFactory);
  });

  it('throws DevStackNotRunningError when no stack runs there', () => {
    const error = (() => {
      try {
        loadDevStackNetwork(join(dir, 'nope'));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DevStackNotRunningError);
    expect((error as DevStackNotRunningError).code).toBe('DEV_STACK_NOT_RUNNING');
  });

  it('reads a ready document whose stack process is alive', () => {
    const live = mkdtempSync(join(dir, 'live-'));
    writeFileSync(join(live, 'stack.json'), JSON.stringify({ ...ready, pid: process.pid }));
    expect(loadDevStackNetwork(live).chainId).toBe(31337);
  });

  it('throws DevStackNotRunningError for a file left by a stack that was killed', () => {
    const stale = mkdtempSync(join(dir, 'stale-'));
    const exited = spawnSync(process.execPath, ['-e', '']);
    expect(exited.status).toBe(0);
    writeFileSync(join(stale, 'stack.json'), JSON.stringify({ ...ready, pid: exited.pid }));
    expect(() => loadDevStackNetwork(stale)).toThrow(/no longer running/);
    expect(() => loadDevStackNetwork(stale)).toThrow(DevStackNotRunningError);
  });

  it('throws DevStackNotRunningError for a file that is not a ready document', () => {
    const other = mkdtempSync(join(dir, 'bad-'));
    writeFileSync(join(other, 'stack.json'), '{"event":"starting"}');
    expect(() => loadDevStackNetwork(other)).toThrow(DevStackNotRunningError);
  });
});

describe('devStackStateDir', () => {
  it('follows the dev stack rule', () => {
    expect(devStackStateDir({ ZKSSO_DEV_STATE_DIR: '/x' })).toBe('/x');
    expect(devStackStateDir({ XDG_STATE_HOME: '/s' })).toBe('/s/zksso/dev');
    expect(devStackStateDir({ HOME: '/h' })).toBe('/h/.local/state/zksso/dev');
  });
});

describe('receipt polling per network', () => {
  it('polls a local chain every 100 ms: the dev stack, and anvil or geth --dev chain ids', () => {
    expect(pollingIntervalOf(devStackNetwork(ready))).toBe(100);
    expect(isLocalNetwork({ chainId: 31337 })).toBe(true);
    expect(isLocalNetwork({ chainId: 1337 })).toBe(true);
    expect(pollingIntervalOf({ chainId: 1337 })).toBe(100);
  });

  it('polls a public chain every second, unless the network says otherwise', () => {
    expect(isLocalNetwork({ chainId: 8453 })).toBe(false);
    expect(pollingIntervalOf({ chainId: 8453 })).toBe(1000);
    expect(pollingIntervalOf({ chainId: 8453, local: true })).toBe(100);
    expect(pollingIntervalOf({ chainId: 31337, local: false })).toBe(1000);
    expect(pollingIntervalOf({ chainId: 1, pollingIntervalMs: 2500 })).toBe(2500);
    expect(pollingIntervalOf({ chainId: 1, pollingIntervalMs: 0 })).toBe(1000);
  });
});

describe('deploymentBlock: where event searches start', () => {
  const network = { ...devStackNetwork(ready), proverUrl: 'http://127.0.0.1:1' };

  it('accepts a block number and starts searches there; block 0 without one', () => {
    expect(parseZkSsoNetwork({ ...network, deploymentBlock: 21_000_000 }).deploymentBlock).toBe(21_000_000);
    expect(eventsFromBlock({ deploymentBlock: 21_000_000 })).toBe(21_000_000n);
    expect(eventsFromBlock(network)).toBe(0n);
  });

  it('refuses a deploymentBlock that is not a block number, naming the field', () => {
    for (const deploymentBlock of [-1, 1.5, '21000000']) {
      expect(() => parseZkSsoNetwork({ ...network, deploymentBlock }, 'net.json')).toThrow(
        /net\.json cannot be used: deploymentBlock must be a block number/,
      );
    }
  });
});
