import { COMMANDS } from './commands/index.ts';
import { type CliIo, type Command, createContext, GLOBAL_HELP, parseCommandArgs } from './context.ts';
import { CliUsageError } from './errors.ts';
import { ExitCode, exitCodeFor } from './exit-codes.ts';
import { printError, printResult } from './output.ts';
import { loadSdk } from './sdk.ts';
import { nearestCommand } from './suggest.ts';

/** `zksso --help`. @example `process.stdout.write(USAGE);` */
export const USAGE = `Usage: zksso <command> [options]

Sign in with an OpenID provider, get a self-custodial smart account, send from it, and give dapps limited
session keys. Works against the running dev stack (npm run dev) or a network file.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(16)} ${c.summary}`).join('\n')}

Run \`zksso <command> --help\` for a command's options.

${GLOBAL_HELP}
`;

function findCommand(argv: readonly string[]): { command: Command; rest: string[] } | undefined {
  for (const command of COMMANDS) {
    const words = command.name.split(' ');
    if (words.every((word, i) => argv[i] === word)) return { command, rest: argv.slice(words.length) };
  }
  return undefined;
}

const DEFAULT_IO: CliIo = {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  sdk: loadSdk,
  now: () => Date.now(),
};

/**
 * Runs the `zksso` command line and returns its exit code (see the README's table): the result on stdout
 * (one JSON object with `--json`), progress and errors on stderr.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(['address', '--json']);
 * ```
 */
export async function runCli(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const cli: CliIo = { ...DEFAULT_IO, ...io };
  const json = argv.includes('--json');
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      cli.stdout.write(USAGE);
      return argv.length === 0 ? ExitCode.Usage : ExitCode.Ok;
    }
    const found = findCommand(argv);
    if (!found) {
      const isGroup = argv[0] === 'session' || argv[0] === 'passkey';
      const group = isGroup ? COMMANDS.filter((c) => c.name.startsWith(`${argv[0]} `)) : undefined;
      if (group && (argv.length === 1 || argv[1] === '--help' || argv[1] === '-h')) {
        cli.stdout.write(
          `Usage: zksso ${argv[0]} <command>\n\n${group.map((c) => `  ${c.name.padEnd(16)} ${c.summary}`).join('\n')}\n`,
        );
        return argv.length === 1 ? ExitCode.Usage : ExitCode.Ok;
      }
      const typed = argv.slice(0, isGroup ? 2 : 1).join(' ');
      const suggestion = nearestCommand(
        argv,
        COMMANDS.map((c) => c.name),
      );
      throw new CliUsageError(
        `unknown command "${typed}"${suggestion ? `: did you mean "zksso ${suggestion}"?` : ''} (see zksso --help)`,
        { command: typed, ...(suggestion ? { suggestion } : {}) },
      );
    }
    const { values, positionals } = parseCommandArgs(found.command, found.rest);
    if (values.help) {
      cli.stdout.write(`${found.command.usage}\n\n${GLOBAL_HELP}\n`);
      return ExitCode.Ok;
    }
    const ctx = createContext(cli, values, positionals);
    const result = await found.command.run(ctx);
    printResult(cli.stdout, ctx.json, result.json, result.human);
    return ExitCode.Ok;
  } catch (error) {
    printError(cli.stderr, json, error);
    return exitCodeFor(error);
  }
}
