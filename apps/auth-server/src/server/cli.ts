#!/usr/bin/env -S npx tsx
// The auth server for operators: `node --import tsx apps/auth-server/src/server/cli.ts --help`.
import { parseArgs } from 'node:util';
import { devStackStateDir } from '@zksso/sdk/node';
import { startAuthServer } from './index.ts';
import { readDevStack, readNetworkFile } from './network-file.ts';
import type { ProviderOption } from './providers.ts';

const USAGE = `zksso-auth-server: the zkSSO popup wallet (sign in, approve dapp requests, account page)

Usage: tsx apps/auth-server/src/server/cli.ts [options]

  --dev-stack            serve a running \`npm run dev\` (reads its stack.json in the default state dir)
  --state-dir <dir>      the same, from that state dir                 env ZKSSO_DEV_STATE_DIR
  --network <file>       network JSON (chainId, rpcUrl, bundlerUrl, saltUrl, proverUrl, clientIds, addresses)
  --provider <id=client> an OpenID provider: google=<client id>, or dev=<client id>@<issuer>; repeatable
  --port <n>             TCP port (default 5560; 0 = any free port)      env ZKSSO_AUTH_PORT
  --host <addr>          bind address (default 127.0.0.1)                env ZKSSO_AUTH_HOST
  --rp-id <host>         WebAuthn relying party id (default: the page's host)  env ZKSSO_AUTH_RP_ID
  --name <text>          wallet title (default zkSSO)                    env ZKSSO_AUTH_NAME
  --help

Environment: ZKSSO_AUTH_NETWORK (= --network), ZKSSO_AUTH_PROVIDERS (= --provider, comma-separated),
ZKSSO_DEV_STATE_DIR (the dev stack's state dir). Prints one JSON line {"event":"ready","url":…} when serving.
Stops on SIGINT/SIGTERM.`;

function parseProvider(text: string): ProviderOption {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new Error(`--provider ${text}: expected id=clientId or id=clientId@issuer`);
  const id = text.slice(0, eq);
  const rest = text.slice(eq + 1);
  const at = rest.indexOf('@');
  return at < 0 ? { id, clientId: rest } : { id, clientId: rest.slice(0, at), issuer: rest.slice(at + 1) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'dev-stack': { type: 'boolean' },
      'state-dir': { type: 'string' },
      network: { type: 'string' },
      provider: { type: 'string', multiple: true },
      port: { type: 'string' },
      host: { type: 'string' },
      'rp-id': { type: 'string' },
      name: { type: 'string' },
      help: { type: 'boolean' },
    },
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const env = process.env;
  const providers = [
    ...(values.provider ?? []),
    ...(env.ZKSSO_AUTH_PROVIDERS ? env.ZKSSO_AUTH_PROVIDERS.split(',') : []),
  ].map(parseProvider);
  const networkPath = values.network ?? env.ZKSSO_AUTH_NETWORK;
  let setup: Parameters<typeof startAuthServer>[0];
  if (networkPath) {
    setup = { network: readNetworkFile(networkPath), providers };
  } else if (values['dev-stack'] || values['state-dir']) {
    const { network, idp } = readDevStack(values['state-dir'] ?? devStackStateDir());
    setup = { network, idp, providers };
  } else {
    throw new Error('give --dev-stack (a running `npm run dev`) or --network <file>; see --help');
  }
  const port = Number(values.port ?? env.ZKSSO_AUTH_PORT ?? 5560);
  if (!Number.isSafeInteger(port) || port < 0 || port > 65_535)
    throw new Error(`--port ${values.port}: not a port`);
  const rpId = values['rp-id'] ?? env.ZKSSO_AUTH_RP_ID;
  const walletName = values.name ?? env.ZKSSO_AUTH_NAME;
  const server = await startAuthServer({
    ...setup,
    port,
    host: values.host ?? env.ZKSSO_AUTH_HOST ?? '127.0.0.1',
    ...(rpId ? { rpId } : {}),
    ...(walletName ? { walletName } : {}),
    onStatus: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(
    `${JSON.stringify({ event: 'ready', url: server.url, popup: `${server.url}/popup`, account: `${server.url}/account` })}\n`,
  );
  const stop = () => {
    server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`zksso-auth-server: ${(error as Error).message}\n`);
  process.exit(2);
});
