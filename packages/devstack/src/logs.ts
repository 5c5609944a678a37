import { type Logger, pino } from 'pino';

/**
 * A pino logger that appends JSON lines to `file` (synchronously, so nothing is lost at stop) and, with
 * `verbose`, also writes them to stderr.
 *
 * @example
 * ```ts
 * const log = fileLogger('salt', '/tmp/zksso-dev/logs/salt.log');
 * log.info('started');
 * ```
 */
export function fileLogger(service: string, file: string, verbose = false): Logger {
  const toFile = pino.destination({ dest: file, append: true, sync: true, mkdir: true });
  const options = { level: 'info', base: { service } };
  if (!verbose) return pino(options, toFile);
  return pino(options, pino.multistream([{ stream: toFile }, { stream: process.stderr }]));
}

/**
 * A line writer appending to `file` (and stderr with `verbose`), for loggers that take a `write(line)`.
 *
 * @example
 * ```ts
 * const write = lineWriter('/tmp/zksso-dev/logs/jwk-oracle.log');
 * write('{"event":"started"}\n');
 * ```
 */
export function lineWriter(file: string, verbose = false): (line: string) => void {
  const toFile = pino.destination({ dest: file, append: true, sync: true, mkdir: true });
  return (line: string) => {
    toFile.write(line);
    if (verbose) process.stderr.write(`[jwk-oracle] ${line}`);
  };
}
