// End to end, as a user would: the real dev stack (anvil, contracts, Alto, dev OpenID provider, salt,
// prover with the tier-576 circuit; the ONE stack the global setup started for every end-to-end project,
// ../../devstack/test/support/shared-stack.ts) and the `zksso` binary in child processes, with --json.
// Three logins (a proof each); one 60-second allowance period rolls over in real time: Alto checks validity
// windows against its own clock, and moving the shared chain's clock would expire the other files' keys and
// sessions. The test waits only for the rollover (and for the current period's end when too little of it is
// left for the in-period steps). Refusals (over the balance, a reverting call, a refused login, a reset
// chain) cost no proof.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwkRegistryAbi } from '@zksso/contracts';
import { freePort, type ManagedProcess, startAnvil } from '@zksso/devstack';
import { type Address, createPublicClient, encodeFunctionData, http, parseEther } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type CountingProxy, startCountingProxy } from '../../devstack/test/support/counting-proxy.ts';
import type { SharedDevStack } from '../../devstack/test/support/shared-stack.ts';
import { type CliRun, runCli } from './support/run-cli.ts';

/**
 * Dev user names of this run: the shared stack's other files log in too, and the same name is the same
 * account (same subject, same salt), so each run's are its own.
 */
const RUN = Math.random().toString(36).slice(2, 8);
const USER = { alice: `cli-alice-${RUN}`, mallory: `cli-mallory-${RUN}` };

let stack: SharedDevStack;
/** The shared prover behind a proxy that counts this file's proof requests (other files prove meanwhile). */
let prover: CountingProxy;
let root: string;
let stateDir: string;
const homes = { alice: '', mallory: '', aliceShort: '', refused: '' };
/** A second anvil with the dev chain id: the dev chain as a saved login finds it after a reset. */
let resetChain: ManagedProcess | undefined;

function zksso(home: string, args: string[]): Promise<CliRun> {
  return runCli({ home, stateDir }, args);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Seconds the in-period steps (three CLI runs and a list) may take, Alto's 5 s margin included. */
const STEPS_SECONDS = 35;

/**
 * Returns at once when the current 60-second period has {@link STEPS_SECONDS} left, else waits (real time)
 * until the next one has just begun. No block is mined here: the dev stack keeps anvil's clock current itself
 * (an idle chain would leave the latest block in the previous period).
 */
async function periodWithRoom(): Promise<void> {
  const nextStart = (Math.floor(nowSeconds() / 60) + 1) * 60;
  if (nextStart - nowSeconds() >= STEPS_SECONDS) return;
  await sleep((nextStart - nowSeconds()) * 1000 + 1000);
}

const proverRequests = async (): Promise<number> => prover.count();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'zksso-cli-e2e-'));
  stateDir = join(root, 'stack');
  mkdirSync(stateDir, { recursive: true });
  for (const name of Object.keys(homes) as (keyof typeof homes)[]) homes[name] = join(root, `home-${name}`);
  stack = inject('zksso.devStack');
  prover = await startCountingProxy(
    stack.urls.prover ?? '',
    (method, path) => method === 'POST' && path === '/v1',
  );
  // The shared stack's ready document (what `npm run dev` writes and the SDK's loadDevStackNetwork reads), with
  // the prover behind this file's counter.
  writeFileSync(
    join(stateDir, 'stack.json'),
    `${JSON.stringify({ ...stack, urls: { ...stack.urls, prover: prover.url } })}\n`,
  );
});

afterAll(async () => {
  await resetChain?.stop();
  await prover?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('zksso against the real dev stack', () => {
  const accounts = { alice: '' as Address, mallory: '' as Address };
  const publicClient = () => createPublicClient({ transport: http(stack.urls.rpc) });
  const balance = (address: Address) => publicClient().getBalance({ address });
  const recipient = privateKeyToAccount(generatePrivateKey()).address;
  const shop = privateKeyToAccount(generatePrivateKey()).address;
  let sessionHash = '';
  let shortExpiry = 0;

  it('refuses a login the dev provider refuses with LOGIN_REFUSED (exit 4), before any proof', async () => {
    const before = await proverRequests();
    const badClient = await zksso(homes.refused, [
      'login',
      '--issuer',
      'dev',
      '--user',
      USER.mallory,
      '--client-id',
      'no-such-client',
    ]);
    expect(badClient.code, badClient.stderr).toBe(4);
    expect(badClient.error()).toMatchObject({ code: 'LOGIN_REFUSED', details: { by: 'idp' } });
    const badName = await zksso(homes.refused, ['login', '--issuer', 'dev', '--user', 'not a name']);
    expect(badName.code, badName.stderr).toBe(4);
    expect(badName.error()).toMatchObject({
      code: 'LOGIN_REFUSED',
      details: { by: 'idp', status: 400, code: 'DEV_IDP_INVALID_USER' },
    });
    expect(await proverRequests()).toBe(before);
  });

  it('suggests the nearest command for a typo', async () => {
    const typo = await zksso(homes.alice, ['sned', '--to', recipient]);
    expect(typo.code).toBe(2);
    expect(typo.error().details).toMatchObject({ suggestion: 'send' });
  });

  it('logs in mallory (any user name) and alice (different accounts), and alice again (same account)', async () => {
    const before = await proverRequests();
    const mallory = await zksso(homes.mallory, ['login', '--issuer', 'dev', '--user', USER.mallory]);
    expect(mallory.code, mallory.stderr).toBe(0);
    accounts.mallory = mallory.json().address as Address;
    expect(mallory.stderr).toContain('"step":"proof"');

    const alice = await zksso(homes.alice, [
      'login',
      '--issuer',
      'dev',
      '--user',
      USER.alice,
      '--expires-in',
      '1h',
    ]);
    expect(alice.code, alice.stderr).toBe(0);
    accounts.alice = alice.json().address as Address;
    expect(accounts.alice).not.toBe(accounts.mallory);
    // The key file is private; the key is never printed.
    expect(statSync(join(homes.alice, 'login.json')).mode & 0o777).toBe(0o600);
    expect(alice.stdout + alice.stderr).not.toMatch(/ephemeralPrivateKey|PrivateKey/);

    // A short login for the expiry check at the end: long enough for the prover to accept its expiry, past
    // by the time the session steps are done.
    const again = await zksso(homes.aliceShort, [
      'login',
      '--issuer',
      'dev',
      '--user',
      USER.alice,
      '--expires-in',
      '20s',
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
    expect(first.json().signatureMode).toBe('prove');
    expect(await balance(recipient)).toBe(parseEther('0.01'));

    const second = await zksso(homes.alice, ['send', '--to', recipient, '--value', '20000000gwei']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.json().signatureMode).toBe('key');
    expect(await balance(recipient)).toBe(parseEther('0.03'));
    expect(await proverRequests()).toBe(provedBefore);
  });

  it('refuses, before sending, more than the balance and a call that would revert (exit 4, nothing paid)', async () => {
    const held = await balance(accounts.alice);
    const over = await zksso(homes.alice, ['send', '--to', recipient, '--value', '100']);
    expect(over.code, over.stderr).toBe(4);
    const error = over.error();
    expect(error.code).toBe('CALL_WOULD_REVERT');
    expect(error.details).toMatchObject({
      kind: 'insufficient-balance',
      balance: held.toString(),
      value: parseEther('100').toString(),
    });
    expect(error.message).toMatch(/^the account holds \d+(\.\d+)? ETH, the calls send 100 ETH/);

    const addKey = encodeFunctionData({
      abi: jwkRegistryAbi,
      functionName: 'addKey',
      args: [1n, 2n],
    });
    const reverting = await zksso(homes.alice, [
      'send',
      '--to',
      stack.addresses.jwkRegistry,
      '--data',
      addKey,
    ]);
    expect(reverting.code, reverting.stderr).toBe(4);
    expect(reverting.error()).toMatchObject({
      code: 'CALL_WOULD_REVERT',
      details: {
        kind: 'custom-error',
        callIndex: 0,
        errorName: 'OwnableUnauthorizedAccount',
        reason: `OwnableUnauthorizedAccount(account=${accounts.alice})`,
      },
    });
    expect(await balance(accounts.alice)).toBe(held);
    expect(await balance(recipient)).toBe(parseEther('0.03'));
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

    // Both spends must land in one period: start with enough of it left.
    await periodWithRoom();
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
    // Without --session: the newest saved session is the revoked one, and that is what the user is told.
    const plain = await zksso(homes.alice, ['session', 'send', '--to', shop, '--value', '0.0001']);
    expect(plain.code, plain.stderr).toBe(4);
    expect(plain.error()).toMatchObject({
      code: 'SESSION_NOT_ACTIVE',
      details: { status: 'revoked', sessionHash },
    });
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

  it('tells a login and sessions made before the dev chain was reset (exit 3, chain-reset)', async () => {
    const port = await freePort();
    resetChain = await startAnvil({ port, logFile: join(root, 'reset-anvil.log') }, () => {});
    const resetDir = join(root, 'reset-stack');
    mkdirSync(resetDir, { recursive: true });
    writeFileSync(
      join(resetDir, 'stack.json'),
      `${JSON.stringify({ ...stack, urls: { ...stack.urls, rpc: `http://127.0.0.1:${port}` } })}\n`,
    );
    const send = await zksso(homes.alice, [
      'send',
      '--to',
      recipient,
      '--value',
      '0.001',
      '--state-dir',
      resetDir,
    ]);
    expect(send.code, send.stderr).toBe(3);
    expect(send.error()).toMatchObject({ code: 'CHAIN_CHANGED', details: { where: 'login' } });
    expect(send.error().message).toContain('the dev chain was reset since');
    const list = await zksso(homes.alice, ['session', 'list', '--state-dir', resetDir]);
    expect(list.code, list.stderr).toBe(0);
    expect((list.json().sessions as { status: string }[])[0]?.status).toBe('chain-reset');
  });

  it('answers with exit code 5 when the stack is not running', async () => {
    const nowhere = await zksso(homes.mallory, [
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
