import { createServer } from 'node:net';
import { PortInUseError } from './errors.ts';

/** The services that listen on a port. */
export type ServiceName = 'anvil' | 'bundler' | 'idp' | 'salt' | 'prover' | 'authServer' | 'demo';

/** Ports of the stack; 0 picks a free one at start. */
export type DevStackPorts = Record<ServiceName, number>;

/** Default ports: the usual ones for a chain (8545) and a bundler (4337), then 5556-5558, the apps 5560-5561. */
export const DEFAULT_PORTS: Readonly<DevStackPorts> = Object.freeze({
  anvil: 8545,
  bundler: 4337,
  idp: 5556,
  salt: 5557,
  prover: 5558,
  authServer: 5560,
  demo: 5561,
});

/** The flag and environment variable that set each port (for messages and `--help`). */
export const PORT_OPTIONS: Readonly<Record<ServiceName, { option: string; env: string; label: string }>> =
  Object.freeze({
    anvil: { option: '--anvil-port', env: 'ZKSSO_DEV_ANVIL_PORT', label: 'anvil (chain RPC)' },
    bundler: { option: '--bundler-port', env: 'ZKSSO_DEV_BUNDLER_PORT', label: 'Alto (bundler)' },
    idp: { option: '--idp-port', env: 'ZKSSO_DEV_IDP_PORT', label: 'dev OpenID provider' },
    salt: { option: '--salt-port', env: 'ZKSSO_DEV_SALT_PORT', label: 'salt service' },
    prover: { option: '--prover-port', env: 'ZKSSO_DEV_PROVER_PORT', label: 'prover service' },
    authServer: { option: '--auth-port', env: 'ZKSSO_DEV_AUTH_PORT', label: 'auth server' },
    demo: { option: '--demo-port', env: 'ZKSSO_DEV_DEMO_PORT', label: 'demo dapp' },
  });

/**
 * Whether `port` can be bound on 127.0.0.1 now.
 *
 * @example
 * ```ts
 * if (!(await isPortFree(8545))) console.log('something already listens on 8545');
 * ```
 */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * A port the OS reports free on 127.0.0.1 (it may be taken again before use; the stack uses it at once).
 *
 * @example
 * ```ts
 * const port = await freePort();
 * ```
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port')),
      );
    });
  });
}

/**
 * Checks every requested port before anything starts, then replaces each 0 with a free port. Throws
 * {@link PortInUseError} naming the first taken (or repeated) port and the option that changes it.
 *
 * @example
 * ```ts
 * const ports = await resolvePorts({ ...DEFAULT_PORTS, prover: 0 }, ['anvil', 'bundler', 'idp', 'salt', 'prover']);
 * ```
 */
export async function resolvePorts(
  requested: DevStackPorts,
  services: readonly ServiceName[],
): Promise<DevStackPorts> {
  const resolved: DevStackPorts = { ...requested };
  const seen = new Map<number, ServiceName>();
  for (const service of services) {
    const port = requested[service];
    if (port === 0) continue;
    const { option, env, label } = PORT_OPTIONS[service];
    const other = seen.get(port);
    if (other !== undefined) {
      throw new PortInUseError(label, port, option, env, `is also given to ${PORT_OPTIONS[other].label}`);
    }
    seen.set(port, service);
    if (!(await isPortFree(port))) throw new PortInUseError(label, port, option, env);
  }
  for (const service of services) {
    if (resolved[service] !== 0) continue;
    let port = await freePort();
    while (seen.has(port)) port = await freePort();
    seen.set(port, service);
    resolved[service] = port;
  }
  return resolved;
}
