import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DevStackReady, devStackNetwork, type ZkSsoNetwork } from '@zksso/sdk';
import { devStackStateDir } from '@zksso/sdk/node';
import type { Address } from 'viem';
import type { AuthServerNetwork } from './index.ts';

/**
 * Reads a running dev stack's `<stateDir>/stack.json` (written by `npm run dev` when ready) as the auth
 * server's network and dev IdP.
 *
 * @throws Error naming the file when there is no running stack.
 * @example
 * ```ts
 * const { network, idp } = readDevStack();
 * ```
 */
export function readDevStack(stateDir: string = devStackStateDir()): {
  network: AuthServerNetwork;
  idp: { issuer: string; clientId: string };
} {
  const path = join(stateDir, 'stack.json');
  let ready: DevStackReady & { addresses: { recoveryModule?: Address } };
  let network: ZkSsoNetwork;
  try {
    ready = JSON.parse(readFileSync(path, 'utf8'));
    network = devStackNetwork(ready);
  } catch {
    throw new Error(`no running dev stack: ${path} is missing or unreadable (start \`npm run dev\` first)`);
  }
  const { recoveryModule } = ready.addresses;
  return {
    network: {
      ...network,
      addresses: { ...network.addresses, ...(recoveryModule ? { recoveryModule } : {}) },
    },
    idp: { issuer: ready.idp.issuer, clientId: ready.idp.clientIds[0] ?? 'zksso-dev' },
  };
}

/**
 * Reads an operator's network file: JSON with the fields of {@link AuthServerNetwork}.
 *
 * @example
 * ```ts
 * const network = readNetworkFile('/etc/zksso/network.json');
 * ```
 */
export function readNetworkFile(path: string): AuthServerNetwork {
  const value = JSON.parse(readFileSync(path, 'utf8')) as AuthServerNetwork;
  for (const field of ['rpcUrl', 'bundlerUrl', 'saltUrl'] as const)
    if (typeof value[field] !== 'string') throw new Error(`${path}: ${field} must be a URL`);
  if (!Number.isSafeInteger(value.chainId)) throw new Error(`${path}: chainId must be an integer`);
  if (!Array.isArray(value.clientIds)) throw new Error(`${path}: clientIds must be a list`);
  if (typeof value.addresses !== 'object' || value.addresses === null)
    throw new Error(`${path}: addresses is missing`);
  return { ...value, proverUrl: value.proverUrl ?? '' };
}
