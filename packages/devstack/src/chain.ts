import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Address, Hex } from 'viem';
import { altoCli, foundryBinary } from './binaries.ts';
import { ENTRY_POINT_V08 } from './deploy/deploy.ts';
import { jsonRpc, type ManagedProcess, spawnLogged, waitForReady } from './processes.ts';

/**
 * anvil's well-known development keys (mnemonic "test test … junk"), public knowledge: dev chains only.
 * Roles in the stack: 0 deployer, JwkRegistry owner and JWK oracle; 1 Alto executor; 2 Alto utility;
 * 3-9 free for tests and apps.
 */
export const ANVIL_DEV_KEYS: readonly Hex[] = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
  '0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba',
];

/** The chain id of the dev chain. */
export const DEV_CHAIN_ID = 31337;

/** Options shared by the process starters. */
export interface StartProcessOptions {
  port: number;
  logFile: string;
  verbose?: boolean;
  signal?: AbortSignal;
}

/** How often anvil writes its state file while it runs (it also writes it when it stops on SIGTERM). */
export const CHAIN_STATE_INTERVAL_SECONDS = 30;

/** How long anvil may take to write its state file and exit after SIGTERM before it is killed. */
export const ANVIL_STOP_GRACE_MS = 20_000;

/**
 * Starts anvil (hardfork osaka: P-256 precompile at 0x100) on 127.0.0.1 and waits for `eth_chainId`.
 * With `stateFile`, the chain is loaded from it when it exists and written back every
 * {@link CHAIN_STATE_INTERVAL_SECONDS} and at stop (anvil's `--state`), blocks included: the same genesis
 * block, contracts and accounts after a restart. `onSpawn` receives the process at once, so a caller can
 * stop it even if readiness fails.
 *
 * @example
 * ```ts
 * const anvil = await startAnvil({ port: 8545, logFile: 'anvil.log', stateFile: 'chain/anvil-state.json' }, (p) => started.push(p));
 * ```
 */
export async function startAnvil(
  // `hardfork`: default osaka; tests compare with 'prague' (no P-256 precompile).
  options: StartProcessOptions & { stateFile?: string; hardfork?: string },
  onSpawn: (proc: ManagedProcess) => void,
): Promise<ManagedProcess> {
  if (options.stateFile) mkdirSync(dirname(options.stateFile), { recursive: true });
  const proc = spawnLogged({
    name: 'anvil',
    command: foundryBinary('anvil'),
    args: [
      '--host',
      '127.0.0.1',
      '--port',
      String(options.port),
      '--hardfork',
      options.hardfork ?? 'osaka',
      '--chain-id',
      String(DEV_CHAIN_ID),
      ...(options.stateFile
        ? ['--state', options.stateFile, '--state-interval', String(CHAIN_STATE_INTERVAL_SECONDS)]
        : []),
    ],
    logFile: options.logFile,
    verbose: options.verbose,
    // Writing a long chain's state takes seconds: give it time before SIGKILL.
    stopGraceMs: ANVIL_STOP_GRACE_MS,
  });
  onSpawn(proc);
  const url = `http://127.0.0.1:${options.port}`;
  await waitForReady(
    proc,
    async () => (await jsonRpc<string>(url, 'eth_chainId')) !== undefined,
    30_000,
    options.signal,
  );
  return proc;
}

/**
 * Starts Alto (the ERC-4337 bundler) for EntryPoint v0.8 against `rpcUrl`, with anvil dev keys 1 (executor)
 * and 2 (utility), `--safe-mode false` (safe mode fails against anvil), and waits for
 * `eth_supportedEntryPoints`. Alto has no host option: it listens on all interfaces.
 *
 * @example
 * ```ts
 * await startAlto({ port: 4337, logFile: 'alto.log', rpcUrl: 'http://127.0.0.1:8545' }, (p) => started.push(p));
 * ```
 */
export async function startAlto(
  options: StartProcessOptions & { rpcUrl: string; entryPoint?: Address },
  onSpawn: (proc: ManagedProcess) => void,
): Promise<ManagedProcess> {
  const proc = spawnLogged({
    name: 'alto',
    command: process.execPath,
    args: [
      altoCli(),
      '--entrypoints',
      options.entryPoint ?? ENTRY_POINT_V08,
      '--rpc-url',
      options.rpcUrl,
      '--safe-mode',
      'false',
      '--port',
      String(options.port),
      // Plain JSON lines, and no line per RPC answer from the chain (public_client logs every eth_call and
      // eth_getCode at info: MBs an hour): warnings and errors of that module, info of the others.
      '--json',
      '--log-level',
      'info',
      '--public-client-log-level',
      'warn',
    ],
    // Keys by environment (Alto reads ALTO_*), so they stay out of `ps` and the log's command line.
    env: {
      ...process.env,
      ALTO_EXECUTOR_PRIVATE_KEYS: ANVIL_DEV_KEYS[1],
      ALTO_UTILITY_PRIVATE_KEY: ANVIL_DEV_KEYS[2],
    },
    logFile: options.logFile,
    verbose: options.verbose,
  });
  onSpawn(proc);
  const url = `http://127.0.0.1:${options.port}`;
  await waitForReady(
    proc,
    async () => (await jsonRpc<string[]>(url, 'eth_supportedEntryPoints')).length > 0,
    120_000,
    options.signal,
  );
  return proc;
}

/**
 * Gives `addresses` a balance on the dev chain (anvil_setBalance).
 *
 * @example
 * ```ts
 * await fundAccounts('http://127.0.0.1:8545', ['0x…'], 100n * 10n ** 18n);
 * ```
 */
export async function fundAccounts(
  rpcUrl: string,
  addresses: readonly Address[],
  wei: bigint,
): Promise<void> {
  for (const address of addresses) {
    await jsonRpc(rpcUrl, 'anvil_setBalance', [address, `0x${wei.toString(16)}`]);
  }
}
