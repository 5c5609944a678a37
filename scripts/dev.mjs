#!/usr/bin/env node
// `npm run dev`: the one-command local zkSSO stack (anvil, contracts, Alto, dev OpenID provider, salt and
// prover services, JWK oracle). The stack is TypeScript (packages/devstack/src/cli.ts): run it through tsx,
// with the terminal inherited, and pass our signals on so Ctrl-C and SIGTERM stop it cleanly. Arguments go
// through unchanged: `npm run dev -- --help`.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../packages/devstack/src/cli.ts', import.meta.url));
const child = spawn(
  process.execPath,
  ['--import', import.meta.resolve('tsx'), cli, ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  // The child stops everything it started and then exits; we exit with it.
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}

child.on('error', (error) => {
  process.stderr.write(`dev: could not start the dev stack: ${error.message}\n`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  process.exit(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
});
