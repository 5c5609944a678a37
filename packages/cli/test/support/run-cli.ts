// How the CLI's end-to-end tests run the `zksso` binary: a child process with its own home (saved logins and
// sessions) and a dev stack state directory, as a user's shell would.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/zksso.mjs', import.meta.url));

/** One run of the binary: exit code, output, and its JSON answer or error line (`--json`). */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  json: () => Record<string, unknown>;
  error: () => { code: string; message: string; details: Record<string, unknown>; exitCode: number };
}

/**
 * Runs `zksso <args>` (with `--json` unless `json` is false) with `ZKSSO_CLI_HOME=home` and
 * `ZKSSO_DEV_STATE_DIR=stateDir`.
 *
 * @example
 * ```ts
 * const run = await runCli({ home, stateDir }, ['login', '--issuer', 'dev', '--user', 'alice']);
 * run.json().address;
 * ```
 */
export function runCli(
  where: { home: string; stateDir: string },
  args: string[],
  json = true,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args, ...(json ? ['--json'] : [])], {
      env: { ...process.env, ZKSSO_CLI_HOME: where.home, ZKSSO_DEV_STATE_DIR: where.stateDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout,
        stderr,
        json: () => JSON.parse(stdout),
        error: () => JSON.parse(stderr.trim().split('\n').at(-1) as string).error,
      }),
    );
  });
}
