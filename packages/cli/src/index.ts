// @zksso/cli: the `zksso` command line (bin/zksso.mjs). Exported for tests and for embedding.
export { COMMANDS } from './commands/index.ts';
export type { CliIo, Command, CommandContext } from './context.ts';
export * from './errors.ts';
export { ExitCode, exitCodeFor, isConnectionError } from './exit-codes.ts';
export { runCli, USAGE } from './main.ts';
export { errorJson, printError, printResult, redactSecrets, toJsonValue } from './output.ts';
export {
  checkPolicy,
  DEFAULT_FEE_LIMIT,
  DEFAULT_SESSION_SECONDS,
  feeLimitFrom,
  parseAllowance,
  sessionInputFromFile,
  sessionInputFromFlags,
} from './policy.ts';
export type { CliSdk, ZkSsoNetwork } from './sdk.ts';
export { cliHome, openCliStore, writeSecretFile } from './state.ts';
export { formatDuration, formatEth, parseDuration, parseValue } from './units.ts';
