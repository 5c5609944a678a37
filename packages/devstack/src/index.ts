// @zksso/devstack: the one-command local zkSSO stack (`npm run dev`).
export {
  type AppsStackInput,
  authServerPublicUrl,
  type DevApps,
  startApps,
} from './apps.ts';
export { altoCli, foundryBinary } from './binaries.ts';
export { ANVIL_DEV_KEYS, DEV_CHAIN_ID, fundAccounts, startAlto, startAnvil } from './chain.ts';
export { type ChainClock, type ChainClockOptions, keepChainTimeCurrent } from './chain-clock.ts';
export { type CliOptions, parseCliArgs, USAGE } from './cli-args.ts';
export { buildContracts, compileVerifier, contractsBuildReason, ensureContractsBuilt } from './contracts.ts';
export * from './deploy/index.ts';
export { DevStackOptionError, PortInUseError, ProcessFailedError, StartupAbortedError } from './errors.ts';
export { isKeyRegistered, issuerRegistryKeys, type RegistryKey } from './jwk.ts';
export {
  DEFAULT_PORTS,
  type DevStackPorts,
  freePort,
  isPortFree,
  PORT_OPTIONS,
  resolvePorts,
  type ServiceName,
} from './ports.ts';
export { jsonRpc, type ManagedProcess, spawnLogged } from './processes.ts';
export { stackReadyDocument } from './ready.ts';
export {
  type DevStack,
  type DevStackOptions,
  type DevStackUrls,
  type ProcessCrash,
  startDevStack,
} from './stack.ts';
export { defaultStateDir, openStateDir, type StatePaths } from './state.ts';
export { formatSummary } from './summary.ts';
