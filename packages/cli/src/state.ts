import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { StateInvalidError } from './errors.ts';

/**
 * The CLI's state directory: `$ZKSSO_CLI_HOME`, else `$XDG_STATE_HOME/zksso/cli`, else
 * `~/.local/state/zksso/cli`. It holds SECRETS (the login's ephemeral key, session keys).
 *
 * @example
 * ```ts
 * cliHome({ HOME: '/home/me' }); // '/home/me/.local/state/zksso/cli'
 * ```
 */
export function cliHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ZKSSO_CLI_HOME) return env.ZKSSO_CLI_HOME;
  return join(env.XDG_STATE_HOME ?? join(env.HOME ?? homedir(), '.local', 'state'), 'zksso', 'cli');
}

/**
 * Writes a file atomically with mode 0600: a temporary file in the same directory (created 0600, so the
 * secret is never readable by others, not even briefly), then a rename over the target. Creates the
 * directory with mode 0700.
 *
 * @example
 * ```ts
 * writeSecretFile('/home/me/.local/state/zksso/cli/login.json', JSON.stringify(login));
 * ```
 */
export function writeSecretFile(file: string, contents: string): void {
  const dir = join(file, '..');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temporary = join(dir, `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, contents, { mode: 0o600, flag: 'wx', flush: true });
    // The mode given at creation is reduced by the umask only, never widened; make it exact anyway.
    chmodSync(temporary, 0o600);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Reads a JSON state file; `undefined` when it does not exist.
 *
 * @throws StateInvalidError when it exists but is not JSON.
 * @example
 * ```ts
 * const login = readJsonFile<SavedLogin>('/home/me/.local/state/zksso/cli/login.json');
 * ```
 */
export function readJsonFile<T>(file: string): T | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new StateInvalidError(file, 'not JSON');
  }
}

/**
 * A saved login: the SDK's `ZkLoginSession` (with the ephemeral key: SECRET) and what was asked for.
 *
 * @example
 * ```ts
 * const saved: SavedLogin = { version: 1, issuerOption: 'dev', user: 'alice', savedAt: 1_800_000_000, session };
 * ```
 */
export interface SavedLogin<Session = Record<string, unknown>> {
  version: 1;
  /** `--issuer` as given (`dev` or a URL). */
  issuerOption: string;
  /** `--user` for the dev issuer. */
  user?: string;
  /** Unix seconds. */
  savedAt: number;
  session: Session;
  /**
   * A passkey login (`zksso passkey create` / `login`, dev stack only): the credential's public data; its
   * private key is in `passkey-device.json`. `session` then holds only `address`, `chainId` and `issuer`.
   */
  passkey?: SavedPasskey;
}

/** The public data of a passkey login (P-256 coordinates as decimal strings). */
export interface SavedPasskey {
  credentialId: `0x${string}`;
  publicKey: { x: string; y: string };
  rpId: string;
  origin: string;
  name?: string;
}

/**
 * A saved session: the SDK's `SessionRecord` (with the session key: SECRET) and local bookkeeping.
 *
 * @example
 * ```ts
 * const saved: SavedSession = { version: 1, record, revokedAt: undefined };
 * ```
 */
export interface SavedSession<Record_ = Record<string, unknown>> {
  version: 1;
  record: Record_;
  /** Unix seconds at which `zksso session revoke` revoked it on chain. */
  revokedAt?: number;
}

const HASH = /^0x[0-9a-f]{64}$/;

/**
 * The files of a CLI home: `login.json` and `sessions/<sessionHash>.json`, all mode 0600.
 *
 * @example
 * ```ts
 * const store = openCliStore(cliHome());
 * const login = store.readLogin();
 * ```
 */
export interface CliStore {
  readonly home: string;
  readonly loginFile: string;
  readLogin<S>(): SavedLogin<S> | undefined;
  writeLogin<S>(login: SavedLogin<S>): void;
  /** Removes the login; returns whether there was one. */
  removeLogin(): boolean;
  readSession<R>(hash: string): SavedSession<R> | undefined;
  writeSession<R extends { sessionHash: string }>(session: SavedSession<R>): void;
  listSessions<R>(): SavedSession<R>[];
  /** Removes every saved session; returns how many there were. */
  removeSessions(): number;
}

/**
 * Opens (without creating anything yet) the state of a CLI home.
 *
 * @example
 * ```ts
 * const store = openCliStore('/tmp/zksso-cli');
 * store.writeLogin({ version: 1, issuerOption: 'dev', savedAt: 0, session: {} });
 * ```
 */
export function openCliStore(home: string): CliStore {
  const loginFile = join(home, 'login.json');
  const sessionsDir = join(home, 'sessions');
  const sessionFile = (hash: string) => {
    const lower = hash.toLowerCase();
    if (!HASH.test(lower)) throw new StateInvalidError(hash, 'not a session hash (32 bytes hex)');
    return join(sessionsDir, `${lower}.json`);
  };
  const checkVersion = <T extends { version?: unknown }>(
    file: string,
    value: T | undefined,
  ): T | undefined => {
    if (value !== undefined && (typeof value !== 'object' || value === null || value.version !== 1)) {
      throw new StateInvalidError(file, 'unknown version');
    }
    return value;
  };
  return {
    home,
    loginFile,
    readLogin: <S>() => checkVersion(loginFile, readJsonFile<SavedLogin<S>>(loginFile)),
    writeLogin: (login) => writeSecretFile(loginFile, `${JSON.stringify(login, null, 2)}\n`),
    removeLogin: () => {
      const existed = readJsonFile(loginFile) !== undefined;
      rmSync(loginFile, { force: true });
      return existed;
    },
    readSession: <R>(hash: string) => {
      const file = sessionFile(hash);
      return checkVersion(file, readJsonFile<SavedSession<R>>(file));
    },
    writeSession: (session) =>
      writeSecretFile(sessionFile(session.record.sessionHash), `${JSON.stringify(session, null, 2)}\n`),
    listSessions: <R>() => {
      let names: string[];
      try {
        names = readdirSync(sessionsDir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      return names
        .filter((name) => HASH.test(name.replace(/\.json$/, '')) && name.endsWith('.json'))
        .sort()
        .map((name) => {
          const file = join(sessionsDir, name);
          return checkVersion(file, readJsonFile<SavedSession<R>>(file)) as SavedSession<R>;
        })
        .filter((s) => s !== undefined);
    },
    removeSessions: () => {
      const count = (() => {
        try {
          return readdirSync(sessionsDir).filter((n) => n.endsWith('.json')).length;
        } catch {
          return 0;
        }
      })();
      rmSync(sessionsDir, { recursive: true, force: true });
      return count;
    },
  };
}
