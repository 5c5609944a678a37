import { join } from 'node:path';
import { CliUsageError } from './errors.ts';
import type { SoftwareCredentialExport, ZkSsoNetwork } from './sdk.ts';
import { type CliStore, readJsonFile, writeSecretFile } from './state.ts';

// DEVELOPMENT ONLY. Passkeys need a browser and a real authenticator; on the dev stack the CLI stands in one
// with the SDK's software authenticator, whose P-256 private keys it keeps in a mode-0600 file of the CLI
// home. Anyone who reads that file holds the accounts: hence refused on any network that is not a dev stack.

/** The relying party id and origin of the CLI's software passkeys (a secure-context host, as a browser's). */
export const CLI_PASSKEY_RP_ID = 'localhost';
export const CLI_PASSKEY_ORIGIN = 'http://localhost';

/** The line every passkey command prints, so nobody mistakes the software passkey for a real one. */
export const DEV_ONLY_NOTE =
  'DEV STACK ONLY: a software passkey whose private key is kept in a file, never for real funds';

/** `passkey-device.json`: the software authenticator's credentials (private keys: SECRET). */
export interface SavedPasskeyDevice {
  version: 1;
  origin: string;
  credentials: SoftwareCredentialExport[];
}

/** The device file of a CLI home. @example `passkeyDeviceFile(store); // '~/.local/state/zksso/cli/passkey-device.json'` */
export function passkeyDeviceFile(store: CliStore): string {
  return join(store.home, 'passkey-device.json');
}

/**
 * The saved software authenticator's credentials (none yet: an empty device).
 *
 * @example
 * ```ts
 * const device = readPasskeyDevice(store); // { version: 1, origin: 'http://localhost', credentials: [...] }
 * ```
 */
export function readPasskeyDevice(store: CliStore): SavedPasskeyDevice {
  const saved = readJsonFile<SavedPasskeyDevice>(passkeyDeviceFile(store));
  return saved?.version === 1 ? saved : { version: 1, origin: CLI_PASSKEY_ORIGIN, credentials: [] };
}

/** Saves the device (mode 0600). @example `writePasskeyDevice(store, { version: 1, origin, credentials })` */
export function writePasskeyDevice(store: CliStore, device: SavedPasskeyDevice): void {
  writeSecretFile(passkeyDeviceFile(store), `${JSON.stringify(device, null, 2)}\n`);
}

/**
 * Refuses the software passkey anywhere but a dev stack (a network with the dev OpenID provider).
 *
 * @throws CliUsageError (exit code 2).
 * @example
 * ```ts
 * assertDevStack(network, 'passkey create');
 * ```
 */
export function assertDevStack(network: ZkSsoNetwork, command: string): void {
  if (!network.devIssuer && !network.local) {
    throw new CliUsageError(
      `zksso ${command} works on the dev stack only (a software passkey, its key in a file); use a browser and the auth server elsewhere`,
      { command },
    );
  }
}
