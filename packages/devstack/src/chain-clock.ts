import { jsonRpc } from './processes.ts';

/** Options of {@link keepChainTimeCurrent}. */
export interface ChainClockOptions {
  /** How often the latest block's age is checked (default 1000 ms). */
  intervalMs?: number;
  /** Wall clock in unix seconds (tests). */
  now?: () => number;
}

/** A running chain clock; `stop()` ends it and waits for a check in flight. */
export interface ChainClock {
  stop(): Promise<void>;
}

/**
 * Keeps an automining anvil's latest block no older than about a second, by mining an empty block whenever
 * the chain has been idle.
 *
 * Why: anvil mines only when a transaction arrives, while a real chain makes a block every few seconds.
 * Bundlers simulate a user operation on the latest block, and zkSSO's session operations are valid only
 * inside the allowance period they spend in (a window the EntryPoint checks against `block.timestamp`). On
 * an idle anvil the latest block can lie in an earlier period than the wall-clock time an operation claims,
 * and the bundler then refuses it as "not due" (AA22). `--block-time` would fix the clock but turns automine
 * off, so every transaction would wait for the next interval; this keeps automine and fills idle time.
 *
 * @example
 * ```ts
 * const clock = keepChainTimeCurrent('http://127.0.0.1:8545');
 * // ... later
 * await clock.stop();
 * ```
 */
export function keepChainTimeCurrent(rpcUrl: string, options: ChainClockOptions = {}): ChainClock {
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  let inFlight: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = async () => {
    try {
      const latest = await jsonRpc<{ timestamp: string }>(rpcUrl, 'eth_getBlockByNumber', ['latest', false]);
      if (!stopped && latest && Number(BigInt(latest.timestamp)) < now()) await jsonRpc(rpcUrl, 'evm_mine');
    } catch {
      // anvil stopping or briefly busy: the next tick tries again.
    }
  };
  const timer = setInterval(() => {
    inFlight = inFlight.then(tick);
  }, options.intervalMs ?? 1000);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight;
    },
  };
}
