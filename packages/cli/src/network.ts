import { resolve } from 'node:path';
import { InvalidNetworkError, loadZkSsoNetwork } from '@zksso/sdk/node';
import { NetworkInvalidError } from './errors.ts';
import type { CliSdk, ZkSsoNetwork } from './sdk.ts';

/**
 * Where the network comes from: `--network <file>` if given (read and checked by the SDK's `loadZkSsoNetwork`), else the running dev stack's `stack.json` in
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
    try {
      return loadZkSsoNetwork(file);
    } catch (error) {
      if (error instanceof InvalidNetworkError)
        throw new NetworkInvalidError(file, String(error.details.reason));
      throw error;
    }
  }
  return options.stateDir === undefined
    ? sdk.loadDevStackNetwork()
    : sdk.loadDevStackNetwork(resolve(options.stateDir));
}
