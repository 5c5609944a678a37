import { existsSync, rmSync } from 'node:fs';
import type { Address, Hex } from 'viem';
import { type DevApps, startApps } from './apps.ts';
import { DEV_CHAIN_ID } from './chain.ts';
import { ensureContractsBuilt } from './contracts.ts';
import type { Deployment } from './deploy/deploy.ts';
import { StartupAbortedError } from './errors.ts';
import type { RegistryKey } from './jwk.ts';
import { DEFAULT_PORTS, type DevStackPorts, resolvePorts, type ServiceName } from './ports.ts';
import { defaultStateDir, openStateDir, rotateLogs } from './state.ts';
import { startChain } from './steps/chain.ts';
import { type BuiltCircuits, buildCircuits } from './steps/circuits.ts';
import { registerIdpKeys } from './steps/jwk-oracle.ts';
import { createLifecycle, type ProcessCrash } from './steps/lifecycle.ts';
import { startProver } from './steps/prover.ts';
import { DEV_CLIENT_IDS, startBundler, startIdp, startSalt } from './steps/services.ts';

export type { ProcessCrash } from './steps/lifecycle.ts';

/** Options of {@link startDevStack}; everything has a default. */
export interface DevStackOptions {
  /** Ports on 127.0.0.1 (default {@link DEFAULT_PORTS}); 0 picks a free port. */
  ports?: Partial<DevStackPorts>;
  /** State directory (default {@link defaultStateDir}). */
  stateDir?: string;
  /**
   * Start the prover service (default true). It needs each tier's circuit and DEVELOPMENT key: built on the
   * first run (minutes, with progress), reused later. `false` skips both, and no Groth16 verifier is deployed.
   */
  prover?: boolean;
  /**
   * Start the web apps too (default false; `npm run dev` turns them on): the auth server (popup wallet) at
   * `http://localhost:<authServer port>` and the demo dapp at `http://127.0.0.1:<demo port>`, two origins.
   */
  apps?: boolean;
  /** anvil's hardfork (default osaka, with the P-256 precompile); `prague` has none (tests of the fallback). */
  hardfork?: 'osaka' | 'prague';
  /** Tiers the prover serves and verifiers are deployed for (default: the smallest tier). */
  tiers?: readonly number[];
  /** Circuit artifact cache (default `$ZKSSO_CACHE_DIR` or `~/.cache/zksso`). */
  cacheDir?: string;
  /** A stand-in circuit instead of zkLogin (tests: builds in seconds; the prover then cannot prove tokens). */
  circuit?: { sourceDir: string; mainSource: (tier: number) => string };
  /** Extra addresses to give 100 ETH. */
  fund?: readonly Address[];
  /** `auto` (default): `forge build` when an artifact is missing or older than a source; `always`; `never`. */
  buildContracts?: 'auto' | 'always' | 'never';
  /** Copy every child's and service's log to stderr too. */
  verbose?: boolean;
  /**
   * Start the chain over (default false): the chain is otherwise kept in the state directory across restarts
   * (anvil `--state`, blocks and all), so accounts, sessions and the deployment survive. `true` deletes it
   * (and the JWK oracle's state, which follows that chain) first; the dev IdP keys and the salt seed stay.
   */
  fresh?: boolean;
  /** Receives one-line status messages (default: none). */
  onStatus?: (line: string) => void;
  /** Aborting stops startup: everything started so far is stopped and {@link StartupAbortedError} thrown. */
  signal?: AbortSignal;
}

/** URLs of a running stack. */
export interface DevStackUrls {
  rpc: string;
  bundler: string;
  idp: string;
  jwks: string;
  salt: string;
  /** Absent when the prover is not running. */
  prover?: string;
  /** The auth server (popup wallet) and the demo dapp, when `apps` is on. */
  authServer?: string;
  demo?: string;
}

/** A running dev stack. */
export interface DevStack {
  urls: DevStackUrls;
  ports: DevStackPorts;
  chainId: number;
  /** Hash of the chain's block 0: the same after a restart on the kept chain, another one after `fresh`. */
  genesisHash: Hex;
  /** Where the chain is kept, whether this start loaded it, and whether the contracts were there already. */
  chainState: { file: string; loaded: boolean; contractsKept: boolean };
  addresses: Deployment;
  stateDir: string;
  /** The dev IdP's issuer and client ids (audiences the salt service accepts). */
  idp: { issuer: string; clientIds: string[] };
  /** The dev IdP keys registered in the JwkRegistry, and how. */
  jwk: { via: 'jwk-oracle'; keys: RegistryKey[] };
  /** Whether the prover runs; `reason` says why not. */
  prover: { running: boolean; tiers: number[]; reason?: string };
  /** Funded accounts for tests and apps (anvil's dev accounts 3-5 plus `fund`). */
  testAccounts: Address[];
  /** Child processes (anvil, Alto) with their pids and log files. */
  processes: { name: string; pid: number; logFile: string }[];
  /** Resolves if a child process exits on its own (not through `stop()`): the stack is then broken. */
  crashed: Promise<ProcessCrash>;
  /** Stops everything it started, in reverse order. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the local zkSSO stack: anvil (osaka, chain 31337), the contracts (deterministic CREATE2 deployment),
 * Alto, the dev OpenID provider, the salt service (derived mode, dev seed in the state directory), the prover
 * (building its circuit tier on the first run), the JWK oracle, which registers the dev IdP's keys in the
 * JwkRegistry and keeps following its key rotations, and with `apps` the auth server and the demo dapp.
 * Ports are checked before anything starts; a failure midway stops whatever was started. Each step is a
 * module of `steps/` (and `apps.ts`); this function only puts them in order.
 *
 * @example
 * ```ts
 * const stack = await startDevStack({ ports: { anvil: 0, bundler: 0, idp: 0, salt: 0 }, prover: false });
 * console.log(stack.urls.rpc, stack.addresses.accountFactory);
 * await stack.stop();
 * ```
 */
export async function startDevStack(options: DevStackOptions = {}): Promise<DevStack> {
  const life = createLifecycle({
    ...(options.onStatus ? { onStatus: options.onStatus } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const { status } = life;
  const verbose = options.verbose ?? false;
  const withProver = options.prover ?? true;
  const services: ServiceName[] = [
    'anvil',
    'bundler',
    'idp',
    'salt',
    ...(withProver ? ['prover' as const] : []),
    ...(options.apps ? (['authServer', 'demo'] as const) : []),
  ];
  const ports = await resolvePorts({ ...DEFAULT_PORTS, ...options.ports }, services);
  const state = openStateDir(options.stateDir ?? defaultStateDir());
  status(`state directory ${state.dir}`);
  // The ports are free, so no other stack runs on this directory: its logs can start afresh.
  rotateLogs(state);
  if (options.fresh) {
    rmSync(state.chainState, { force: true });
    rmSync(state.oracleState, { force: true });
    status('--fresh: the chain starts over');
  }
  const chainWasKept = existsSync(state.chainState);

  try {
    // 1. Contracts and circuits (first run only), before anything listens.
    await life.abortable(ensureContractsBuilt(options.buildContracts ?? 'auto', state.log('forge'), status));
    life.checkpoint();
    const circuits: BuiltCircuits | undefined = withProver
      ? await buildCircuits(life, state, {
          ...(options.tiers ? { tiers: options.tiers } : {}),
          ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
          ...(options.circuit ? { circuit: options.circuit } : {}),
        })
      : undefined;
    life.checkpoint();
    // Builds can take minutes: make sure no port was taken meanwhile, with the same clear message.
    await resolvePorts(ports, services);

    // 2. Chain and contracts.
    const chain = await startChain(life, state, {
      port: ports.anvil,
      chainWasKept,
      verifiers: circuits?.verifiers ?? [],
      verbose,
      ...(options.hardfork ? { hardfork: options.hardfork } : {}),
      ...(options.fund ? { fund: options.fund } : {}),
    });
    life.checkpoint();

    // 3. Bundler.
    const bundlerUrl = await startBundler(life, state, {
      port: ports.bundler,
      rpcUrl: chain.rpcUrl,
      entryPoint: chain.addresses.entryPoint,
      verbose,
    });
    life.checkpoint();

    // 4. Dev OpenID provider.
    const idp = await startIdp(life, state, { port: ports.idp });
    life.checkpoint();

    // 5. Salt service (derived mode, dev seed).
    const saltUrl = await startSalt(life, state, { port: ports.salt, idp, verbose });
    life.checkpoint();

    // 6. Prover.
    const proverUrl = circuits
      ? await startProver(life, state, {
          port: ports.prover,
          idp,
          tiers: circuits.tiers,
          artifacts: circuits.artifacts,
          verbose,
          ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
        })
      : undefined;
    life.checkpoint();

    // 7. The dev IdP's keys into the JwkRegistry, through the JWK oracle.
    const keys = await registerIdpKeys(life, state, {
      idp,
      rpcUrl: chain.rpcUrl,
      registry: chain.addresses.jwkRegistry,
      ownerKey: chain.deployerKey,
      verbose,
    });
    life.checkpoint();

    const clientIds = [...DEV_CLIENT_IDS];
    const urls: DevStackUrls = {
      rpc: chain.rpcUrl,
      bundler: bundlerUrl,
      idp: idp.issuer,
      jwks: idp.jwksUri,
      salt: saltUrl,
      ...(proverUrl ? { prover: proverUrl } : {}),
    };

    // 8. The web apps (auth server, demo dapp), loaded only when asked for: they build with Vite.
    let apps: DevApps | undefined;
    if (options.apps) {
      // Not abortable: once started, the apps must be in the cleanups (an abort is seen just after).
      apps = await startApps({
        stack: {
          chainId: DEV_CHAIN_ID,
          urls,
          idp: { issuer: idp.issuer, clientIds },
          addresses: chain.addresses,
        },
        ports,
        onStatus: status,
      });
      const started = apps;
      life.onStop('auth server and demo', () => started.stop());
      status(`auth server at ${apps.urls.authServer}, demo at ${apps.urls.demo}`);
      life.checkpoint();
    }

    return {
      urls: { ...urls, ...(apps ? apps.urls : {}) },
      ports,
      chainId: DEV_CHAIN_ID,
      genesisHash: chain.genesisHash,
      chainState: { file: state.chainState, loaded: chainWasKept, contractsKept: chain.contractsKept },
      addresses: chain.addresses,
      stateDir: state.dir,
      idp: { issuer: idp.issuer, clientIds },
      jwk: { via: 'jwk-oracle', keys },
      prover: {
        running: proverUrl !== undefined,
        tiers: proverUrl && circuits ? circuits.tiers : [],
        ...(withProver ? {} : { reason: 'disabled (--no-prover)' }),
      },
      testAccounts: chain.testAccounts,
      processes: life.processes.map((p) => ({ name: p.name, pid: p.pid, logFile: p.logFile })),
      crashed: life.crashed,
      stop: () => life.stop(),
    };
  } catch (error) {
    await life.stop();
    if (options.signal?.aborted) throw new StartupAbortedError();
    throw error;
  }
}
