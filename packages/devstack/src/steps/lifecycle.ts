import { StartupAbortedError } from '../errors.ts';
import type { ManagedProcess } from '../processes.ts';

/** A child process that exited on its own. */
export interface ProcessCrash {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  logFile: string;
}

/** Something started that must be stopped, in reverse order of starting. */
export interface Cleanup {
  name: string;
  stop: () => Promise<void>;
}

/** What every step of a stack start shares: its cleanups, the abort signal and the crash report. */
export interface Lifecycle {
  /** One-line status messages. */
  status: (line: string) => void;
  signal: AbortSignal | undefined;
  /** Adds a cleanup: `stop()` runs it, last added first. */
  onStop(name: string, stop: () => Promise<void>): void;
  /** Adds a child process: stopped on `stop()`, and an exit before that resolves `crashed`. */
  track(proc: ManagedProcess): void;
  /** The child processes tracked so far. */
  readonly processes: readonly ManagedProcess[];
  /** Throws {@link StartupAbortedError} when the signal was aborted: between steps. */
  checkpoint(): void;
  /** `work`, or {@link StartupAbortedError} as soon as the signal aborts (the work is left behind). */
  abortable<T>(work: Promise<T>): Promise<T>;
  /** Resolves if a tracked child exits on its own. */
  readonly crashed: Promise<ProcessCrash>;
  /** Stops everything added, in reverse order; idempotent. A cleanup that fails is reported, not thrown. */
  stop(): Promise<void>;
}

/**
 * The start-and-stop bookkeeping of a dev stack, apart from its steps: each step registers what it starts,
 * and a failure or an abort anywhere stops exactly what was started.
 *
 * @example
 * ```ts
 * const life = createLifecycle({ onStatus: console.log });
 * const proc = spawnLogged({ ... });
 * life.track(proc);
 * life.checkpoint();
 * await life.stop();
 * ```
 */
export function createLifecycle(options: {
  onStatus?: (line: string) => void;
  signal?: AbortSignal;
}): Lifecycle {
  const status = options.onStatus ?? (() => {});
  const signal = options.signal;
  const cleanups: Cleanup[] = [];
  const processes: ManagedProcess[] = [];
  let stopped: Promise<void> | undefined;
  let reportCrash: (crash: ProcessCrash) => void = () => {};
  const crashed = new Promise<ProcessCrash>((resolve) => {
    reportCrash = resolve;
  });
  const onStop = (name: string, stop: () => Promise<void>) => {
    cleanups.push({ name, stop });
  };
  return {
    status,
    signal,
    onStop,
    processes,
    crashed,
    track(proc) {
      processes.push(proc);
      onStop(proc.name, () => proc.stop());
      proc.onExit((code, exitSignal) => {
        if (!stopped) reportCrash({ name: proc.name, code, signal: exitSignal, logFile: proc.logFile });
      });
    },
    checkpoint() {
      if (signal?.aborted) throw new StartupAbortedError();
    },
    abortable<T>(work: Promise<T>): Promise<T> {
      if (!signal) return work;
      // A step left behind by an abort may still fail later (its process is gone): nobody waits for it.
      work.catch(() => {});
      return new Promise<T>((resolve, reject) => {
        const onAbort = () => reject(new StartupAbortedError());
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });
    },
    stop() {
      stopped ??= (async () => {
        while (cleanups.length > 0) {
          const cleanup = cleanups.pop() as Cleanup;
          status(`stopping ${cleanup.name}`);
          await cleanup
            .stop()
            .catch((error: unknown) => status(`${cleanup.name} did not stop cleanly: ${String(error)}`));
        }
      })();
      return stopped;
    },
  };
}
