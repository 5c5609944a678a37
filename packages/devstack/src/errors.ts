import { ZkSsoError } from '@zksso/core';

/**
 * A port the stack needs is taken. Nothing has been started when this is thrown: ports are checked first.
 *
 * @example
 * ```ts
 * try { await startDevStack(); } catch (e) { if (e instanceof PortInUseError) console.error(e.details.option); }
 * ```
 */
export class PortInUseError extends ZkSsoError {
  constructor(service: string, port: number, option: string, env: string, reason = 'is already in use') {
    super(
      'PORT_IN_USE',
      `Port ${port} (${service}) ${reason} on 127.0.0.1. Stop whatever uses it, or choose another port with ` +
        `${option} <port> (or ${env}=<port>; 0 picks a free port).`,
      { details: { service, port, option, env } },
    );
  }
}

/**
 * A child process (anvil, Alto) exited early or did not become ready in time. The message carries the end
 * of its log file.
 *
 * @example
 * ```ts
 * try { await startDevStack(); } catch (e) { if (e instanceof ProcessFailedError) console.error(e.details.logFile); }
 * ```
 */
export class ProcessFailedError extends ZkSsoError {
  constructor(name: string, reason: string, logFile: string, logTail: string) {
    super('PROCESS_FAILED', `${name} ${reason}. Its log is ${logFile}; it ends with:\n${logTail}`, {
      details: { name, reason, logFile },
    });
  }
}

/**
 * An option of the dev stack is invalid (a port out of range, an unknown flag).
 *
 * @example
 * ```ts
 * parseCliArgs(['--anvil-port', 'x']); // throws DevStackOptionError (code INVALID_OPTION)
 * ```
 */
export class DevStackOptionError extends ZkSsoError {
  constructor(option: string, reason: string) {
    super('INVALID_OPTION', `${option}: ${reason}`, { details: { option } });
  }
}

/**
 * Startup was interrupted (Ctrl-C, SIGTERM or an aborted signal); everything started so far was stopped.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * startDevStack({ signal: controller.signal }).catch((e) => e instanceof StartupAbortedError);
 * controller.abort();
 * ```
 */
export class StartupAbortedError extends ZkSsoError {
  constructor() {
    super(
      'STARTUP_ABORTED',
      'The dev stack was stopped while it was starting; everything started was stopped.',
    );
  }
}
