#!/usr/bin/env -S node --import tsx
// `zksso-dev` / `npm run dev`: starts the local zkSSO stack and stops it on Ctrl-C or SIGTERM.
// Exit codes: 0 stopped cleanly, 1 startup failed or a process crashed, 2 bad arguments, 130 interrupted
// while starting (everything started so far was stopped).
// console-routing must be evaluated before ./stack.ts loads oidc-provider: imports are sorted and no import
// above it loads the IdP.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZkSsoError } from '@zksso/core';
import { type CliOptions, parseCliArgs, USAGE } from './cli-args.ts';
import { routeOidcProviderConsole } from './console-routing.ts';
import { StartupAbortedError } from './errors.ts';
import { watchParent } from './parent-watch.ts';
import { stackReadyDocument } from './ready.ts';
import { type DevStack, startDevStack } from './stack.ts';
import { defaultStateDir } from './state.ts';
import { formatSummary } from './summary.ts';

const startedAt = Date.now();
// A terminal or pipe that went away must not turn a clean stop into a crash (EPIPE on a status line).
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
const status = (line: string) => process.stderr.write(`zksso-dev: ${line}\n`);
const describe = (error: unknown) =>
  error instanceof ZkSsoError ? `${error.message} [${error.code}]` : String((error as Error)?.stack ?? error);

let cli: CliOptions;
try {
  cli = parseCliArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`zksso-dev: ${describe(error)}\n`);
  process.exit(2);
}
if (cli.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

routeOidcProviderConsole(
  join(cli.stack.stateDir ?? defaultStateDir(), 'logs', 'dev-idp.log'),
  cli.stack.verbose ?? false,
);

const controller = new AbortController();
let stack: DevStack | undefined;
let stopping = false;
/** `<stateDir>/stack.json`: the ready JSON while the stack runs (what `loadDevStackNetwork` of @zksso/sdk reads). */
let stackFile: string | undefined;

async function stopAndExit(code: number, reason: string): Promise<never> {
  status(`${reason}: stopping`);
  if (stack) await stack.stop();
  if (cli.readyFile) rmSync(cli.readyFile, { force: true });
  if (stackFile) rmSync(stackFile, { force: true });
  status('stopped');
  process.exit(code);
}

function onSignal(signal: NodeJS.Signals): void {
  // npm and scripts/dev.mjs forward the terminal's Ctrl-C as well: one stop is enough.
  if (stopping) return;
  stopping = true;
  if (stack) void stopAndExit(0, signal);
  else {
    status(`${signal}: stopping what has started`);
    controller.abort();
  }
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
// A parent that dies (scripts/dev.mjs or tsx killed with SIGKILL) sends no signal: stop as for a hang-up.
watchParent(() => {
  status('the parent process exited');
  onSignal('SIGHUP');
});
process.on('uncaughtException', (error) => {
  process.stderr.write(`zksso-dev: unexpected error: ${describe(error)}\n`);
  if (stopping) process.exit(1);
  stopping = true;
  void stopAndExit(1, 'unexpected error');
});

try {
  stack = await startDevStack({ ...cli.stack, onStatus: status, signal: controller.signal });
} catch (error) {
  if (error instanceof StartupAbortedError) {
    status('stopped during startup');
    process.exit(130);
  }
  process.stderr.write(`zksso-dev: could not start: ${describe(error)}\n`);
  process.exit(1);
}

stack.crashed.then((crash) => {
  if (stopping) return;
  stopping = true;
  void stopAndExit(
    1,
    `${crash.name} exited unexpectedly (code ${crash.code ?? crash.signal}; log ${crash.logFile})`,
  );
});

const ready = stackReadyDocument(stack);
const readyJson = JSON.stringify(ready);
if (cli.readyFile) writeFileSync(cli.readyFile, `${readyJson}\n`);
stackFile = join(stack.stateDir, 'stack.json');
writeFileSync(stackFile, `${readyJson}\n`);
(cli.json ? process.stderr : process.stdout).write(formatSummary(stack));
const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
if (cli.json) process.stdout.write(`${readyJson}\n`);
else process.stdout.write(`ready in ${seconds} s. Logs: ${stack.stateDir}/logs. Ctrl-C stops everything.\n`);
