import { type DevStackReady, devStackNetwork } from '@zksso/sdk';
import type { Address } from 'viem';

/**
 * What the apps need to know about the running stack: the fields of its ready document the SDK reads, plus
 * the RecoveryModule the auth server's account page uses. Receipts are polled every 100 ms: the SDK's
 * {@link devStackNetwork} marks the network local (anvil mines at once and Alto bundles at once, so viem's
 * default 4 s interval would make each send in the browser wait up to 4 s more).
 */
export type AppsStackInput = DevStackReady & { addresses: { recoveryModule?: Address } };

/** The web apps of the stack: the auth server (popup wallet) and the demo dapp, on two origins. */
export interface DevApps {
  urls: {
    /** The auth server's origin, `http://localhost:<port>`: passkeys need a domain as relying party id. */
    authServer: string;
    /** The demo dapp, `http://127.0.0.1:<port>`: another origin than the auth server, as on the web. */
    demo: string;
  };
  stop(): Promise<void>;
}

/**
 * The auth server's public URL: the server binds 127.0.0.1, and browsers reach it as `localhost` (a WebAuthn
 * relying party id must be a domain, not an IP address; `localhost` is a secure context like 127.0.0.1).
 * The demo stays on `127.0.0.1`, so the two are different origins, as a dapp and its wallet always are.
 *
 * @example
 * ```ts
 * authServerPublicUrl('http://127.0.0.1:5560'); // 'http://localhost:5560'
 * ```
 */
export function authServerPublicUrl(boundUrl: string): string {
  const url = new URL(boundUrl);
  if (url.hostname === '127.0.0.1') url.hostname = 'localhost';
  return url.origin;
}

/**
 * Starts the auth server and the demo dapp against a running stack (each built with Vite first when its
 * sources changed: seconds, once). Loaded lazily, so a stack without apps never loads Vite. A failure
 * midway stops what was started.
 *
 * @example
 * ```ts
 * const apps = await startApps({ stack, ports: { authServer: 5560, demo: 5561 }, onStatus: console.log });
 * console.log(apps.urls.demo);
 * await apps.stop();
 * ```
 */
export async function startApps(options: {
  stack: AppsStackInput;
  ports: { authServer: number; demo: number };
  onStatus?: (line: string) => void;
}): Promise<DevApps> {
  const { stack, ports, onStatus } = options;
  const network = devStackNetwork(stack);
  const { startAuthServer } = await import('@zksso/auth-server');
  const { startDemo } = await import('@zksso/demo');
  const auth = await startAuthServer({
    network: {
      ...network,
      addresses: {
        ...network.addresses,
        ...(stack.addresses.recoveryModule ? { recoveryModule: stack.addresses.recoveryModule } : {}),
      },
    },
    idp: { issuer: stack.idp.issuer },
    port: ports.authServer,
    host: '127.0.0.1',
    ...(onStatus ? { onStatus } : {}),
  });
  const authServer = authServerPublicUrl(auth.url);
  try {
    const demo = await startDemo({
      authServerUrl: authServer,
      network,
      port: ports.demo,
      host: '127.0.0.1',
      ...(onStatus ? { onStatus } : {}),
    });
    return {
      urls: { authServer, demo: demo.url },
      stop: async () => {
        await demo.close();
        await auth.close();
      },
    };
  } catch (error) {
    await auth.close();
    throw error;
  }
}
