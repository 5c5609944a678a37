import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args.ts';
import { DevStackOptionError } from './errors.ts';
import { DEFAULT_PORTS, resolvePorts } from './ports.ts';

describe('parseCliArgs', () => {
  it('reads ports from flags, then from the environment', () => {
    const cli = parseCliArgs(['--anvil-port', '0', '--salt-port', '18960'], {
      ZKSSO_DEV_BUNDLER_PORT: '18961',
    });
    expect(cli.stack.ports).toEqual({ anvil: 0, salt: 18960, bundler: 18961 });
    expect(cli.stack.prover).toBe(true);
  });

  it('turns the prover off with --no-prover or ZKSSO_DEV_PROVER=0', () => {
    expect(parseCliArgs(['--no-prover'], {}).stack.prover).toBe(false);
    expect(parseCliArgs([], { ZKSSO_DEV_PROVER: '0' }).stack.prover).toBe(false);
  });

  it('starts the apps unless --no-apps or ZKSSO_DEV_APPS=0; their ports from --auth-port/--demo-port or the environment', () => {
    expect(parseCliArgs([], {}).stack.apps).toBe(true);
    expect(parseCliArgs(['--no-apps'], {}).stack.apps).toBe(false);
    expect(parseCliArgs([], { ZKSSO_DEV_APPS: '0' }).stack.apps).toBe(false);
    const cli = parseCliArgs(['--auth-port', '18970'], { ZKSSO_DEV_DEMO_PORT: '18971' });
    expect(cli.stack.ports).toEqual({ authServer: 18970, demo: 18971 });
    expect(() => parseCliArgs(['--demo-port', 'x'], {})).toThrow(/--demo-port/);
  });

  it('keeps the chain unless --fresh or ZKSSO_DEV_FRESH=1 asks to start over', () => {
    expect(parseCliArgs([], {}).stack.fresh).toBeUndefined();
    expect(parseCliArgs(['--fresh'], {}).stack.fresh).toBe(true);
    expect(parseCliArgs([], { ZKSSO_DEV_FRESH: '1' }).stack.fresh).toBe(true);
  });

  it('parses tiers, funded addresses, json and the ready file', () => {
    const cli = parseCliArgs(
      [
        '--tiers',
        '576,1024',
        '--fund',
        '0x90F79bf6EB2c4f870365E785982E1f101E93b906',
        '--json',
        '--ready-file',
        'r.json',
      ],
      {},
    );
    expect(cli.stack.tiers).toEqual([576, 1024]);
    expect(cli.stack.fund).toEqual(['0x90F79bf6EB2c4f870365E785982E1f101E93b906']);
    expect(cli.json).toBe(true);
    expect(cli.readyFile?.endsWith('/r.json')).toBe(true);
  });

  it('refuses bad ports, tiers, addresses and unknown flags', () => {
    expect(() => parseCliArgs(['--anvil-port', '70000'], {})).toThrow(DevStackOptionError);
    expect(() => parseCliArgs([], { ZKSSO_DEV_IDP_PORT: 'x' })).toThrow(/--idp-port/);
    expect(() => parseCliArgs(['--tiers', '0'], {})).toThrow(/--tiers/);
    expect(() => parseCliArgs(['--fund', '0x12'], {})).toThrow(/--fund/);
    expect(() => parseCliArgs(['--nope'], {})).toThrow(DevStackOptionError);
  });
});

describe('resolvePorts', () => {
  it('replaces 0 by distinct free ports and keeps the others', async () => {
    const ports = await resolvePorts({ ...DEFAULT_PORTS, anvil: 0, bundler: 0, idp: 18_962 }, [
      'anvil',
      'bundler',
      'idp',
    ]);
    expect(ports.anvil).toBeGreaterThan(0);
    expect(ports.bundler).toBeGreaterThan(0);
    expect(ports.anvil).not.toBe(ports.bundler);
    expect(ports.idp).toBe(18_962);
  });
});
