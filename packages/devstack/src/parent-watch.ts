/** A running parent watch; `stop()` ends it. */
export interface ParentWatch {
  stop(): void;
}

/**
 * Calls `onGone` once when this process's parent goes away (its parent pid changes: the process was
 * re-parented to init or a subreaper), checking every `intervalMs`.
 *
 * Why: `npm run dev` is npm → `sh -c` → node scripts/dev.mjs → the stack. `kill -TERM <npm>` makes npm pass
 * the signal to `sh` only, which dies without passing it on; and SIGKILL passes nothing. Without a watch the
 * stack would keep running, orphaned, holding its ports. No signal reaches an orphan, so it polls.
 *
 * @example
 * ```ts
 * const watch = watchParent(() => stop('parent exited'));
 * // ... on a normal stop
 * watch.stop();
 * ```
 */
export function watchParent(onGone: () => void, intervalMs = 500): ParentWatch {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  // Never what keeps the process alive.
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
