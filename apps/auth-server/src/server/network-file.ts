import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AuthServerNetwork } from './index.ts';

/**
 * The dev stack's state directory, the same rule as `npm run dev`: `$ZKSSO_DEV_STATE_DIR`, else
 * `$XDG_STATE_HOME/zksso/dev`, else `~/.local/state/zksso/dev`.
 *
 * @example
 * ```ts
 * devStateDir(); // '/home/me/.local/state/zksso/dev'
 * ```
 */
export function devStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ZKSSO_DEV_STATE_DIR) return env.ZKSSO_DEV_STATE_DIR;
  return join(env.XDG_STATE_HOME ?? join(env.HOME ?? homedir(), '.local', 'state'), 'zksso', 'dev');
}

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
export function readDevStack(stateDir: string = devStateDir()): {
  network: AuthServerNetwork;
  idp: { issuer: string; clientId: string };
} {
  const path = join(stateDir, 'stack.json');
  let ready: {
    chainId: number;
    urls: { rpc: string; bundler: string; salt: string; prover?: string };
    idp: { issuer: string; clientIds: string[] };
    addresses: Record<string, `0x${string}`>;
  };
  try {
    ready = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new Error(`no running dev stack: ${path} is missing (start \`npm run dev\` first)`);
  }
  const a = ready.addresses;
  const need = (name: string): `0x${string}` => {
    const value = a[name];
    if (!value) throw new Error(`${path}: addresses.${name} is missing`);
    return value;
  };
  return {
    network: {
      chainId: ready.chainId,
      rpcUrl: ready.urls.rpc,
      bundlerUrl: ready.urls.bundler,
      saltUrl: ready.urls.salt,
      proverUrl: ready.urls.prover ?? '',
      clientIds: [...ready.idp.clientIds],
      local: true,
      addresses: {
        entryPoint: need('entryPoint'),
        factory: need('accountFactory'),
        zkLoginValidator: need('zkLoginValidator'),
        sessionKeyValidator: need('sessionKeyValidator'),
        webAuthnValidator: need('webAuthnValidator'),
        jwkRegistry: need('jwkRegistry'),
        ...(a.recoveryModule ? { recoveryModule: a.recoveryModule } : {}),
      },
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
