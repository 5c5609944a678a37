// `zksso passkey` end to end on the ONE shared dev stack (../../devstack/test/support/shared-stack.ts): the
// binary in child processes with --json, the SDK's software authenticator standing in for a browser's (dev
// stack only). No proof: a passkey account needs none.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Address, createPublicClient, http, parseEther } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SharedDevStack } from '../../devstack/test/support/shared-stack.ts';
import { type CliRun, runCli } from './support/run-cli.ts';

let stack: SharedDevStack;
let root: string;
let stateDir: string;

function zksso(home: string, args: string[], json = true): Promise<CliRun> {
  return runCli({ home, stateDir }, args, json);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'zksso-cli-passkey-'));
  stateDir = join(root, 'stack');
  mkdirSync(stateDir, { recursive: true });
  stack = inject('zksso.devStack');
  writeFileSync(join(stateDir, 'stack.json'), `${JSON.stringify(stack)}\n`);
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('zksso passkey against the real dev stack (software passkey, dev only)', () => {
  const laptop = () => join(root, 'home-laptop');
  const other = () => join(root, 'home-other');
  const recipient = privateKeyToAccount(generatePrivateKey()).address;
  let address = '' as Address;
  const balance = (a: Address) =>
    createPublicClient({ transport: http(stack.urls.rpc) }).getBalance({ address: a });

  it('creates a passkey account, labelled dev only, with its key in a 0600 device file', async () => {
    const created = await zksso(laptop(), ['passkey', 'create', '--name', 'alice']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.json()).toMatchObject({ devOnly: true, rpId: 'localhost' });
    expect(created.stderr).toContain('DEV STACK ONLY');
    address = created.json().address as Address;
    expect(address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(statSync(join(laptop(), 'passkey-device.json')).mode & 0o777).toBe(0o600);
    const shown = await zksso(laptop(), ['address']);
    expect(shown.json()).toMatchObject({ address, passkey: created.json().credentialId });
    const human = await zksso(laptop(), ['passkey', 'create', '--help'], false);
    expect(human.stdout).toContain('DEV STACK ONLY');
  });

  it('funds it and sends: the first operation deploys the account, signed by the passkey', async () => {
    expect((await zksso(laptop(), ['fund', '--value', '1'])).code).toBe(0);
    const sent = await zksso(laptop(), ['send', '--to', recipient, '--value', '0.01']);
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.json()).toMatchObject({ from: address, signatureMode: 'passkey' });
    expect(await balance(recipient)).toBe(parseEther('0.01'));
    const again = await zksso(laptop(), ['send', '--to', recipient, '--value', '0.01']);
    expect(again.code, again.stderr).toBe(0);
    expect(await balance(recipient)).toBe(parseEther('0.02'));
  });

  it('signs in again elsewhere with the same device: the same account, found on chain', async () => {
    mkdirSync(other(), { recursive: true, mode: 0o700 });
    copyFileSync(join(laptop(), 'passkey-device.json'), join(other(), 'passkey-device.json'));
    const login = await zksso(other(), ['passkey', 'login']);
    expect(login.code, login.stderr).toBe(0);
    expect(login.json()).toMatchObject({ address, accounts: [address], devOnly: true });
    const sent = await zksso(other(), ['send', '--to', recipient, '--value', '0.01']);
    expect(sent.code, sent.stderr).toBe(0);
    expect(await balance(recipient)).toBe(parseEther('0.03'));
  });

  it('with no saved passkey, passkey login answers PASSKEY_NOT_FOUND (exit 3)', async () => {
    const none = await zksso(join(root, 'home-empty'), ['passkey', 'login']);
    expect(none.code, none.stderr).toBe(3);
    expect(none.error().code).toBe('PASSKEY_NOT_FOUND');
  });
});
