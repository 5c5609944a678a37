import { type ChildProcess, spawn } from 'node:child_process';

/** A child process whose recent output is kept for error messages. */
export interface ManagedProcess {
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts `command` and keeps the last 20 kB of its output. */
export function startProcess(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ManagedProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let buffer = '';
  const append = (chunk: Buffer) => {
    buffer = (buffer + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return {
    child,
    output: () => buffer,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Resolves once `predicate` holds on the output or rejects after `timeoutMs`. */
export async function waitFor(
  proc: ManagedProcess,
  name: string,
  predicate: () => Promise<boolean> | boolean,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null)
      throw new Error(`${name} exited (${proc.child.exitCode}):\n${proc.output()}`);
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} not ready after ${timeoutMs} ms:\n${proc.output()}`);
}

// The dev stack's launcher helpers, one copy for every harness: free ports, the foundry binaries, Alto's CLI
// and JSON-RPC calls (imported by path: only these small modules, not the whole stack with its services).
export { altoCli, foundryBinary } from '../../../devstack/src/binaries.ts';
export { freePort } from '../../../devstack/src/ports.ts';
export { jsonRpc as rpc } from '../../../devstack/src/processes.ts';
