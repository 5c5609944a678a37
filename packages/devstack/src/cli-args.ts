import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Address } from 'viem';
import { DevStackOptionError } from './errors.ts';
import { DEFAULT_PORTS, type DevStackPorts, PORT_OPTIONS, type ServiceName } from './ports.ts';
import type { DevStackOptions } from './stack.ts';
import { defaultStateDir } from './state.ts';

/** What the command line asks for. */
export interface CliOptions {
  stack: DevStackOptions;
  /** Print one JSON line `{"event":"ready",…}` on stdout when ready (status lines go to stderr). */
  json: boolean;
  /** Write the ready JSON to this file when ready (removed at stop). */
  readyFile: string | undefined;
  help: boolean;
}

/** `zksso-dev --help`. */
export const USAGE = `Usage: npm run dev -- [options]     (or: zksso-dev [options])

Starts the local zkSSO stack: anvil, the contracts, Alto, the dev OpenID provider, the salt service, the prover,
the JWK oracle, the auth server (popup wallet) and the demo dapp. Ctrl-C stops everything.

Options (environment variable in brackets):
  --anvil-port <n>     chain RPC port, default ${DEFAULT_PORTS.anvil} [ZKSSO_DEV_ANVIL_PORT]
  --bundler-port <n>   Alto port, default ${DEFAULT_PORTS.bundler} [ZKSSO_DEV_BUNDLER_PORT]
  --idp-port <n>       dev OpenID provider port, default ${DEFAULT_PORTS.idp} [ZKSSO_DEV_IDP_PORT]
  --salt-port <n>      salt service port, default ${DEFAULT_PORTS.salt} [ZKSSO_DEV_SALT_PORT]
  --prover-port <n>    prover port, default ${DEFAULT_PORTS.prover} [ZKSSO_DEV_PROVER_PORT]
  --auth-port <n>      auth server port, default ${DEFAULT_PORTS.authServer} [ZKSSO_DEV_AUTH_PORT]
  --demo-port <n>      demo dapp port, default ${DEFAULT_PORTS.demo} [ZKSSO_DEV_DEMO_PORT]
                       (a port of 0 picks a free one)
  --state-dir <dir>    state directory, default ${defaultStateDir()} [ZKSSO_DEV_STATE_DIR]
  --no-prover          do not build circuits or start the prover [ZKSSO_DEV_PROVER=0]
  --no-apps            do not start the auth server and the demo dapp [ZKSSO_DEV_APPS=0]
  --fresh              start the chain over (it is otherwise kept in the state directory across restarts;
                       dev IdP keys and the salt seed stay) [ZKSSO_DEV_FRESH=1]
  --tiers <a,b>        circuit tiers for the prover, default the smallest [ZKSSO_DEV_TIERS]
  --fund <addr,...>    give these addresses 100 ETH
  --build-contracts    always run forge build first (default: only when artifacts are missing or stale)
  --verbose            stream every process's log to the terminal too
  --json               print a single JSON line when ready (status goes to stderr)
  --ready-file <path>  write the ready JSON to this file when ready
  -h, --help           this help
`;

function port(name: ServiceName, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > 65_535) {
    throw new DevStackOptionError(
      PORT_OPTIONS[name].option,
      `expected a port number (0-65535), got "${raw}"`,
    );
  }
  return value;
}

/**
 * Parses `zksso-dev` arguments, with environment variables as fallbacks. Throws {@link DevStackOptionError}.
 *
 * @example
 * ```ts
 * const cli = parseCliArgs(['--anvil-port', '0', '--no-prover'], {});
 * cli.stack.ports?.anvil; // 0
 * ```
 */
export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        'anvil-port': { type: 'string' },
        'bundler-port': { type: 'string' },
        'idp-port': { type: 'string' },
        'salt-port': { type: 'string' },
        'prover-port': { type: 'string' },
        'auth-port': { type: 'string' },
        'demo-port': { type: 'string' },
        'state-dir': { type: 'string' },
        'no-prover': { type: 'boolean' },
        'no-apps': { type: 'boolean' },
        fresh: { type: 'boolean' },
        tiers: { type: 'string' },
        fund: { type: 'string' },
        'build-contracts': { type: 'boolean' },
        verbose: { type: 'boolean' },
        json: { type: 'boolean' },
        'ready-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new DevStackOptionError('arguments', `${(error as Error).message} (see --help)`);
  }
  const str = (name: string) => values[name] as string | undefined;
  const ports: Partial<DevStackPorts> = {};
  for (const name of Object.keys(PORT_OPTIONS) as ServiceName[]) {
    const { option, env: variable } = PORT_OPTIONS[name];
    const value = port(name, str(option.slice(2)) ?? env[variable]);
    if (value !== undefined) ports[name] = value;
  }
  const tiersText = str('tiers') ?? env.ZKSSO_DEV_TIERS;
  const tiers = tiersText
    ? tiersText.split(',').map((t) => {
        const value = Number(t.trim());
        if (!/^\d+$/.test(t.trim()) || value <= 0 || value > 0xffff)
          throw new DevStackOptionError('--tiers', `"${t}" is not a tier (a byte length, uint16)`);
        return value;
      })
    : undefined;
  const fund = (str('fund') ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  for (const address of fund) {
    if (!/^0x[0-9a-fA-F]{40}$/.test(address))
      throw new DevStackOptionError('--fund', `"${address}" is not an address`);
  }
  const stateDir = str('state-dir') ?? env.ZKSSO_DEV_STATE_DIR;
  const noProver =
    values['no-prover'] === true || env.ZKSSO_DEV_PROVER === '0' || env.ZKSSO_DEV_PROVER === 'false';
  const noApps = values['no-apps'] === true || env.ZKSSO_DEV_APPS === '0' || env.ZKSSO_DEV_APPS === 'false';
  const readyFile = str('ready-file');
  const fresh = values.fresh === true || env.ZKSSO_DEV_FRESH === '1' || env.ZKSSO_DEV_FRESH === 'true';
  return {
    stack: {
      ports,
      prover: !noProver,
      apps: !noApps,
      ...(stateDir ? { stateDir: resolve(stateDir) } : {}),
      ...(tiers ? { tiers } : {}),
      ...(fund.length ? { fund: fund as Address[] } : {}),
      ...(values['build-contracts'] ? { buildContracts: 'always' as const } : {}),
      ...(fresh ? { fresh: true } : {}),
      verbose: values.verbose === true,
    },
    json: values.json === true,
    readyFile: readyFile ? resolve(readyFile) : undefined,
    help: values.help === true,
  };
}
