/**
 * Structured log sink. Fields never carry secrets (no keys, tokens or signatures).
 *
 * @example
 * ```ts
 * const logger: OracleLogger = { info: console.log, warn: console.warn, error: console.error };
 * ```
 */
export interface OracleLogger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

/**
 * Writes one JSON object per line to stderr (`{"time":…,"level":"info","event":"jwk.added",…}`); bigints
 * become `0x` hex.
 *
 * @example
 * ```ts
 * const logger = jsonLineLogger();
 * logger.info('pass.done', { changed: 2 });
 * ```
 */
export function jsonLineLogger(
  write: (line: string) => void = (line) => process.stderr.write(line),
): OracleLogger {
  const log =
    (level: string) =>
    (event: string, fields: Record<string, unknown> = {}) =>
      write(
        `${JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }, (_key, value) =>
          typeof value === 'bigint' ? `0x${value.toString(16)}` : value,
        )}\n`,
      );
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

/**
 * A logger that drops everything (tests, embedding).
 *
 * @example
 * ```ts
 * createJwkOracle({ ...config, logger: silentLogger });
 * ```
 */
export const silentLogger: OracleLogger = { info() {}, warn() {}, error() {} };
