import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ZkSsoError } from '@zksso/core';
import { createSoftwareAuthenticator } from '@zksso/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from './context.ts';
import { runCli } from './main.ts';
import type { CliSdk, SessionRecord, ZkLoginSession, ZkSsoNetwork } from './sdk.ts';

const ADDRESS = '0xAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAa';
const TO = '0x1111111111111111111111111111111111111111';
const SECRET_KEY = `0x${'ab'.repeat(32)}` as const;
const NOW = 1_800_000_000;

const network: ZkSsoNetwork = {
  chainId: 31337,
  rpcUrl: 'http://127.0.0.1:1',
  bundlerUrl: 'http://127.0.0.1:1',
  saltUrl: 'http://127.0.0.1:1',
  proverUrl: 'http://127.0.0.1:1',
  devIssuer: 'http://127.0.0.1:2',
  clientIds: ['zksso-dev'],
  addresses: {
    entryPoint: '0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108',
    factory: '0x0000000000000000000000000000000000000001',
    zkLoginValidator: '0x0000000000000000000000000000000000000002',
    sessionKeyValidator: '0x0000000000000000000000000000000000000003',
    webAuthnValidator: '0x0000000000000000000000000000000000000004',
    jwkRegistry: '0x0000000000000000000000000000000000000005',
  },
};

/** A fake SDK that records what the commands asked for. */
function fakeSdk(overrides: Partial<CliSdk> = {}) {
  const calls: { fn: string; args: Record<string, unknown> }[] = [];
  const record = (fn: string, args: Record<string, unknown>) => calls.push({ fn, args });
  const session = (expiresIn: number): ZkLoginSession => ({
    version: 1,
    chainId: 31337,
    address: ADDRESS,
    issuer: network.devIssuer as string,
    clientId: 'zksso-dev',
    ephemeralPrivateKey: SECRET_KEY,
    expiry: String(NOW + expiresIn),
    tier: 576,
    issHash: '1',
    idc: '2',
    modulusHash: '3',
    proof: `0x${'cd'.repeat(256)}`,
  });
  const sdk: CliSdk = {
    loadDevStackNetwork: (stateDir) => {
      record('loadDevStackNetwork', { stateDir });
      return network;
    },
    createZkLoginAccount: async (p) => {
      record('createZkLoginAccount', p as unknown as Record<string, unknown>);
      for (const step of ['token', 'salt', 'proof', 'address'] as const) p.onProgress?.(step);
      return { account: { fake: true }, session: session(p.expiresInSeconds ?? 86_400) };
    },
    restoreZkLoginAccount: async (p) => {
      record('restoreZkLoginAccount', p);
      return { restored: p.session.address };
    },
    sendCalls: async (p) => {
      record('sendCalls', p as unknown as Record<string, unknown>);
      return {
        userOpHash: `0x${'01'.repeat(32)}`,
        transactionHash: `0x${'02'.repeat(32)}`,
        success: true,
        signatureMode: 'key' as const,
      };
    },
    createSession: async (p) => {
      record('createSession', p as unknown as Record<string, unknown>);
      const n = calls.filter((c) => c.fn === 'createSession').length;
      const rec: SessionRecord = {
        version: 1,
        chainId: 31337,
        account: ADDRESS,
        sessionHash: `0x${String(n).repeat(64)}`,
        sessionPrivateKey: p.sessionPrivateKey ?? SECRET_KEY,
        spec: { expiresAt: String(p.policy.expiresAt) } as unknown as SessionRecord['spec'],
        createdAt: NOW + n,
      };
      return { session: rec, transactionHash: `0x${'03'.repeat(32)}` };
    },
    sendSessionCalls: async (p) => {
      record('sendSessionCalls', p as unknown as Record<string, unknown>);
      return { userOpHash: `0x${'04'.repeat(32)}`, transactionHash: `0x${'05'.repeat(32)}`, success: true };
    },
    revokeSession: async (p) => {
      record('revokeSession', p as unknown as Record<string, unknown>);
      return { transactionHash: `0x${'06'.repeat(32)}` };
    },
    getSessionState: async (p) => {
      record('getSessionState', p as unknown as Record<string, unknown>);
      return {
        status: 'active',
        expiresAt: NOW + 3600,
        limits: [
          {
            policy: 'transfer',
            target: TO,
            kind: 'allowance',
            limit: 2000n,
            used: 500n,
            remaining: 1500n,
            period: 60,
            resetsAt: NOW + 30,
          },
          { policy: 'fee', kind: 'lifetime', limit: 10n ** 17n, used: 1n, remaining: 10n ** 17n - 1n },
        ],
      };
    },
    createSoftwareAuthenticator: createSoftwareAuthenticator,
    createPasskeyAccount: async (p) => {
      record('createPasskeyAccount', p as unknown as Record<string, unknown>);
      const created = await p.authenticator?.create({
        rpId: p.rpId,
        name: p.name,
        challenge: `0x${'00'.repeat(32)}`,
        userId: '0x01',
        userVerification: 'preferred',
      });
      if (!created) throw new Error('no authenticator');
      return { account: { address: ADDRESS }, passkey: { ...created, rpId: p.rpId } };
    },
    loginWithPasskey: async () => {
      throw new Error('not used here');
    },
    restorePasskeyAccount: async (p) => {
      record('restorePasskeyAccount', p as unknown as Record<string, unknown>);
      return { restored: p.address };
    },
    ...overrides,
  };
  return { sdk, calls };
}

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'zksso-cli-test-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

async function run(argv: string[], sdk: CliSdk, extra: Partial<CliIo> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    env: { ZKSSO_CLI_HOME: home, ZKSSO_DEV_STATE_DIR: '/tmp/state' },
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    stdin: Readable.from([]),
    sdk: async () => sdk,
    now: () => NOW * 1000,
    ...extra,
  });
  return {
    code,
    stdout,
    stderr,
    json: () => JSON.parse(stdout),
    error: () => JSON.parse(stderr.trim().split('\n').at(-1) as string),
  };
}

async function loggedIn(sdk: CliSdk, expiresIn = '1h') {
  const login = await run(
    ['login', '--issuer', 'dev', '--user', 'alice', '--expires-in', expiresIn, '--json'],
    sdk,
  );
  expect(login.code).toBe(0);
  return login;
}

describe('zksso login / address / logout', () => {
  it('logs in with the dev source, saves the key 0600 and never prints it', async () => {
    const { sdk, calls } = fakeSdk();
    const login = await loggedIn(sdk, '2h');
    expect(login.json()).toMatchObject({
      address: ADDRESS,
      chainId: 31337,
      user: 'alice',
      expiry: NOW + 7200,
    });
    const create = calls.find((c) => c.fn === 'createZkLoginAccount')?.args;
    expect(create?.source).toEqual({ kind: 'dev', user: 'alice', issuerUrl: network.devIssuer });
    expect(create?.expiresInSeconds).toBe(7200);
    expect(calls[0]).toEqual({ fn: 'loadDevStackNetwork', args: { stateDir: '/tmp/state' } });
    expect(login.stdout + login.stderr).not.toContain('abab');
    expect(login.stderr).toContain('"step":"proof"');
    const file = join(home, 'login.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).session.ephemeralPrivateKey).toBe(SECRET_KEY);

    const address = await run(['address'], sdk);
    expect(address.code).toBe(0);
    expect(address.stdout.split('\n')[0]).toBe(ADDRESS);

    const logout = await run(['logout', '--json'], sdk);
    expect(logout.json()).toEqual({ loggedOut: true, sessionsRemoved: 0 });
    const after = await run(['address', '--json'], sdk);
    expect(after.code).toBe(3);
    expect(after.error().error.code).toBe('NOT_LOGGED_IN');
  });

  it('refuses an expired login with exit code 3 before calling the SDK', async () => {
    const { sdk } = fakeSdk();
    await loggedIn(sdk, '90s');
    const { sdk: later, calls } = fakeSdk();
    const result = await run(['send', '--to', TO, '--value', '0.01', '--json'], later, {
      now: () => (NOW + 91) * 1000,
    });
    expect(result.code).toBe(3);
    expect(result.error().error).toMatchObject({
      code: 'EPHEMERAL_KEY_EXPIRED',
      details: { expiry: NOW + 90 },
    });
    expect(calls.filter((c) => c.fn === 'sendCalls')).toEqual([]);
  });

  it('gives usage errors exit code 2 and help exit code 0', async () => {
    const { sdk } = fakeSdk();
    expect((await run(['login', '--user', 'alice'], sdk)).code).toBe(2);
    expect((await run(['login', '--issuer', 'dev'], sdk)).code).toBe(2);
    expect((await run(['send', '--to', TO, '--bogus'], sdk)).code).toBe(2);
    expect((await run(['frobnicate'], sdk)).code).toBe(2);
    expect((await run(['session', 'revoke'], sdk)).code).toBe(2);
    for (const argv of [
      ['--help'],
      ['login', '--help'],
      ['session', 'create', '--help'],
      ['session', '--help'],
    ]) {
      const help = await run(argv, sdk);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/Usage: zksso/);
    }
  });

  it('maps a stack that is not running to exit code 5', async () => {
    const { sdk } = fakeSdk({
      loadDevStackNetwork: () => {
        throw new ZkSsoError('DEV_STACK_NOT_RUNNING', 'no running dev stack', {
          details: { path: '/x/stack.json' },
        });
      },
    });
    const result = await run(['login', '--issuer', 'dev', '--user', 'alice', '--json'], sdk);
    expect(result.code).toBe(5);
    expect(result.error().error.code).toBe('DEV_STACK_NOT_RUNNING');
  });

  it('reads a --network file instead of the dev stack, and checks it', async () => {
    const { sdk, calls } = fakeSdk();
    const file = join(home, 'net.json');
    writeFileSync(file, JSON.stringify(network));
    expect((await run(['login', '--issuer', 'dev', '--user', 'bob', '--network', file], sdk)).code).toBe(0);
    expect(calls.some((c) => c.fn === 'loadDevStackNetwork')).toBe(false);
    writeFileSync(file, JSON.stringify({ ...network, rpcUrl: 5 }));
    const bad = await run(['login', '--issuer', 'dev', '--user', 'bob', '--network', file, '--json'], sdk);
    expect(bad.code).toBe(2);
    expect(bad.error().error.code).toBe('NETWORK_INVALID');

    // Receipt polling may be tuned per network; a bad value is refused, a good one reaches the SDK.
    writeFileSync(file, JSON.stringify({ ...network, pollingIntervalMs: -1 }));
    const badPolling = await run(
      ['login', '--issuer', 'dev', '--user', 'bob', '--network', file, '--json'],
      sdk,
    );
    expect(badPolling.error().error.details.reason).toMatch(/pollingIntervalMs/);
    writeFileSync(file, JSON.stringify({ ...network, local: 'yes' }));
    expect((await run(['login', '--issuer', 'dev', '--user', 'bob', '--network', file], sdk)).code).toBe(2);
    writeFileSync(file, JSON.stringify({ ...network, local: false, pollingIntervalMs: 2500 }));
    expect((await run(['login', '--issuer', 'dev', '--user', 'bob', '--network', file], sdk)).code).toBe(0);
    const passed = calls.filter((c) => c.fn === 'createZkLoginAccount').at(-1)?.args.network;
    expect(passed).toMatchObject({ local: false, pollingIntervalMs: 2500 });
  });
});

describe('zksso send', () => {
  it('sends the parsed call from the restored account', async () => {
    const { sdk, calls } = fakeSdk();
    await loggedIn(sdk);
    const result = await run(['send', '--to', TO, '--value', '0.01', '--json'], sdk);
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({
      from: ADDRESS,
      to: TO,
      value: '10000000000000000',
      transactionHash: `0x${'02'.repeat(32)}`,
      // The mode the SDK reports it signed with, as it said it.
      signatureMode: 'key',
    });
    const send = calls.find((c) => c.fn === 'sendCalls')?.args;
    expect(send?.calls).toEqual([{ to: TO, value: 10n ** 16n }]);
    expect(send?.account).toEqual({ restored: ADDRESS });
  });

  it('reports a reverted call with exit code 4', async () => {
    const { sdk } = fakeSdk({
      sendCalls: async () => ({
        userOpHash: '0x01',
        transactionHash: '0x02',
        success: false,
        signatureMode: 'key' as const,
      }),
    });
    await loggedIn(sdk);
    const result = await run(['send', '--to', TO, '--json'], sdk);
    expect(result.code).toBe(4);
    expect(result.error().error.code).toBe('CALL_REVERTED');
  });
});

describe('zksso session', () => {
  it('creates from flags, saves the key, sends with the newest session, lists and revokes', async () => {
    const { sdk, calls } = fakeSdk();
    await loggedIn(sdk);
    const created = await run(
      [
        'session',
        'create',
        '--to',
        TO,
        '--max-per-tx',
        '1000wei',
        '--allowance',
        '2000wei/60s',
        '--expires-in',
        '1h',
        '--json',
      ],
      sdk,
    );
    expect(created.code).toBe(0);
    const { sessionHash, signer, spec } = created.json();
    expect(spec.transferPolicies[0]).toMatchObject({
      maxValuePerUse: '1000',
      valueLimit: { limitType: 2, limit: '2000', period: '60' },
    });
    const policy = calls.find((c) => c.fn === 'createSession')?.args.policy as { signer: string };
    expect(policy.signer).toBe(signer);
    expect(created.stdout).not.toContain('sessionPrivateKey');
    const saved = JSON.parse(readFileSync(join(home, 'sessions', `${sessionHash}.json`), 'utf8'));
    expect(saved.record.sessionPrivateKey).toMatch(/^0x[0-9a-f]{64}$/);

    const second = await run(['session', 'create', '--to', TO, '--lifetime', '1', '--json'], sdk);
    const newest = second.json().sessionHash;
    const sent = await run(['session', 'send', '--to', TO, '--value', '500wei', '--json'], sdk);
    expect(sent.code).toBe(0);
    expect(sent.json().sessionHash).toBe(newest);
    const chosen = await run(
      ['session', 'send', '--to', TO, '--value', '500wei', '--session', sessionHash.slice(0, 8), '--json'],
      sdk,
    );
    expect(chosen.json().sessionHash).toBe(sessionHash);

    const list = await run(['session', 'list', '--json'], sdk);
    expect(list.code).toBe(0);
    const listed = list.json().sessions;
    expect(listed.map((s: { sessionHash: string }) => s.sessionHash)).toEqual([sessionHash, newest]);
    expect(listed[0].limits[0]).toMatchObject({ used: '500', remaining: '1500', resetsAt: NOW + 30 });
    const human = await run(['session', 'list'], sdk);
    expect(human.stdout).toContain('remaining 0.0000000000000015 ETH');

    const revoked = await run(['session', 'revoke', sessionHash, '--json'], sdk);
    expect(revoked.code).toBe(0);
    expect(calls.find((c) => c.fn === 'revokeSession')?.args.sessionHash).toBe(sessionHash);
    const unknown = await run(['session', 'revoke', '0xdeadbeef', '--json'], sdk);
    expect(unknown.code).toBe(2);
    expect(unknown.error().error.code).toBe('SESSION_UNKNOWN');
  });

  it('refuses a bad policy locally (exit 2) and passes limit refusals on with exit 4 and their details', async () => {
    const { sdk, calls } = fakeSdk({
      sendSessionCalls: async () => {
        throw new ZkSsoError('SESSION_LIMIT_EXCEEDED', 'over the allowance', {
          details: {
            policy: 'transfer',
            limitKind: 'allowance',
            limit: 2000n,
            requested: 1500n,
            remaining: 500n,
            resetsAt: NOW + 30,
          },
        });
      },
    });
    await loggedIn(sdk);
    const tooSoon = await run(
      ['session', 'create', '--to', TO, '--lifetime', '1', '--expires-in', '30s', '--json'],
      sdk,
    );
    expect(tooSoon.code).toBe(2);
    expect(tooSoon.error().error.code).toBe('SESSION_EXPIRES_TOO_SOON');
    expect(calls.some((c) => c.fn === 'createSession')).toBe(false);

    await run(['session', 'create', '--to', TO, '--allowance', '2000wei/60s', '--json'], sdk);
    const over = await run(['session', 'send', '--to', TO, '--value', '1500wei', '--json'], sdk);
    expect(over.code).toBe(4);
    expect(over.error().error).toMatchObject({
      code: 'SESSION_LIMIT_EXCEEDED',
      details: { remaining: '500', resetsAt: NOW + 30, limit: '2000' },
    });
  });

  it('creates from a policy file', async () => {
    const { sdk, calls } = fakeSdk();
    await loggedIn(sdk);
    const file = join(home, 'policy.json');
    writeFileSync(
      file,
      JSON.stringify({
        expiresIn: '2h',
        transfers: [{ target: TO, valueLimit: { limit: '0.1 eth', period: '1 day' } }],
      }),
    );
    const created = await run(['session', 'create', '--policy', file, '--json'], sdk);
    expect(created.code).toBe(0);
    expect(created.json().expiresAt).toBe(NOW + 7200);
    const policy = calls.find((c) => c.fn === 'createSession')?.args.policy as { transfers: unknown[] };
    expect(policy.transfers).toEqual([{ target: TO, valueLimit: { limit: 10n ** 17n, period: '1 day' } }]);
    const mixed = await run(['session', 'create', '--policy', file, '--to', TO], sdk);
    expect(mixed.code).toBe(2);
  });
});

describe('zksso fund', () => {
  it('is refused (usage, exit 2) on a network that is not a dev stack, before touching any chain', async () => {
    const { sdk } = fakeSdk();
    await loggedIn(sdk);
    const { devIssuer: _dev, ...notDev } = network;
    const { sdk: real } = fakeSdk({ loadDevStackNetwork: () => notDev });
    const fund = await run(['fund', '--value', '1', '--json'], real);
    expect(fund.code).toBe(2);
    expect(fund.error().error.code).toBe('USAGE');
    expect(fund.error().error.message).toMatch(/dev stack only/);
  });

  it('needs a login first (exit 3)', async () => {
    const { sdk } = fakeSdk();
    const fund = await run(['fund', '--json'], sdk);
    expect(fund.code).toBe(3);
    expect(fund.error().error.code).toBe('NOT_LOGGED_IN');
  });
});

describe('what people are told', () => {
  it('suggests the nearest command for a typo (exit 2)', async () => {
    const { sdk } = fakeSdk();
    const typo = await run(['sned', '--to', TO, '--json'], sdk);
    expect(typo.code).toBe(2);
    expect(typo.error().error).toMatchObject({
      code: 'USAGE',
      details: { command: 'sned', suggestion: 'send' },
    });
    expect(typo.error().error.message).toContain('did you mean "zksso send"?');
    const human = await run(['session', 'lsit'], sdk);
    expect(human.stderr).toContain('unknown command "session lsit": did you mean "zksso session list"?');
    const far = await run(['frobnicate', '--json'], sdk);
    expect(far.error().error.details).toEqual({ command: 'frobnicate' });
  });

  it('maps a refused login to LOGIN_REFUSED (exit 4), not to an outage', async () => {
    const { sdk } = fakeSdk({
      createZkLoginAccount: async () => {
        throw new ZkSsoError(
          'LOGIN_REFUSED',
          'the login was refused by the OpenID provider: no such client',
          {
            details: { by: 'idp', status: 400, code: 'invalid_client' },
          },
        );
      },
    });
    const json = await run(['login', '--issuer', 'dev', '--user', 'mallory', '--json'], sdk);
    expect(json.code).toBe(4);
    expect(json.error().error).toMatchObject({ code: 'LOGIN_REFUSED', details: { by: 'idp', status: 400 } });
    const human = await run(['login', '--issuer', 'dev', '--user', 'mallory'], sdk);
    expect(human.code).toBe(4);
    expect(human.stderr).toContain('hint: the provider answered and said no');
    expect(() => readFileSync(join(home, 'login.json'))).toThrow();
  });

  it('passes a refusal before sending on with exit 4 and its reason', async () => {
    const { sdk } = fakeSdk({
      sendCalls: async () => {
        throw new ZkSsoError(
          'CALL_WOULD_REVERT',
          'the account holds 0.98 ETH, the calls send 5 ETH (nothing was sent)',
          {
            details: {
              kind: 'insufficient-balance',
              callIndex: 0,
              balance: 98n * 10n ** 16n,
              value: 5n * 10n ** 18n,
              maxFee: 10n ** 15n,
            },
          },
        );
      },
    });
    await loggedIn(sdk);
    const json = await run(['send', '--to', TO, '--value', '5', '--json'], sdk);
    expect(json.code).toBe(4);
    expect(json.error().error.details).toMatchObject({
      balance: '980000000000000000',
      value: '5000000000000000000',
    });
    const human = await run(['send', '--to', TO, '--value', '5'], sdk);
    expect(human.stderr).toContain('the account holds 0.98 ETH, the calls send 5 ETH');
    expect(human.stderr).toContain('balance: 0.98 ETH');
  });

  it('tells a login made on a chain since reset (exit 3) and lists its sessions as chain-reset', async () => {
    const chainChanged = () =>
      new ZkSsoError('CHAIN_CHANGED', 'the chain is not the one this login was made on', {
        details: { where: 'login', saved: `0x${'aa'.repeat(32)}`, current: `0x${'bb'.repeat(32)}` },
      });
    const { sdk } = fakeSdk();
    await loggedIn(sdk);
    await run(['session', 'create', '--to', TO, '--lifetime', '1', '--json'], sdk);
    const { sdk: reset } = fakeSdk({
      restoreZkLoginAccount: async () => {
        throw chainChanged();
      },
      getSessionState: async () => {
        throw chainChanged();
      },
    });
    const send = await run(['send', '--to', TO, '--value', '0.01'], reset);
    expect(send.code).toBe(3);
    expect(send.stderr).toContain('[CHAIN_CHANGED]');
    expect(send.stderr).toContain('run `zksso login` again');
    const list = await run(['session', 'list', '--json'], reset);
    expect(list.code).toBe(0);
    expect(list.json().sessions[0]).toMatchObject({ status: 'chain-reset', limits: [] });
    const human = await run(['session', 'list'], reset);
    expect(human.stdout).toContain('chain-reset');
    expect(human.stdout).toContain('the chain was reset since this session was made');
  });

  it('refuses a revoked or expired saved session with exit 4 before sending, with or without --session', async () => {
    const { sdk, calls } = fakeSdk();
    await loggedIn(sdk);
    const none = await run(['session', 'send', '--to', TO, '--value', '1wei', '--json'], sdk);
    expect(none.code).toBe(2);
    expect(none.error().error.code).toBe('SESSION_UNKNOWN');

    const created = await run(['session', 'create', '--to', TO, '--lifetime', '1', '--json'], sdk);
    const { sessionHash } = created.json();
    expect((await run(['session', 'revoke', sessionHash, '--json'], sdk)).code).toBe(0);
    for (const extra of [[], ['--session', sessionHash.slice(0, 10)]]) {
      const refused = await run(['session', 'send', '--to', TO, '--value', '1wei', ...extra, '--json'], sdk);
      expect(refused.code).toBe(4);
      expect(refused.error().error).toMatchObject({
        code: 'SESSION_NOT_ACTIVE',
        details: { status: 'revoked', sessionHash, since: NOW },
      });
    }
    expect(calls.filter((c) => c.fn === 'sendSessionCalls')).toEqual([]);

    const later = await run(
      ['session', 'send', '--to', TO, '--value', '1wei', '--session', sessionHash, '--json'],
      sdk,
      {
        now: () => (NOW + 2 * 86_400) * 1000,
      },
    );
    expect(later.error().error.details.status).toBe('revoked');
  });

  it('says a session must last more than 60 s, in the option people set', async () => {
    const { sdk, calls } = fakeSdk();
    await loggedIn(sdk);
    const sixty = await run(
      ['session', 'create', '--to', TO, '--lifetime', '1', '--expires-in', '60s', '--json'],
      sdk,
    );
    expect(sixty.code).toBe(2);
    expect(sixty.error().error.code).toBe('SESSION_EXPIRES_TOO_SOON');
    expect(sixty.error().error.message).toContain('more than 60 s');
    expect(sixty.error().error.message).toContain('--expires-in 61s or more');
    expect(calls.some((c) => c.fn === 'createSession')).toBe(false);
    const sixtyOne = await run(
      ['session', 'create', '--to', TO, '--lifetime', '1', '--expires-in', '61s', '--json'],
      sdk,
    );
    expect(sixtyOne.code).toBe(0);
  });
});

describe('zksso passkey (dev stack only)', () => {
  it('creates a software passkey: device file 0600 with the key, the login is the passkey account, labelled dev only', async () => {
    const { sdk, calls } = fakeSdk();
    const created = await run(['passkey', 'create', '--name', 'alice', '--json'], sdk);
    expect(created.code).toBe(0);
    expect(created.json()).toMatchObject({ address: ADDRESS, rpId: 'localhost', devOnly: true });
    expect(created.stderr).toContain('DEV STACK ONLY');
    const device = join(home, 'passkey-device.json');
    expect(statSync(device).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(device, 'utf8'));
    expect(saved.credentials[0].privateKey).toMatch(/^0x[0-9a-f]{64}$/);
    expect(created.stdout).not.toContain(saved.credentials[0].privateKey.slice(2));
    const address = await run(['address', '--json'], sdk);
    expect(address.json()).toMatchObject({ address: ADDRESS, passkey: created.json().credentialId });
    // send rebuilds the passkey account from the saved public data and the device file.
    const send = await run(['send', '--to', TO, '--value', '0.01', '--json'], sdk);
    expect(send.code).toBe(0);
    const restore = calls.find((c) => c.fn === 'restorePasskeyAccount')?.args;
    expect(restore?.address).toBe(ADDRESS);
    expect(restore?.passkey).toMatchObject({ credentialId: created.json().credentialId });
  });

  it('is refused on a network that is not a dev stack (exit 2), and `zksso passkey` lists its commands', async () => {
    const real = { ...network, devIssuer: undefined, local: false };
    const { sdk, calls } = fakeSdk({ loadDevStackNetwork: () => real });
    const refused = await run(['passkey', 'create', '--json'], sdk);
    expect(refused.code).toBe(2);
    expect(refused.error().error.message).toContain('dev stack only');
    expect(calls.some((c) => c.fn === 'createPasskeyAccount')).toBe(false);
    const help = await run(['passkey', '--help'], sdk);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('passkey create');
    expect(help.stdout).toContain('DEV STACK ONLY');
  });
});
