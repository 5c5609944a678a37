import { parseArgs } from 'node:util';
import { CliUsageError, LoginExpiredError, NotLoggedInError } from './errors.ts';
import { resolveNetwork } from './network.ts';
import type { TextSink } from './output.ts';
import type { CliSdk, ZkLoginSession, ZkSsoNetwork } from './sdk.ts';
import { type CliStore, cliHome, openCliStore, type SavedLogin } from './state.ts';

/**
 * What a command runs with: arguments, environment, streams and the SDK, all injectable for tests.
 *
 * @example
 * ```ts
 * const io: CliIo = { env: process.env, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, sdk: loadSdk, now: () => Date.now() };
 * ```
 */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: TextSink;
  stderr: TextSink;
  stdin: NodeJS.ReadableStream;
  sdk: () => Promise<CliSdk>;
  /** Milliseconds since the epoch. */
  now: () => number;
}

/** Options every command takes. @example `parseArgs({ options: { ...GLOBAL_OPTIONS } })` */
export const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  network: { type: 'string' },
  'state-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Help text of {@link GLOBAL_OPTIONS}. @example `stdout.write(GLOBAL_HELP)` */
export const GLOBAL_HELP = `Global options:
  --json               one JSON object on stdout; errors as {"error":{code,message,details}} on stderr
  --network <file>     a network file (JSON ZkSsoNetwork) instead of the running dev stack
  --state-dir <dir>    the dev stack's state directory (stack.json) [ZKSSO_DEV_STATE_DIR]
  -h, --help           this help
State: $ZKSSO_CLI_HOME, else $XDG_STATE_HOME/zksso/cli or ~/.local/state/zksso/cli (keys: mode 0600).
Exit codes: 0 ok, 1 unexpected, 2 usage, 3 not logged in / login expired, 4 refused, 5 unavailable.`;

/** One option of `node:util` parseArgs. @example `const json: OptionSpec = { type: 'boolean' };` */
export type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };

/**
 * A command's parsed line plus everything it may need, resolved lazily.
 *
 * @example
 * ```ts
 * const network = await ctx.network();
 * ```
 */
export interface CommandContext {
  io: CliIo;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  json: boolean;
  store: CliStore;
  sdk(): Promise<CliSdk>;
  network(): Promise<ZkSsoNetwork>;
  /** The saved login, checked: {@link NotLoggedInError} or {@link LoginExpiredError} otherwise. */
  login(): SavedLogin<ZkLoginSession>;
  /** Unix seconds. */
  nowSeconds(): number;
  /** A progress line on stderr (JSON `{"progress":…}` with `--json`). */
  progress(step: string, message: string): void;
}

/**
 * A subcommand: its options, help and what it does. `run` returns the JSON result and the human lines.
 *
 * @example
 * ```ts
 * const address: Command = { name: 'address', summary: '…', usage: 'zksso address', options: {}, run: async (ctx) => … };
 * ```
 */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  positionals?: { min: number; max: number };
  run(ctx: CommandContext): Promise<{ json: unknown; human: string[] }>;
}

/**
 * Parses a command's arguments (its options plus {@link GLOBAL_OPTIONS}) strictly.
 *
 * @throws CliUsageError for unknown options, missing values or the wrong number of positionals.
 * @example
 * ```ts
 * const { values } = parseCommandArgs(sendCommand, ['--to', '0x…', '--value', '0.01']);
 * ```
 */
export function parseCommandArgs(
  command: Pick<Command, 'name' | 'options' | 'positionals'>,
  argv: readonly string[],
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...GLOBAL_OPTIONS, ...command.options },
      strict: true,
      allowPositionals: (command.positionals?.max ?? 0) > 0,
    });
  } catch (error) {
    throw new CliUsageError(`${(error as Error).message} (see zksso ${command.name} --help)`, {
      command: command.name,
    });
  }
  const { min = 0, max = 0 } = command.positionals ?? {};
  if (!parsed.values.help && (parsed.positionals.length < min || parsed.positionals.length > max)) {
    throw new CliUsageError(
      `zksso ${command.name} takes ${min === max ? min : `${min} to ${max}`} argument(s), got ${parsed.positionals.length} (see --help)`,
      { command: command.name },
    );
  }
  return {
    values: parsed.values as Record<string, string | boolean | undefined>,
    positionals: parsed.positionals,
  };
}

/**
 * Builds the {@link CommandContext} of a parsed command line.
 *
 * @example
 * ```ts
 * const ctx = createContext(io, values, positionals);
 * ```
 */
export function createContext(
  io: CliIo,
  values: Record<string, string | boolean | undefined>,
  positionals: string[],
): CommandContext {
  const json = values.json === true;
  const store = openCliStore(cliHome(io.env));
  let sdkPromise: Promise<CliSdk> | undefined;
  const sdk = () => {
    sdkPromise ??= io.sdk();
    return sdkPromise;
  };
  const nowSeconds = () => Math.floor(io.now() / 1000);
  return {
    io,
    values,
    positionals,
    json,
    store,
    sdk,
    network: async () =>
      resolveNetwork(
        {
          networkFile: values.network as string | undefined,
          stateDir: (values['state-dir'] as string | undefined) ?? (io.env.ZKSSO_DEV_STATE_DIR || undefined),
        },
        await sdk(),
      ),
    login: () => {
      const login = store.readLogin<ZkLoginSession>();
      if (!login) throw new NotLoggedInError(store.home);
      const expiry = Number(login.session.expiry);
      if (Number.isFinite(expiry) && expiry <= nowSeconds())
        throw new LoginExpiredError(expiry, nowSeconds());
      return login;
    },
    nowSeconds,
    progress: (step, message) => {
      if (json) io.stderr.write(`${JSON.stringify({ progress: { step, message } })}\n`);
      else io.stderr.write(`zksso: ${message}\n`);
    },
  };
}
