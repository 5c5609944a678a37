import { ZkSsoError } from '@zksso/core';
import { describe, expect, it } from 'vitest';
import { CliUsageError, LoginExpiredError, NotLoggedInError } from './errors.ts';
import { ExitCode, exitCodeFor, isConnectionError } from './exit-codes.ts';
import { extractIdToken } from './id-token.ts';
import { errorJson, printError, printResult, redactSecrets, table, toJsonValue } from './output.ts';
import { signatureModeOf } from './signature-mode.ts';

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
    ]) {
      expect(exitCodeFor(new ZkSsoError(code, 'x'))).toBe(ExitCode.Refused);
    }
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
    expect(human.text()).toContain('remaining: 5');
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

  it('reads the zkLogin signature mode after the validator prefix', () => {
    const validator = '0x00000000000000000000000000000000000000aa';
    expect(signatureModeOf(`${validator}01ffff`, validator)).toBe('proof');
    expect(signatureModeOf(`${validator}02ffff`, validator)).toBe('key');
    expect(signatureModeOf(`0x${'bb'.repeat(20)}02`, validator)).toBe('unknown');
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
