import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { devStackStateDir } from '@zksso/sdk/node';

/**
 * Where the dev stack keeps its state: `$ZKSSO_DEV_STATE_DIR`, else `$XDG_STATE_HOME/zksso/dev`, else
 * `~/.local/state/zksso/dev`. The SDK's `devStackStateDir`, so the stack writes `stack.json` where the SDK,
 * the CLI and the auth server look for it.
 *
 * @example
 * ```ts
 * defaultStateDir(); // '/home/me/.local/state/zksso/dev'
 * ```
 */
export const defaultStateDir = devStackStateDir;

/** The files of a state directory. */
export interface StatePaths {
  readonly dir: string;
  readonly addresses: string;
  readonly logs: string;
  readonly idpKeys: string;
  readonly saltSeed: string;
  readonly oracleState: string;
  readonly verifiers: string;
  /** anvil's state file (`--state`): the dev chain, kept across restarts. */
  readonly chainState: string;
  log(name: string): string;
}

/**
 * Creates (if needed) and describes a state directory: `addresses.json`, `logs/<process>.log`, `dev-idp/`
 * (signing keys), `salt-seed.hex` (mode 0600), `jwk-oracle.json`, `verifiers/` (compiled dev verifiers).
 *
 * @example
 * ```ts
 * const state = openStateDir('/tmp/zksso-dev');
 * console.log(state.log('anvil')); // '/tmp/zksso-dev/logs/anvil.log'
 * ```
 */
export function openStateDir(dir: string): StatePaths {
  const logs = join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  return {
    dir,
    addresses: join(dir, 'addresses.json'),
    logs,
    idpKeys: join(dir, 'dev-idp'),
    saltSeed: join(dir, 'salt-seed.hex'),
    oracleState: join(dir, 'jwk-oracle.json'),
    verifiers: join(dir, 'verifiers'),
    chainState: join(dir, 'chain', 'anvil-state.json'),
    log: (name: string) => join(logs, `${name}.log`),
  };
}

/**
 * Starts every log of a state directory afresh: each `logs/<name>.log` becomes `<name>.log.1` (replacing the
 * one before), so the logs hold this run and the previous one, and never grow across restarts. Call it once
 * the ports are known to be free: a second stack refused for a busy port must not rotate the running one's
 * logs.
 *
 * @example
 * ```ts
 * rotateLogs(openStateDir('/tmp/zksso-dev')); // logs/anvil.log → logs/anvil.log.1, …
 * ```
 */
export function rotateLogs(state: StatePaths): string[] {
  const rotated: string[] = [];
  for (const name of readdirSync(state.logs)) {
    if (!name.endsWith('.log')) continue;
    renameSync(join(state.logs, name), join(state.logs, `${name}.1`));
    rotated.push(name);
  }
  return rotated;
}

/**
 * The salt service's development master seed (32 bytes hex), made once and kept in the state directory, so
 * the same dev user gets the same salt (and account) on every run. Development only: a production seed
 * lives in a secret store.
 *
 * @example
 * ```ts
 * const seedHex = devSaltSeed(openStateDir(dir));
 * ```
 */
export function devSaltSeed(state: StatePaths): string {
  if (existsSync(state.saltSeed)) return readFileSync(state.saltSeed, 'utf8').trim();
  const seed = randomBytes(32).toString('hex');
  writeFileSync(state.saltSeed, `${seed}\n`, { mode: 0o600 });
  chmodSync(state.saltSeed, 0o600);
  return seed;
}
