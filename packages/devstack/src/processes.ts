import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { ProcessFailedError } from './errors.ts';

/** A child process of the stack, in its own process group, its output appended to a log file. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  readonly child: ChildProcess;
  /** Whether the process has exited. */
  exited(): boolean;
  /** Calls `listener` when the process exits (whatever the reason). */
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
  /** SIGTERM to the whole process group, SIGKILL after `graceMs`; resolves once the group is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** Options of {@link spawnLogged}. */
export interface SpawnLoggedOptions {
  name: string;
  command: string;
  args: readonly string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  /** Also copy the output to stderr, each line prefixed with `[name]`. */
  verbose?: boolean;
  /** How long `stop()` waits after SIGTERM before SIGKILL, unless it is given one (default 5000 ms). */
  stopGraceMs?: number;
}

/**
 * Starts a child in a new process group (so a stop reaches its own children too, and the terminal's Ctrl-C
 * reaches only the stack, which stops the children in order) with stdout and stderr appended to `logFile`.
 *
 * @example
 * ```ts
 * const anvil = spawnLogged({ name: 'anvil', command: anvilBinary(), args: ['--port', '8545'], logFile: '/tmp/anvil.log' });
 * await anvil.stop();
 * ```
 */
export function spawnLogged(options: SpawnLoggedOptions): ManagedProcess {
  const log: WriteStream = createWriteStream(options.logFile, { flags: 'a' });
  // One JSON line, like the JSON logs it heads (Alto's); secrets travel by environment, never in `args`.
  log.write(
    `${JSON.stringify({ time: new Date().toISOString(), msg: 'zksso-dev started process', name: options.name, command: options.command, args: options.args })}\n`,
  );
  const child = spawn(options.command, [...options.args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
    detached: true,
  });
  if (child.pid === undefined) {
    log.end();
    throw new ProcessFailedError(
      options.name,
      `could not be started (${options.command})`,
      options.logFile,
      '',
    );
  }
  const pid = child.pid;
  let partial = '';
  const onData = (chunk: Buffer) => {
    log.write(chunk);
    if (!options.verbose) return;
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) process.stderr.write(`[${options.name}] ${line}\n`);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  // Last resort: whatever way this process ends (an uncaught error, process.exit), the group goes with it.
  const killOnExit = () => signalGroup(pid, 'SIGKILL');
  process.once('exit', killOnExit);
  let hasExited = false;
  const exitPromise = new Promise<void>((resolve) => {
    const done = () => {
      hasExited = true;
      resolve();
    };
    child.once('exit', done);
    child.once('error', done);
  });
  let stopping: Promise<void> | undefined;
  const stop = (graceMs = options.stopGraceMs ?? 5_000): Promise<void> => {
    stopping ??= (async () => {
      signalGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
      await exitPromise;
      clearTimeout(timer);
      // The leader is gone; anything it left in its group goes too.
      if (groupAlive(pid)) {
        signalGroup(pid, 'SIGKILL');
        await waitUntil(() => !groupAlive(pid), 2_000);
      }
      process.removeListener('exit', killOnExit);
      await new Promise<void>((resolve) => log.end(resolve));
    })();
    return stopping;
  };
  return {
    name: options.name,
    pid,
    logFile: options.logFile,
    child,
    exited: () => hasExited,
    onExit: (listener) => {
      exitPromise.then(() => listener(child.exitCode, child.signalCode));
    },
    stop,
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return predicate();
}

/** The last `bytes` of a log file (for error messages). */
export function logTail(logFile: string, bytes = 3_000): string {
  try {
    return readFileSync(logFile, 'utf8').slice(-bytes);
  } catch {
    return '';
  }
}

/**
 * Polls `probe` until it answers true; throws {@link ProcessFailedError} when the process exits first or
 * `timeoutMs` passes.
 *
 * @example
 * ```ts
 * await waitForReady(anvil, () => rpcAnswers('http://127.0.0.1:8545'), 30_000);
 * ```
 */
export async function waitForReady(
  proc: ManagedProcess,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (signal?.aborted) return;
    if (proc.exited()) {
      throw new ProcessFailedError(
        proc.name,
        `exited while starting (code ${proc.child.exitCode ?? proc.child.signalCode})`,
        proc.logFile,
        logTail(proc.logFile),
      );
    }
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new ProcessFailedError(
    proc.name,
    `was not ready after ${Math.round(timeoutMs / 1000)} s`,
    proc.logFile,
    logTail(proc.logFile),
  );
}

/**
 * One JSON-RPC call over HTTP.
 *
 * @example
 * ```ts
 * const chainId = await jsonRpc<string>('http://127.0.0.1:8545', 'eth_chainId');
 * ```
 */
export async function jsonRpc<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}
