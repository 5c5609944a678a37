// End to end, as a user would: the real dev stack (anvil, contracts, Alto, dev OpenID provider, salt,
// prover with the tier-576 circuit) and the `zksso` binary in child processes, with --json.
// Three logins (a proof each, about a minute on a small machine); one 60-second allowance period waited
// out in real time (Alto checks validity windows against its own clock).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DevStack, stackReadyDocument, startDevStack } from '@zksso/devstack';
import { type Address, createPublicClient, http, parseEther } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/zksso.mjs', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  json: () => Record<string, unknown>;
  error: () => { code: string; message: string; details: Record<string, unknown>; exitCode: number };
}

let stack: DevStack;
let root: string;
let stateDir: string;
const homes = { alice: '', bob: '', aliceShort: '' };

function zksso(home: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args, '--json'], {
      env: { ...process.env, ZKSSO_CLI_HOME: home, ZKSSO_DEV_STATE_DIR: stateDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout,
        stderr,
        json: () => JSON.parse(stdout),
        error: () => JSON.parse(stderr.trim().split('\n').at(-1) as string).error,
      }),
    );
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Waits (real time) until a new 60-second period has just begun. No block is mined here: the dev stack keeps
 * anvil's clock current itself (an idle chain would leave the latest block in the previous period).
 */
async function freshPeriod(): Promise<void> {
  const nextStart = (Math.floor(nowSeconds() / 60) + 1) * 60;
  await sleep((nextStart - nowSeconds()) * 1000 + 1000);
}

async function proverRequests(): Promise<number> {
  const text = await (await fetch(`${stack.urls.prover}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('zksso_prover_requests_total'))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'zksso-cli-e2e-'));
  stateDir = join(root, 'stack');
  for (const name of Object.keys(homes) as (keyof typeof homes)[]) homes[name] = join(root, `home-${name}`);
  stack = await startDevStack({
    ports: { anvil: 0, bundler: 0, idp: 0, salt: 0, prover: 0 },
    stateDir,
    onStatus: (line) => process.stderr.write(`devstack: ${line}\n`),
  });
  // What `npm run dev` writes when ready, and the SDK's loadDevStackNetwork reads.
  const ready = stackReadyDocument(stack);
  writeFileSync(join(stateDir, 'stack.json'), `${JSON.stringify(ready)}\n`);
});

afterAll(async () => {
  await stack?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('zksso against the real dev stack', () => {
  const accounts = { alice: '' as Address, bob: '' as Address };
  const publicClient = () => createPublicClient({ transport: http(stack.urls.rpc) });
  const balance = (address: Address) => publicClient().getBalance({ address });
  const recipient = privateKeyToAccount(generatePrivateKey()).address;
  const shop = privateKeyToAccount(generatePrivateKey()).address;
  let sessionHash = '';
  let shortExpiry = 0;

  it('logs in bob and alice (different accounts), and alice again (same account)', async () => {
    const before = await proverRequests();
    const bob = await zksso(homes.bob, ['login', '--issuer', 'dev', '--user', 'bob']);
    expect(bob.code, bob.stderr).toBe(0);
    accounts.bob = bob.json().address as Address;
    expect(bob.stderr).toContain('"step":"proof"');

    const alice = await zksso(homes.alice, [
      'login',
      '--issuer',
      'dev',
      '--user',
      'alice',
      '--expires-in',
      '1h',
    ]);
    expect(alice.code, alice.stderr).toBe(0);
    accounts.alice = alice.json().address as Address;
    expect(accounts.alice).not.toBe(accounts.bob);
    // The key file is private; the key is never printed.
    expect(statSync(join(homes.alice, 'login.json')).mode & 0o777).toBe(0o600);
    expect(alice.stdout + alice.stderr).not.toMatch(/ephemeralPrivateKey|PrivateKey/);

    // A short login for the expiry check at the end: it runs out while the session steps run.
    const again = await zksso(homes.aliceShort, [
      'login',
      '--issuer',
      'dev',
      '--user',
      'alice',
      '--expires-in',
      '150s',
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json().address).toBe(accounts.alice);
    shortExpiry = again.json().expiry as number;
    expect(await proverRequests()).toBe(before + 3);

    const address = await zksso(homes.alice, ['address']);
    expect(address.json().address).toBe(accounts.alice);
  });

  it('sends a transfer (proof on first use), then again with the registered key and no new proof', async () => {
    const funded = await zksso(homes.alice, ['fund', '--value', '10']);
    expect(funded.code, funded.stderr).toBe(0);
    expect(await balance(accounts.alice)).toBe(parseEther('10'));
    const provedBefore = await proverRequests();

    const first = await zksso(homes.alice, ['send', '--to', recipient, '--value', '0.01']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json()).toMatchObject({
      from: accounts.alice,
      to: recipient,
      value: parseEther('0.01').toString(),
    });
    expect(first.json().signatureMode).toBe('proof');
    expect(await balance(recipient)).toBe(parseEther('0.01'));

    const second = await zksso(homes.alice, ['send', '--to', recipient, '--value', '20000000gwei']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.json().signatureMode).toBe('key');
    expect(await balance(recipient)).toBe(parseEther('0.03'));
    expect(await proverRequests()).toBe(provedBefore);
  });

  it('creates a session with a 60-second allowance, spends within it, is refused over it, and spends again next period', async () => {
    const created = await zksso(homes.alice, [
      'session',
      'create',
      '--to',
      shop,
      '--max-per-tx',
      '0.001',
      '--allowance',
      '0.0015/60s',
      '--expires-in',
      '1h',
    ]);
    expect(created.code, created.stderr).toBe(0);
    sessionHash = created.json().sessionHash as string;
    expect(sessionHash).toMatch(/^0x[0-9a-f]{64}$/);

    // Both spends must land in one period: start at the beginning of a fresh one.
    await freshPeriod();
    const within = await zksso(homes.alice, ['session', 'send', '--to', shop, '--value', '0.001']);
    expect(within.code, within.stderr).toBe(0);
    expect(await balance(shop)).toBe(parseEther('0.001'));

    const over = await zksso(homes.alice, ['session', 'send', '--to', shop, '--value', '0.001']);
    expect(over.code, over.stderr).toBe(4);
    const error = over.error();
    expect(error.code).toBe('SESSION_LIMIT_EXCEEDED');
    expect(error.details.remaining).toBe(parseEther('0.0005').toString());
    const resetsAt = error.details.resetsAt as number;
    expect(resetsAt % 60).toBe(0);
    expect(resetsAt).toBeGreaterThan(nowSeconds() - 5);
    expect(await balance(shop)).toBe(parseEther('0.001'));

    const list = await zksso(homes.alice, ['session', 'list']);
    expect(list.code, list.stderr).toBe(0);
    const [session] = list.json().sessions as {
      sessionHash: string;
      status: string;
      limits: Record<string, unknown>[];
    }[];
    expect(session?.sessionHash).toBe(sessionHash);
    expect(session?.status).toBe('active');
    const transfer = session?.limits.find((l) => l.policy === 'transfer');
    expect(transfer).toMatchObject({
      kind: 'allowance',
      limit: parseEther('0.0015').toString(),
      used: parseEther('0.001').toString(),
      remaining: parseEther('0.0005').toString(),
      period: 60,
      resetsAt,
    });
    expect(session?.limits.find((l) => l.policy === 'fee')).toMatchObject({ kind: 'lifetime' });

    while (nowSeconds() < resetsAt + 1) await sleep(1000);
    const next = await zksso(homes.alice, [
      'session',
      'send',
      '--to',
      shop,
      '--value',
      '0.001',
      '--session',
      sessionHash,
    ]);
    expect(next.code, next.stderr).toBe(0);
    expect(await balance(shop)).toBe(parseEther('0.002'));
  });

  it('revokes the session, which is then refused', async () => {
    const revoked = await zksso(homes.alice, ['session', 'revoke', sessionHash]);
    expect(revoked.code, revoked.stderr).toBe(0);
    const refused = await zksso(homes.alice, [
      'session',
      'send',
      '--to',
      shop,
      '--value',
      '0.0001',
      '--session',
      sessionHash,
    ]);
    expect(refused.code, refused.stderr).toBe(4);
    expect(refused.error().code).toBe('SESSION_NOT_ACTIVE');
    const list = await zksso(homes.alice, ['session', 'list']);
    expect((list.json().sessions as { status: string }[])[0]?.status).toBe('revoked');
    expect(await balance(shop)).toBe(parseEther('0.002'));
  });

  it('refuses to send once the login has expired (exit code 3)', async () => {
    while (nowSeconds() <= shortExpiry) await sleep(1000);
    const expired = await zksso(homes.aliceShort, ['send', '--to', recipient, '--value', '0.001']);
    expect(expired.code, expired.stderr).toBe(3);
    expect(expired.error().code).toBe('EPHEMERAL_KEY_EXPIRED');
    expect(await balance(recipient)).toBe(parseEther('0.03'));
  });

  it('answers with exit code 5 when the stack is not running', async () => {
    const nowhere = await zksso(homes.bob, [
      'send',
      '--to',
      recipient,
      '--value',
      '0.001',
      '--state-dir',
      join(root, 'none'),
    ]);
    expect(nowhere.code).toBe(5);
    expect(nowhere.error().code).toBe('DEV_STACK_NOT_RUNNING');
  });
});
