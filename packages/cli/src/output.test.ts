import { ZkSsoError } from '@zksso/core';
import { describe, expect, it } from 'vitest';
import { CliUsageError, LoginExpiredError, NotLoggedInError } from './errors.ts';
import { ExitCode, exitCodeFor, isConnectionError } from './exit-codes.ts';
import { extractIdToken } from './id-token.ts';
import {
  errorJson,
  humanDetails,
  printError,
  printResult,
  redactSecrets,
  table,
  toJsonValue,
} from './output.ts';

const sink = () => {
  let text = '';
  return { write: (t: string) => (text += t), text: () => text };
};

describe('exit codes', () => {
  it('maps the stable error codes to the documented exit codes', () => {
    expect(exitCodeFor(new CliUsageError('x'))).toBe(ExitCode.Usage);
    expect(exitCodeFor(new NotLoggedInError('/h'))).toBe(ExitCode.Auth);
    expect(exitCodeFor(new LoginExpiredError(1, 2))).toBe(ExitCode.Auth);
    for (const code of [
      'SESSION_LIMIT_EXCEEDED',
      'SESSION_NOT_ACTIVE',
      'PROOF_REFUSED',
      'CALLS_REVERTED',
      'SESSION_POLICY_VIOLATION',
      'CALL_WOULD_REVERT',
      'LOGIN_REFUSED',
    ]) {
      expect(exitCodeFor(new ZkSsoError(code, 'x'))).toBe(ExitCode.Refused);
    }
    // A reset chain means logging in again, as an expired login does.
    expect(exitCodeFor(new ZkSsoError('CHAIN_CHANGED', 'x'))).toBe(ExitCode.Auth);
    expect(exitCodeFor(new ZkSsoError('DEV_STACK_NOT_RUNNING', 'x'))).toBe(ExitCode.Unavailable);
    expect(exitCodeFor(new ZkSsoError('SERVICE_ERROR', 'x'))).toBe(ExitCode.Unavailable);
    expect(exitCodeFor(new ZkSsoError('SOMETHING_NEW', 'x'))).toBe(ExitCode.Unexpected);
    expect(exitCodeFor(new Error('boom'))).toBe(ExitCode.Unexpected);
  });

  it('treats refused connections, however wrapped, as unavailable', () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('c'), { code: 'ECONNREFUSED' }),
    });
    expect(isConnectionError(refused)).toBe(true);
    expect(isConnectionError(new Error('outer', { cause: refused }))).toBe(true);
    expect(isConnectionError(new Error('x'))).toBe(false);
    expect(exitCodeFor(refused)).toBe(ExitCode.Unavailable);
    expect(errorJson(refused).error.code).toBe('SERVICE_UNAVAILABLE');
  });
});

describe('output', () => {
  it('makes bigints JSON-safe and drops secret-looking members at any depth', () => {
    expect(toJsonValue({ a: 1n, b: [2n], c: undefined, d: new Date(0) })).toEqual({
      a: '1',
      b: ['2'],
      d: '1970-01-01T00:00:00.000Z',
    });
    expect(
      redactSecrets({
        address: '0x1',
        saltUrl: 'u',
        inner: { sessionPrivateKey: '0x2', salt: 1, jwt: 'x', proof: '0x' },
      }),
    ).toEqual({ address: '0x1', saltUrl: 'u', inner: {} });
  });

  it('prints one JSON object with --json, lines otherwise', () => {
    const out = sink();
    printResult(out, true, { value: 5n, ephemeralPrivateKey: '0xsecret' }, ['ignored']);
    expect(JSON.parse(out.text())).toEqual({ value: '5' });
    const human = sink();
    printResult(human, false, {}, ['a', 'b']);
    expect(human.text()).toBe('a\nb\n');
  });

  it('prints errors as {error:{code,message,details,exitCode}} or a readable line', () => {
    const error = new ZkSsoError('SESSION_LIMIT_EXCEEDED', 'over', {
      details: { remaining: 5n, resetsAt: 100 },
    });
    const err = sink();
    printError(err, true, error);
    expect(JSON.parse(err.text())).toEqual({
      error: {
        code: 'SESSION_LIMIT_EXCEEDED',
        message: 'over',
        details: { remaining: '5', resetsAt: 100 },
        exitCode: 4,
      },
    });
    const human = sink();
    printError(human, false, error);
    expect(human.text()).toContain('zksso: over [SESSION_LIMIT_EXCEEDED]');
    expect(human.text()).toContain('remaining: 0.000000000000000005 ETH');
    expect(human.text()).toContain('resetsAt: 1970-01-01T00:01:40.000Z');
  });

  it('shows amounts in ETH (or token units) to people and keeps raw units in JSON', () => {
    expect(
      humanDetails('SESSION_LIMIT_EXCEEDED', {
        policy: 'transfer',
        limit: '1500000000000000',
        requested: '1000000000000000',
        remaining: '500000000000000',
        callIndex: 0,
      }),
    ).toEqual([
      ['policy', 'transfer'],
      ['limit', '0.0015 ETH'],
      ['requested', '0.001 ETH'],
      ['remaining', '0.0005 ETH'],
      ['callIndex', '0'],
    ]);
    const constraint = { policy: 'constraint', remaining: '2500000' };
    expect(humanDetails('SESSION_LIMIT_EXCEEDED', constraint)).toContainEqual([
      'remaining',
      '2500000 (raw units)',
    ]);
    expect(
      humanDetails('SESSION_LIMIT_EXCEEDED', { ...constraint, unit: { symbol: 'USDC', decimals: 6 } }),
    ).toEqual([
      ['policy', 'constraint'],
      ['remaining', '2.5 USDC'],
    ]);
    expect(
      humanDetails('CALL_WOULD_REVERT', {
        kind: 'insufficient-balance',
        balance: '980000000000000000',
        value: '5000000000000000000',
        maxFee: '1000000000000000',
      }),
    ).toEqual([
      ['kind', 'insufficient-balance'],
      ['balance', '0.98 ETH'],
      ['value', '5 ETH'],
      ['maxFee', '0.001 ETH'],
    ]);

    const refused = new ZkSsoError('CALL_WOULD_REVERT', 'the account holds 0.98 ETH (nothing was sent)', {
      details: { kind: 'insufficient-balance', balance: 98n * 10n ** 16n },
    });
    const json = sink();
    printError(json, true, refused);
    expect(JSON.parse(json.text()).error.details.balance).toBe('980000000000000000');
    expect(JSON.parse(json.text()).error.exitCode).toBe(4);
    const human = sink();
    printError(human, false, refused);
    expect(human.text()).toContain('balance: 0.98 ETH');
    expect(human.text()).toContain('hint: nothing was sent and no gas was paid');
  });

  it('aligns tables', () => {
    expect(
      table([
        ['a', '1'],
        ['long', '2'],
      ]),
    ).toEqual(['a     1', 'long  2']);
  });
});

describe('helpers', () => {
  it('finds the ID token in a pasted URL or takes the text itself', () => {
    expect(extractIdToken('http://127.0.0.1/callback#state=s&id_token=a.b.c')).toBe('a.b.c');
    expect(extractIdToken('  x.y.z \n')).toBe('x.y.z');
  });
});

describe('bundler refusals viem reports', () => {
  it('are exit code 4 with USER_OPERATION_REFUSED, and a hint for time windows', () => {
    const inner = Object.assign(new Error('User Operation expired.'), { name: 'UserOperationExpiredError' });
    const outer = Object.assign(new Error('User Operation expired.', { cause: inner }), {
      name: 'UserOperationExecutionError',
      shortMessage: 'User Operation expired.',
    });
    expect(exitCodeFor(outer)).toBe(ExitCode.Refused);
    const body = errorJson(outer).error;
    expect(body.code).toBe('USER_OPERATION_REFUSED');
    expect(body.details.hint).toMatch(/time window/);
    const cut = Object.assign(new Error('x', { cause: new TypeError('fetch failed') }), {
      name: 'UserOperationExecutionError',
    });
    expect(exitCodeFor(cut)).toBe(ExitCode.Unavailable);
  });
});
