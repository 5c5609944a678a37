import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isAddress } from 'viem';
import { NetworkInvalidError } from './errors.ts';
import type { CliSdk, ZkSsoNetwork } from './sdk.ts';

const REQUIRED_ADDRESSES = ['entryPoint', 'factory', 'zkLoginValidator', 'sessionKeyValidator'] as const;

/**
 * Parses and checks a network file (`--network <file.json>`): a JSON `ZkSsoNetwork`.
 *
 * @throws NetworkInvalidError naming the first missing or malformed field.
 * @example
 * ```ts
 * const network = parseNetworkJson(readFileSync('net.json', 'utf8'), 'net.json');
 * ```
 */
export function parseNetworkJson(text: string, file: string): ZkSsoNetwork {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new NetworkInvalidError(file, 'not JSON');
  }
  if (json === null || typeof json !== 'object') throw new NetworkInvalidError(file, 'not a JSON object');
  const n = json as Record<string, unknown>;
  if (typeof n.chainId !== 'number' || !Number.isSafeInteger(n.chainId) || n.chainId <= 0) {
    throw new NetworkInvalidError(file, 'chainId must be a positive integer');
  }
  for (const key of ['rpcUrl', 'bundlerUrl', 'saltUrl', 'proverUrl'] as const) {
    if (typeof n[key] !== 'string' || !URL.canParse(n[key] as string)) {
      throw new NetworkInvalidError(file, `${key} must be a URL`);
    }
  }
  if (
    !Array.isArray(n.clientIds) ||
    n.clientIds.length === 0 ||
    !n.clientIds.every((c) => typeof c === 'string')
  ) {
    throw new NetworkInvalidError(file, 'clientIds must be a non-empty list of strings');
  }
  if (n.local !== undefined && typeof n.local !== 'boolean') {
    throw new NetworkInvalidError(file, 'local must be true or false');
  }
  if (
    n.pollingIntervalMs !== undefined &&
    (typeof n.pollingIntervalMs !== 'number' ||
      !Number.isFinite(n.pollingIntervalMs) ||
      n.pollingIntervalMs <= 0)
  ) {
    throw new NetworkInvalidError(file, 'pollingIntervalMs must be a positive number of milliseconds');
  }
  const addresses = n.addresses as Record<string, unknown> | undefined;
  if (addresses === null || typeof addresses !== 'object')
    throw new NetworkInvalidError(file, 'addresses is missing');
  for (const key of REQUIRED_ADDRESSES) {
    if (typeof addresses[key] !== 'string' || !isAddress(addresses[key] as string)) {
      throw new NetworkInvalidError(file, `addresses.${key} must be an address`);
    }
  }
  return json as ZkSsoNetwork;
}

/**
 * Where the network comes from: `--network <file>` if given, else the running dev stack's `stack.json` in
 * `--state-dir`, `$ZKSSO_DEV_STATE_DIR` or the devstack's default state directory (read by the SDK's
 * `loadDevStackNetwork`, which throws `DEV_STACK_NOT_RUNNING` when there is none).
 *
 * @example
 * ```ts
 * const network = resolveNetwork({ networkFile: undefined, stateDir: '/tmp/dev' }, sdk);
 * ```
 */
export function resolveNetwork(
  options: { networkFile: string | undefined; stateDir: string | undefined },
  sdk: Pick<CliSdk, 'loadDevStackNetwork'>,
): ZkSsoNetwork {
  if (options.networkFile !== undefined) {
    const file = resolve(options.networkFile);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new NetworkInvalidError(file, (error as NodeJS.ErrnoException).code ?? String(error));
    }
    return parseNetworkJson(text, file);
  }
  return options.stateDir === undefined
    ? sdk.loadDevStackNetwork()
    : sdk.loadDevStackNetwork(resolve(options.stateDir));
}
