import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliHome, openCliStore, writeSecretFile } from './state.ts';

const made: string[] = [];
/** A fresh temporary directory, removed after the test. */
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'zksso-cli-state-'));
  made.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;

describe('CLI home', () => {
  it('follows ZKSSO_CLI_HOME, then XDG_STATE_HOME, then ~/.local/state', () => {
    expect(cliHome({ ZKSSO_CLI_HOME: '/x' })).toBe('/x');
    expect(cliHome({ XDG_STATE_HOME: '/s', HOME: '/h' })).toBe('/s/zksso/cli');
    expect(cliHome({ HOME: '/h' })).toBe('/h/.local/state/zksso/cli');
  });

  it('writes secrets atomically: mode 0600 files, a 0700 directory, no temporary file left', () => {
    const dir = join(tempDir(), 'home');
    const file = join(dir, 'login.json');
    writeSecretFile(file, 'one');
    writeSecretFile(file, 'two');
    expect(readFileSync(file, 'utf8')).toBe('two');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir)).toEqual(['login.json']);
  });

  it('keeps one login and many sessions, each in its own 0600 file', () => {
    const home = tempDir();
    const store = openCliStore(home);
    expect(store.readLogin()).toBeUndefined();
    expect(store.listSessions()).toEqual([]);
    store.writeLogin({
      version: 1,
      issuerOption: 'dev',
      user: 'alice',
      savedAt: 1,
      session: { address: '0x1' },
    });
    expect(store.readLogin()?.user).toBe('alice');
    store.writeSession({ version: 1, record: { sessionHash: hash(2), n: 2 } });
    store.writeSession({
      version: 1,
      record: { sessionHash: hash(1).toUpperCase().replace('0X', '0x'), n: 1 },
    });
    expect(store.listSessions<{ n: number }>().map((s) => s.record.n)).toEqual([1, 2]);
    expect(store.readSession<{ n: number }>(hash(2))?.record.n).toBe(2);
    for (const name of readdirSync(join(home, 'sessions'))) {
      expect(statSync(join(home, 'sessions', name)).mode & 0o777).toBe(0o600);
    }
    expect(store.removeLogin()).toBe(true);
    expect(store.removeLogin()).toBe(false);
    expect(store.removeSessions()).toBe(2);
    expect(store.listSessions()).toEqual([]);
  });

  it('reports a corrupt or foreign state file as STATE_INVALID', () => {
    const home = tempDir();
    const store = openCliStore(home);
    writeFileSync(store.loginFile, '{not json');
    expect(() => store.readLogin()).toThrow(expect.objectContaining({ code: 'STATE_INVALID' }));
    writeFileSync(store.loginFile, '{"version":2}');
    expect(() => store.readLogin()).toThrow(expect.objectContaining({ code: 'STATE_INVALID' }));
    expect(() => store.readSession('../login')).toThrow(expect.objectContaining({ code: 'STATE_INVALID' }));
  });
});
