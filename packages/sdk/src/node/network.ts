import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { DevStackNotRunningError } from '../errors.ts';
import { devStackNetwork, InvalidNetworkError, parseZkSsoNetwork, type ZkSsoNetwork } from '../network.ts';

/**
 * The dev stack's default state directory, the same rule as `npm run dev`: `$ZKSSO_DEV_STATE_DIR`, else
 * `$XDG_STATE_HOME/zksso/dev`, else `~/.local/state/zksso/dev`.
 *
 * @example
 * ```ts
 * devStackStateDir(); // '/home/me/.local/state/zksso/dev'
 * ```
 */
export function devStackStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ZKSSO_DEV_STATE_DIR) return env.ZKSSO_DEV_STATE_DIR;
  return join(env.XDG_STATE_HOME ?? join(env.HOME ?? homedir(), '.local', 'state'), 'zksso', 'dev');
}

/**
 * Reads a running dev stack's `<stateDir>/stack.json` (written by `npm run dev` when ready, removed at stop).
 *
 * @throws DevStackNotRunningError when the file is missing, is not a ready document, or was left by a stack
 *   that no longer runs (its `pid` is gone).
 * @example
 * ```ts
 * const network = loadDevStackNetwork(); // the default state directory
 * const other = loadDevStackNetwork('/tmp/my-stack');
 * ```
 */
export function loadDevStackNetwork(stateDir: string = devStackStateDir()): ZkSsoNetwork {
  const path = join(stateDir, 'stack.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new DevStackNotRunningError(path, 'does not exist');
  }
  let document: unknown;
  let network: ZkSsoNetwork;
  try {
    document = JSON.parse(text);
    network = devStackNetwork(document);
  } catch {
    throw new DevStackNotRunningError(path, 'is not a dev stack ready document');
  }
  // A stack killed with SIGKILL cannot remove its file: the pid it wrote tells a live stack from a stale file.
  const pid = (document as { pid?: unknown }).pid;
  if (typeof pid === 'number' && !processExists(pid)) {
    throw new DevStackNotRunningError(path, `was left by a dev stack that is no longer running (pid ${pid})`);
  }
  return network;
}

/**
 * Reads and checks a network file: the JSON form of {@link ZkSsoNetwork} ({@link parseZkSsoNetwork}).
 *
 * @throws InvalidNetworkError (code `NETWORK_INVALID`, `details.source` the absolute path) when the file cannot
 *   be read (`details.reason` is the error code, e.g. `ENOENT`), is not JSON, or lacks a field.
 * @example
 * ```ts
 * const network = loadZkSsoNetwork('sepolia.json');
 * ```
 */
export function loadZkSsoNetwork(file: string): ZkSsoNetwork {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InvalidNetworkError(path, (error as NodeJS.ErrnoException).code ?? String(error));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvalidNetworkError(path, 'not JSON');
  }
  return parseZkSsoNetwork(json, path);
}

/** True if a process with this id exists (signal 0 checks without signalling; EPERM means it exists). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
