import type { Command, CommandContext } from '../context.ts';
import { table } from '../output.ts';
import {
  assertDevStack,
  CLI_PASSKEY_ORIGIN,
  CLI_PASSKEY_RP_ID,
  DEV_ONLY_NOTE,
  passkeyDeviceFile,
  readPasskeyDevice,
  writePasskeyDevice,
} from '../passkey-device.ts';
import type { PasskeyCredential, SoftwareAuthenticator, ZkSsoNetwork } from '../sdk.ts';
import type { SavedPasskey } from '../state.ts';

/** The CLI's software authenticator with the saved credentials (dev stack only). */
async function device(ctx: CommandContext): Promise<SoftwareAuthenticator> {
  const sdk = await ctx.sdk();
  const saved = readPasskeyDevice(ctx.store);
  return sdk.createSoftwareAuthenticator({ origin: saved.origin, credentials: saved.credentials });
}

function savePasskeyLogin(
  ctx: CommandContext,
  network: ZkSsoNetwork,
  address: `0x${string}`,
  passkey: PasskeyCredential,
  name?: string,
): void {
  const saved: SavedPasskey = {
    credentialId: passkey.credentialId,
    publicKey: { x: passkey.publicKey.x.toString(), y: passkey.publicKey.y.toString() },
    rpId: passkey.rpId,
    origin: passkey.origin,
    ...(name ? { name } : {}),
  };
  // Replaces any earlier login (OpenID or passkey), as `zksso login` does.
  ctx.store.writeLogin({
    version: 1,
    issuerOption: 'passkey',
    savedAt: ctx.nowSeconds(),
    session: { address, chainId: network.chainId, issuer: 'passkey' },
    passkey: saved,
  });
}

/** The saved passkey of a login, as the SDK takes it. @example `passkeyFromSaved(login.passkey)` */
export function passkeyFromSaved(saved: SavedPasskey): PasskeyCredential {
  return {
    credentialId: saved.credentialId,
    publicKey: { x: BigInt(saved.publicKey.x), y: BigInt(saved.publicKey.y) },
    rpId: saved.rpId,
    origin: saved.origin,
  };
}

/**
 * `zksso passkey create`: a passkey account on the dev stack, signed by the CLI's software authenticator.
 *
 * @example
 * ```ts
 * await runCli(['passkey', 'create', '--name', 'alice', '--json']);
 * ```
 */
export const passkeyCreateCommand: Command = {
  name: 'passkey create',
  summary: 'DEV STACK ONLY: sign up with a software passkey (key kept in a file); logs in as its account',
  usage: `Usage: zksso passkey create [--name <name>]

DEV STACK ONLY. Passkeys live in browsers and authenticators; to show a passkey account from the command line,
the CLI stands in a software authenticator (P-256 keys of the SDK's createSoftwareAuthenticator) and keeps its
PRIVATE KEYS in passkey-device.json in the CLI home (mode 0600). Refused on any network but the dev stack.

Creates a new passkey (rpId ${CLI_PASSKEY_RP_ID}, origin ${CLI_PASSKEY_ORIGIN}) and logs in as its account on the
WebAuthnValidator, replacing any earlier login. Nothing is sent: the first \`zksso send\` deploys the account
(\`zksso fund\` first, the account pays its own gas). In a browser, the auth server's "Sign up with a passkey"
does the same with a real authenticator.

  --name <name>   the name stored with the passkey (default "zksso-cli")`,
  options: { name: { type: 'string' } },
  run: async (ctx) => {
    const network = await ctx.network();
    assertDevStack(network, 'passkey create');
    const name = (ctx.values.name as string | undefined) ?? 'zksso-cli';
    const sdk = await ctx.sdk();
    const authenticator = await device(ctx);
    ctx.progress('passkey', DEV_ONLY_NOTE);
    const { account, passkey } = await sdk.createPasskeyAccount({
      network,
      rpId: CLI_PASSKEY_RP_ID,
      name,
      authenticator,
    });
    writePasskeyDevice(ctx.store, {
      version: 1,
      origin: CLI_PASSKEY_ORIGIN,
      credentials: authenticator.exportCredentials(),
    });
    savePasskeyLogin(ctx, network, account.address, passkey, name);
    return {
      json: {
        address: account.address,
        chainId: network.chainId,
        credentialId: passkey.credentialId,
        rpId: passkey.rpId,
        devOnly: true,
      },
      human: [
        `Created a passkey and its account (${DEV_ONLY_NOTE}).`,
        ...table([
          ['address', account.address],
          ['credential', passkey.credentialId],
          ['device file', passkeyDeviceFile(ctx.store)],
          ['deployed', 'on the first send (zksso fund, then zksso send)'],
        ]),
      ],
    };
  },
};

/**
 * `zksso passkey login`: the account of a saved software passkey, found on chain (no server database).
 *
 * @example
 * ```ts
 * await runCli(['passkey', 'login', '--json']);
 * ```
 */
export const passkeyLoginCommand: Command = {
  name: 'passkey login',
  summary: 'DEV STACK ONLY: sign in with the saved software passkey; its account is found on chain',
  usage: `Usage: zksso passkey login

DEV STACK ONLY (see zksso passkey create). Signs in with the newest passkey of the CLI's software
authenticator (passkey-device.json): the SDK's loginWithPasskey signs a random challenge, recovers the public key
and finds the account on chain (WebAuthnValidator accountsOf), as a browser does on another device. A passkey
whose account is not deployed yet gives its counterfactual address.`,
  options: {},
  run: async (ctx) => {
    const network = await ctx.network();
    assertDevStack(network, 'passkey login');
    const sdk = await ctx.sdk();
    const authenticator = await device(ctx);
    ctx.progress('passkey', DEV_ONLY_NOTE);
    const { account, passkey, accounts } = await sdk.loginWithPasskey({
      network,
      rpId: CLI_PASSKEY_RP_ID,
      authenticator,
    });
    savePasskeyLogin(ctx, network, account.address, passkey);
    return {
      json: {
        address: account.address,
        chainId: network.chainId,
        credentialId: passkey.credentialId,
        accounts,
        devOnly: true,
      },
      human: [
        `Signed in with the software passkey (${DEV_ONLY_NOTE}).`,
        ...table([
          ['address', account.address],
          ['credential', passkey.credentialId],
          ...(accounts.length > 1
            ? ([['also signs for', accounts.filter((a) => a !== account.address).join(', ')]] as [
                string,
                string,
              ][])
            : []),
        ]),
      ],
    };
  },
};
