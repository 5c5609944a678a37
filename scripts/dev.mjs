#!/usr/bin/env node
// `npm run dev`: the one-command local zkSSO stack (anvil, contracts, Alto, dev OpenID provider, salt and
// prover services, JWK oracle). The stack is TypeScript (packages/devstack/src/cli.ts): for development it
// runs from source through tsx (no build step; `npm run build` is for the published packages), with the
// terminal inherited, and pass our signals on so Ctrl-C, SIGTERM and SIGHUP stop it cleanly.
// Arguments go through unchanged: `npm run dev -- --help`.
//
// The layers are npm → `sh -c` → this script → the CLI (one node process, tsx as a loader) → anvil, Alto and
// the prover workers, each in a process group of its own, which the CLI stops. Signals do not always make it
// down: npm passes SIGINT and SIGTERM to `sh` only, which dies of SIGTERM and waits through SIGINT without
// passing either on; npm dies of SIGHUP. So package.json runs this script with `exec` (sh becomes this
// script and gets what npm passes on), and this script stops the CLI when its own parent goes away (npm
// gone), as the CLI does when this script goes.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

/** NODE_OPTIONS plus `--conditions=@zksso/source` (scripts/source-condition.ts; this script is plain JS). */
function withSourceCondition(nodeOptions = '') {
  const flag = '--conditions=@zksso/source';
  return nodeOptions.split(/\s+/).includes(flag) ? nodeOptions : `${nodeOptions} ${flag}`.trim();
}

const cli = fileURLToPath(new URL('../packages/devstack/src/cli.ts', import.meta.url));
const child = spawn(
  process.execPath,
  ['--import', import.meta.resolve('tsx'), cli, ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    // Development runs the TypeScript sources of every package (the `@zksso/source` export condition), in
    // this process's children too (prover workers, CLIs), never a stale built dist/.
    env: { ...process.env, NODE_OPTIONS: withSourceCondition(process.env.NODE_OPTIONS) },
  },
);

const childRunning = () => child.exitCode === null && child.signalCode === null;

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  // The child stops everything it started and then exits; we exit with it.
  process.on(signal, () => {
    if (childRunning()) child.kill(signal);
  });
}

// Our parent (sh, npm) gone: nobody will pass a signal on any more. Stop the stack as for a hang-up.
const parent = process.ppid;
const parentWatch = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(parentWatch);
  process.stderr.write('dev: the parent process exited: stopping the dev stack\n');
  if (childRunning()) child.kill('SIGHUP');
}, 500);
parentWatch.unref();

// A terminal or pipe that went away must not kill this script before the CLI has stopped (EPIPE).
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});

child.on('error', (error) => {
  process.stderr.write(`dev: could not start the dev stack: ${error.message}\n`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  process.exit(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
});
