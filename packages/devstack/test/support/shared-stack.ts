// ONE dev stack for every end-to-end project that needs a running one (sdk, cli): a Vitest global setup
// (`globalSetup: ['../devstack/test/support/shared-stack.ts']` in each project's config) that starts the stack
// once, on free ports in a temporary state directory, and gives each test file its ready document through
// `inject('zksso.devStack')`. Starting a stack costs the contracts check, Alto's start and the prover's tier load
// (tens of seconds on 2 cores); before this, every e2e file started its own.
//
// Every project that lists this file calls `setup` in the same Vitest process: the first call starts the stack,
// the others reuse it (kept on globalThis, since each project may load its own copy of this module), and the
// last `teardown` stops it.
//
// Rules for the tests that share it: fresh accounts and keys per test (never a fixed dev key that another file
// also sends from), counting your own prover requests (a proxy, see countingProxy), and never moving the
// chain's clock: `evm_increaseTime` on the shared chain would expire other files' keys and sessions. A test that
// must move time starts its own stack.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type DevStack, stackReadyDocument, startDevStack } from '../../src/index.ts';

/** The ready document of the shared stack (what `npm run dev` writes to `<stateDir>/stack.json`). */
export type SharedDevStack = ReturnType<typeof stackReadyDocument>;

declare module 'vitest' {
  export interface ProvidedContext {
    'zksso.devStack': SharedDevStack;
  }
}

interface Shared {
  started: Promise<{ stack: DevStack; ready: SharedDevStack; stateDir: string }>;
  users: number;
}

const KEY = Symbol.for('zksso.sharedDevStack');
const registry = globalThis as { [KEY]?: Shared };

/**
 * Starts the shared stack (or joins the one already started) and provides its ready document.
 *
 * @example
 * ```ts
 * // packages/sdk/vitest.config.ts
 * export default defineProject({ test: { globalSetup: ['../devstack/test/support/shared-stack.ts'] } });
 * // in a test file
 * const ready = inject('zksso.devStack');
 * ```
 */
export async function setup(project: TestProject): Promise<void> {
  let shared = registry[KEY];
  if (!shared) {
    const stateDir = mkdtempSync(join(tmpdir(), 'zksso-shared-stack-'));
    const started = (async () => {
      const stack = await startDevStack({
        ports: { anvil: 0, bundler: 0, idp: 0, salt: 0, prover: 0 },
        stateDir,
        onStatus: (line) => {
          if (/circuit|prover at|ready|failed/.test(line)) process.stderr.write(`shared devstack: ${line}\n`);
        },
      });
      const ready = stackReadyDocument(stack);
      // What `npm run dev` writes when ready: the CLI (ZKSSO_DEV_STATE_DIR) and loadDevStackNetwork read it.
      writeFileSync(join(stateDir, 'stack.json'), `${JSON.stringify(ready)}\n`);
      return { stack, ready, stateDir };
    })();
    started.catch(() => rmSync(stateDir, { recursive: true, force: true }));
    shared = { started, users: 0 };
    registry[KEY] = shared;
  }
  shared.users += 1;
  const { ready } = await shared.started;
  project.provide('zksso.devStack', ready);
}

/** Stops the shared stack once the last project that started it is done. */
export async function teardown(): Promise<void> {
  const shared = registry[KEY];
  if (!shared) return;
  shared.users -= 1;
  if (shared.users > 0) return;
  registry[KEY] = undefined;
  // A stack that failed to start has stopped what it started already (and setup reported the error).
  const started = await shared.started.catch(() => undefined);
  if (!started) return;
  await started.stack.stop();
  rmSync(started.stateDir, { recursive: true, force: true });
}
