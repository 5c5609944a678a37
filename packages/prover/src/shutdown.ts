/** What {@link handleShutdownSignals} needs of a service: a close that drains. */
export interface Closable {
  close(): Promise<void>;
}

/** Options of {@link handleShutdownSignals}; the defaults are the real process's. */
export interface ShutdownOptions {
  /** Where the signals come from; default `process`. */
  readonly signals?: Pick<NodeJS.Process, 'on'>;
  /** Called with 0 once the service closed, 1 if closing failed; default `process.exit`. */
  readonly exit?: (code: number) => void;
  /** One line per signal received; default stderr. */
  readonly log?: (line: string) => void;
}

/**
 * Graceful shutdown for the CLI: on the first SIGTERM or SIGINT the service stops accepting connections,
 * finishes the requests and proofs in flight (up to its `SHUTDOWN_TIMEOUT_MS`, after which what is left
 * answers 503 SHUTTING_DOWN) and the process exits 0. Later signals are ignored while it drains.
 *
 * @example
 * ```ts
 * const service = createProverService(loadConfig());
 * handleShutdownSignals(service);
 * await service.listen();
 * ```
 */
export function handleShutdownSignals(service: Closable, options: ShutdownOptions = {}): void {
  const signals = options.signals ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const log = options.log ?? ((line: string) => console.error(line));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: draining`);
    service.close().then(
      () => exit(0),
      () => exit(1),
    );
  };
  signals.on('SIGTERM', () => stop('SIGTERM'));
  signals.on('SIGINT', () => stop('SIGINT'));
}
