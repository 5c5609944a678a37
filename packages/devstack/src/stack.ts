import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TierArtifacts } from '@zksso/circuits';
import { DEV_CLIENT_ID, DEV_CLIENT_ID_OTHER, startDevIdp } from '@zksso/dev-idp';
import { loadConfig as loadSaltConfig, startSaltService } from '@zksso/salt';
import {
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  parseEther,
  zeroAddress,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { ANVIL_DEV_KEYS, DEV_CHAIN_ID, fundAccounts, startAlto, startAnvil } from './chain.ts';
import { keepChainTimeCurrent } from './chain-clock.ts';
import { compileVerifier, ensureContractsBuilt } from './contracts.ts';
import { loadAccountAbstractionArtifact } from './deploy/artifacts.ts';
import { type Deployment, deploy, type VerifierDeployment } from './deploy/deploy.ts';
import { StartupAbortedError } from './errors.ts';
import { isKeyRegistered, issuerRegistryKeys, type RegistryKey } from './jwk.ts';
import { fileLogger, lineWriter } from './logs.ts';
import { DEFAULT_PORTS, type DevStackPorts, resolvePorts, type ServiceName } from './ports.ts';
import { jsonRpc, type ManagedProcess } from './processes.ts';
import { defaultStateDir, devSaltSeed, openStateDir, rotateLogs } from './state.ts';

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

/** A child process that exited on its own. */
export interface ProcessCrash {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  logFile: string;
}

interface Cleanup {
  name: string;
  stop: () => Promise<void>;
}

/**
 * Starts the local zkSSO stack: anvil (osaka, chain 31337), the contracts (deterministic CREATE2 deployment),
 * Alto, the dev OpenID provider, the salt service (derived mode, dev seed in the state directory), the prover
 * (building its circuit tier on the first run) and the JWK oracle, which registers the dev IdP's keys in the
 * JwkRegistry and keeps following its key rotations. Ports are checked before anything starts; a failure
 * midway stops whatever was started.
 *
 * @example
 * ```ts
 * const stack = await startDevStack({ ports: { anvil: 0, bundler: 0, idp: 0, salt: 0 }, prover: false });
 * console.log(stack.urls.rpc, stack.addresses.accountFactory);
 * await stack.stop();
 * ```
 */
export async function startDevStack(options: DevStackOptions = {}): Promise<DevStack> {
  const status = options.onStatus ?? (() => {});
  const signal = options.signal;
  const verbose = options.verbose ?? false;
  const withProver = options.prover ?? true;
  const services: ServiceName[] = [
    'anvil',
    'bundler',
    'idp',
    'salt',
    ...(withProver ? ['prover' as const] : []),
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

  const cleanups: Cleanup[] = [];
  const processes: ManagedProcess[] = [];
  let stopped: Promise<void> | undefined;
  const stopAll = (): Promise<void> => {
    stopped ??= (async () => {
      while (cleanups.length > 0) {
        const cleanup = cleanups.pop() as Cleanup;
        status(`stopping ${cleanup.name}`);
        await cleanup
          .stop()
          .catch((error: unknown) => status(`${cleanup.name} did not stop cleanly: ${String(error)}`));
      }
    })();
    return stopped;
  };
  const checkpoint = () => {
    if (signal?.aborted) throw new StartupAbortedError();
  };
  const abortable = <T>(work: Promise<T>): Promise<T> => {
    if (!signal) return work;
    // A step left behind by an abort may still fail later (its process is gone): nobody waits for it.
    work.catch(() => {});
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(new StartupAbortedError());
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  };
  let reportCrash: (crash: ProcessCrash) => void = () => {};
  const crashed = new Promise<ProcessCrash>((resolve) => {
    reportCrash = resolve;
  });
  const track = (proc: ManagedProcess) => {
    processes.push(proc);
    cleanups.push({ name: proc.name, stop: () => proc.stop() });
    proc.onExit((code, exitSignal) => {
      if (!stopped) reportCrash({ name: proc.name, code, signal: exitSignal, logFile: proc.logFile });
    });
  };

  try {
    // 1. Contracts and circuits (first run only), before anything listens.
    await abortable(ensureContractsBuilt(options.buildContracts ?? 'auto', state.log('forge'), status));
    checkpoint();

    const tiers = [...(options.tiers ?? [])];
    const built: TierArtifacts[] = [];
    let proverModule: typeof import('@zksso/prover') | undefined;
    // Loaded lazily: the prover pulls in snarkjs and the circuit tooling, which `--no-prover` never needs.
    if (withProver) proverModule = await import('@zksso/prover');
    const verifiers: VerifierDeployment[] = [];
    if (proverModule) {
      const circuits = await import('@zksso/circuits');
      if (tiers.length === 0) tiers.push(circuits.TIERS[0]?.maxSignedBytes ?? 576);
      for (const tier of tiers) {
        // One line per 5 % or per 15 s: a first build takes minutes and reports every second.
        let lastStep = -1;
        let lastAt = 0;
        const artifacts = await abortable(
          circuits.ensureTierArtifacts(tier, {
            ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
            ...(options.circuit ?? {}),
            log: (line) => status(line),
            onProgress: (p) => {
              const step = Math.floor(p.fraction * 20);
              if (step === lastStep && Date.now() - lastAt < 15_000) return;
              lastStep = step;
              lastAt = Date.now();
              status(`circuit tier ${tier}: ${circuits.formatProgress(p)}`);
            },
          }),
        );
        built.push(artifacts);
        status(
          `circuit tier ${tier}: ${artifacts.constraints} constraints, DEVELOPMENT KEY (not for production)`,
        );
        verifiers.push({ tier, bytecode: await compileVerifier(artifacts, state.verifiers) });
      }
    }
    checkpoint();

    // Builds can take minutes: make sure no port was taken meanwhile, with the same clear message.
    await resolvePorts(ports, services);

    // 2. Chain and contracts.
    const rpcUrl = `http://127.0.0.1:${ports.anvil}`;
    status(`starting anvil on ${rpcUrl}`);
    await startAnvil(
      { port: ports.anvil, logFile: state.log('anvil'), verbose, signal, stateFile: state.chainState },
      track,
    );
    const genesis = await jsonRpc<{ hash: Hex }>(rpcUrl, 'eth_getBlockByNumber', ['0x0', false]);
    const latestBlock = Number(await jsonRpc<string>(rpcUrl, 'eth_blockNumber'));
    if (chainWasKept) {
      const size = (statSync(state.chainState).size / 1e6).toFixed(1);
      status(
        `chain loaded from ${state.chainState} (${latestBlock} blocks, ${size} MB; --fresh starts over)`,
      );
    }
    // Blocks while idle, as a real chain makes them: see keepChainTimeCurrent.
    const chainClock = keepChainTimeCurrent(rpcUrl);
    cleanups.push({ name: 'chain clock', stop: () => chainClock.stop() });
    checkpoint();
    const deployerKey = ANVIL_DEV_KEYS[0] as Hex;
    // deploy() skips every contract whose deterministic address has code already: on a kept chain it sends
    // nothing and answers the same addresses.
    const deployerNonce = () =>
      jsonRpc<string>(rpcUrl, 'eth_getTransactionCount', [
        privateKeyToAccount(deployerKey).address,
        'latest',
      ]);
    const nonceBefore = await deployerNonce();
    status(chainWasKept ? 'checking the contracts on the kept chain' : 'deploying the contracts');
    const addresses = await abortable(deploy({ rpcUrl, deployerKey, verifiers, outFile: state.addresses }));
    const contractsKept = (await deployerNonce()) === nonceBefore;
    if (chainWasKept)
      status(contractsKept ? 'contracts already deployed: kept' : 'deployed missing contracts');
    await depositForPaymaster(rpcUrl, deployerKey, addresses);
    const testAccounts = [
      ...ANVIL_DEV_KEYS.slice(3).map((k) => privateKeyToAccount(k).address),
      ...(options.fund ?? []),
    ];
    if (options.fund?.length) await fundAccounts(rpcUrl, options.fund, parseEther('100'));
    checkpoint();

    // 3. Bundler.
    const bundlerUrl = `http://127.0.0.1:${ports.bundler}`;
    status(`starting Alto (bundler) on ${bundlerUrl}`);
    await startAlto(
      {
        port: ports.bundler,
        logFile: state.log('alto'),
        verbose,
        signal,
        rpcUrl,
        entryPoint: addresses.entryPoint,
      },
      track,
    );
    checkpoint();

    // 4. Dev OpenID provider.
    const idp = await abortable(startDevIdp({ port: ports.idp, stateDir: state.idpKeys }));
    cleanups.push({ name: 'dev OpenID provider', stop: () => idp.stop() });
    status(`dev OpenID provider at ${idp.issuer}`);
    checkpoint();

    // 5. Salt service (derived mode, dev seed).
    const saltConfig = loadSaltConfig({
      SALT_MODE: 'derived',
      SALT_MASTER_SEED: devSaltSeed(state),
      SALT_HOST: '127.0.0.1',
      SALT_PORT: String(ports.salt),
      SALT_ISSUERS: idp.issuer,
      SALT_JWKS_URIS: `${idp.issuer}=${idp.jwksUri}`,
      SALT_AUDIENCES: [DEV_CLIENT_ID, DEV_CLIENT_ID_OTHER].join(','),
      SALT_SQLITE_PATH: join(state.dir, 'salt.sqlite'),
      // Dev loops log in often: the production rate limits would get in the way.
      SALT_RATE_IP_PER_MIN: '6000',
      SALT_RATE_IP_BURST: '200',
      SALT_RATE_SUBJECT_PER_MIN: '600',
      SALT_RATE_SUBJECT_BURST: '100',
      SALT_SHUTDOWN_TIMEOUT_MS: '2000',
      LOG_LEVEL: 'info',
    });
    const salt = await abortable(
      startSaltService({ config: saltConfig, logger: fileLogger('salt', state.log('salt'), verbose) }),
    );
    cleanups.push({ name: 'salt service', stop: () => salt.close() });
    status(`salt service at ${salt.url}`);
    checkpoint();

    // 6. Prover.
    let proverUrl: string | undefined;
    if (proverModule) {
      const { createProverService, DEFAULT_CONFIG } = proverModule;
      const byTier = new Map(built.map((a) => [a.tier, a]));
      const service = createProverService(
        {
          ...DEFAULT_CONFIG,
          host: '127.0.0.1',
          port: ports.prover,
          issuers: [{ issuer: idp.issuer, jwksUri: idp.jwksUri }],
          // The prover refuses tokens for client ids it was not given (AUDIENCE_NOT_ALLOWED).
          audiences: [DEV_CLIENT_ID, DEV_CLIENT_ID_OTHER].map((audience) => ({
            audience,
            issuer: idp.issuer,
          })),
          tiers,
          ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
          shutdownTimeoutMs: 10_000,
        },
        {
          logger: fileLogger('prover', state.log('prover'), verbose),
          loadTier: async (tier) => {
            const a = byTier.get(tier) as TierArtifacts;
            return {
              tier,
              wasmPath: a.wasmPath,
              zkeyPath: a.zkeyPath,
              witnessBinaryPath: a.witnessBinaryPath,
              vkey: a.vkey,
            };
          },
        },
      );
      cleanups.push({ name: 'prover', stop: () => service.close() });
      proverUrl = await abortable(service.listen());
      status(`prover at ${proverUrl} (tiers ${tiers.join(', ')})`);
    }
    checkpoint();

    // 7. The dev IdP's keys into the JwkRegistry, through the JWK oracle.
    const keys = await issuerRegistryKeys(idp.issuer, idp.jwksUri);
    const via: DevStack['jwk']['via'] = 'jwk-oracle';
    const oracleModule = await import('@zksso/jwk-oracle');
    const oracle = oracleModule.createJwkOracle({
      issuers: [{ issuer: idp.issuer, jwksUri: idp.jwksUri }],
      rpcUrl,
      registry: addresses.jwkRegistry,
      signer: { mode: 'owner', privateKey: deployerKey },
      // Dev: follow `POST /dev/rotate-keys` quickly.
      pollIntervalMs: 5_000,
      gracePeriodMs: 60_000,
      stateFile: state.oracleState,
      logger: oracleModule.jsonLineLogger(lineWriter(state.log('jwk-oracle'), verbose)),
    });
    const report = await abortable(oracle.reconcileOnce());
    if (!report.ok)
      throw new Error(
        `the JWK oracle could not register the dev IdP keys: ${JSON.stringify(report.issuers.map((i) => i.error))}`,
      );
    await oracle.start();
    cleanups.push({ name: 'JWK oracle', stop: () => oracle.stop() });
    for (const key of keys) {
      if (!(await isKeyRegistered(rpcUrl, addresses.jwkRegistry, key))) {
        throw new Error(`dev IdP key ${key.kid} is not valid in the JwkRegistry after registration`);
      }
    }
    status(`dev IdP keys registered in the JwkRegistry (${keys.length}, via ${via})`);
    checkpoint();

    return {
      urls: {
        rpc: rpcUrl,
        bundler: bundlerUrl,
        idp: idp.issuer,
        jwks: idp.jwksUri,
        salt: salt.url,
        ...(proverUrl ? { prover: proverUrl } : {}),
      },
      ports,
      chainId: DEV_CHAIN_ID,
      genesisHash: genesis.hash,
      chainState: { file: state.chainState, loaded: chainWasKept, contractsKept },
      addresses,
      stateDir: state.dir,
      idp: { issuer: idp.issuer, clientIds: [DEV_CLIENT_ID, DEV_CLIENT_ID_OTHER] },
      jwk: { via, keys },
      prover: {
        running: proverUrl !== undefined,
        tiers: proverUrl ? tiers : [],
        ...(withProver ? {} : { reason: 'disabled (--no-prover)' }),
      },
      testAccounts,
      processes: processes.map((p) => ({ name: p.name, pid: p.pid, logFile: p.logFile })),
      crashed,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    if (signal?.aborted) throw new StartupAbortedError();
    throw error;
  }
}

/** Tops the VerifyingPaymaster's EntryPoint deposit up to 10 ETH so sponsored operations work at once. */
async function depositForPaymaster(rpcUrl: string, key: Hex, addresses: Deployment): Promise<void> {
  if (addresses.verifyingPaymaster === zeroAddress) return;
  const chain = defineChain({
    id: addresses.chainId,
    name: 'zksso-dev',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const publicClient = createPublicClient({ chain, transport: http(rpcUrl) });
  const wallet = createWalletClient({ account: privateKeyToAccount(key), chain, transport: http(rpcUrl) });
  const entryPointAbi = loadAccountAbstractionArtifact('EntryPoint').abi;
  // A kept chain has the deposit already (less what sponsored operations spent): top up, no more.
  const deposit = (await publicClient.readContract({
    address: addresses.entryPoint,
    abi: entryPointAbi,
    functionName: 'balanceOf',
    args: [addresses.verifyingPaymaster],
  })) as bigint;
  const target = parseEther('10');
  if (deposit >= target) return;
  const hash = await wallet.writeContract({
    address: addresses.entryPoint,
    abi: entryPointAbi,
    functionName: 'depositTo',
    args: [addresses.verifyingPaymaster],
    value: target - deposit,
  });
  await publicClient.waitForTransactionReceipt({ hash });
}
