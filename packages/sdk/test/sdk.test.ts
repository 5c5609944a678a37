import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwkRegistryAbi } from '@zksso/contracts';
import { computeNonce, decodeJwt } from '@zksso/core';
import { freePort, type ManagedProcess, startAnvil } from '@zksso/devstack';
import { type Address, encodeFunctionData, formatEther, type Hex, parseEther, sliceHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZkLoginSmartAccount } from '../src/accounts/zklogin-account.ts';
import { createSession } from '../src/actions/createSession.ts';
import { createZkLoginAccount } from '../src/actions/createZkLoginAccount.ts';
import { getSessionState } from '../src/actions/getSessionState.ts';
import { restoreZkLoginAccount } from '../src/actions/restoreZkLoginAccount.ts';
import { revokeSession } from '../src/actions/revokeSession.ts';
import { sendCalls } from '../src/actions/sendCalls.ts';
import { sendSessionCalls } from '../src/actions/sendSessionCalls.ts';
import { createZkSsoClients } from '../src/clients.ts';
import {
  CallWouldRevertError,
  ChainChangedError,
  EphemeralKeyExpiredError,
  LoginRefusedError,
  ProofRefusedError,
  SessionLimitExceededError,
  SessionNotActiveError,
  WrongChainError,
} from '../src/errors.ts';
import { fetchIdToken } from '../src/id-token.ts';
import type { SessionRecord } from '../src/session-record.ts';
import type { ZkLoginSession } from '../src/zklogin-session.ts';
import { type SdkTestStack, startSdkTestStack } from './stack.ts';

// The SDK end to end against the REAL shared dev stack (test/stack.ts): dev IdP tokens, the salt service, real
// Groth16 proofs from the prover (three logins in all, made once in beforeAll), Alto and the deployed
// contracts. Session periods are 30 s and roll over in real time: Alto checks validity windows against its own
// clock, and moving the shared chain's clock would expire the other files' keys and sessions (the contracts'
// session test, on a chain of its own, moves both clocks instead: packages/contracts/test/alto/session.test.ts).
// A test waits only for what it needs: the rest of the current period when too little is left for its
// steps, and the rollover itself.

/** Allowance period of the session's transfer policy, seconds. */
const PERIOD = 30;
/**
 * Seconds a test's in-period steps may take: Alto's 5 s margin (it refuses an op whose window ends sooner) and
 * room for a send and a refused send on a loaded machine.
 */
const STEPS_SECONDS = 15;
/**
 * Lifetime of the short login's key: long enough for the prover to accept it (it refuses an expiry already
 * past), short enough to be past, or inside the SDK's 10 s margin, by the time the other logins are proved.
 */
const SHORT_EXPIRY_SECONDS = 20;

/**
 * Dev user names of this run: the shared stack's other files log in too, and the same name is the same
 * account (same subject, same salt), so each run's are its own.
 */
const RUN = Math.random().toString(36).slice(2, 8);
const USER = {
  alice: `sdk-alice-${RUN}`,
  bob: `sdk-bob-${RUN}`,
  mallory: `sdk-mallory-${RUN}`,
  carol: `sdk-carol-${RUN}`,
};

const wallClock = () => Math.floor(Date.now() / 1000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const caught = async (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('@zksso/sdk on a real dev stack', () => {
  let t: SdkTestStack;
  let alice: { account: ZkLoginSmartAccount; session: ZkLoginSession };
  let aliceShort: { account: ZkLoginSmartAccount; session: ZkLoginSession };
  let bob: { account: ZkLoginSmartAccount; session: ZkLoginSession };
  const steps: string[] = [];
  const recipient = privateKeyToAccount(generatePrivateKey()).address;

  /** The validator mode byte of an included operation's signature (after the 20-byte validator address). */
  async function signatureModeOf(userOpHash: Hex): Promise<Hex> {
    const { bundlerClient } = await createZkSsoClients(t.network);
    const op = await bundlerClient.getUserOperation({ hash: userOpHash });
    expect(sliceHex(op.userOperation.signature, 0, 20).toLowerCase()).toBe(
      t.network.addresses.zkLoginValidator.toLowerCase(),
    );
    return sliceHex(op.userOperation.signature, 20, 21);
  }

  beforeAll(async () => {
    t = await startSdkTestStack();
    // The short-lived key first: its expiry clock runs while the other two are proved.
    aliceShort = await createZkLoginAccount({
      network: t.network,
      source: { kind: 'dev', user: USER.alice },
      expiresInSeconds: SHORT_EXPIRY_SECONDS,
    });
    alice = await createZkLoginAccount({
      network: t.network,
      source: { kind: 'dev', user: USER.alice },
      onProgress: (step) => steps.push(step),
    });
    bob = await createZkLoginAccount({ network: t.network, source: { kind: 'dev', user: USER.bob } });
  });

  /** Another anvil with the same chain id (31337): what a restarted dev chain looks like to a saved login. */
  let otherChain: { anvil: ManagedProcess; network: typeof t.network } | undefined;
  async function startOtherChain() {
    if (otherChain) return otherChain.network;
    const port = await freePort();
    const logDir = mkdtempSync(join(tmpdir(), 'zksso-sdk-other-chain-'));
    const anvil = await startAnvil({ port, logFile: join(logDir, 'anvil.log') }, () => {});
    otherChain = { anvil, network: { ...t.network, rpcUrl: `http://127.0.0.1:${port}` } };
    return otherChain.network;
  }

  afterAll(async () => {
    await otherChain?.anvil.stop();
    await t?.stop();
  });

  it('gives two users different addresses and the same user the same address on every login', () => {
    expect(steps).toEqual(['token', 'salt', 'proof', 'address']);
    expect(alice.account.address).toBe(alice.session.address);
    expect(aliceShort.account.address).toBe(alice.account.address);
    expect(bob.account.address).not.toBe(alice.account.address);
    // Different logins of alice: different ephemeral keys, same identity.
    expect(aliceShort.session.ephemeralPrivateKey).not.toBe(alice.session.ephemeralPrivateKey);
    expect(aliceShort.session.idc).toBe(alice.session.idc);
    expect(alice.session.issuer).toBe(t.network.devIssuer);
  });

  it('deploys the account and registers the key with the first sendCalls (proof, mode 0x01)', async () => {
    const { publicClient } = await createZkSsoClients(t.network);
    await t.fund(alice.account.address, '1');
    expect(await publicClient.getCode({ address: alice.account.address })).toBeUndefined();
    expect(await alice.account.signatureMode()).toBe('prove');

    const sent = await sendCalls({
      network: t.network,
      account: alice.account,
      calls: [{ to: recipient, value: 1234n }],
    });
    expect(sent.success).toBe(true);
    expect(await t.balance(recipient)).toBe(1234n);
    expect(await publicClient.getCode({ address: alice.account.address })).toMatch(/^0x[0-9a-f]+$/);
    expect(await signatureModeOf(sent.userOpHash)).toBe('0x01');
    expect(sent.signatureMode).toBe('prove');
    expect(await alice.account.signatureMode()).toBe('key');
  });

  it('sends again from a restored session with the key alone: mode 0x02, no prover request', async () => {
    const proofsBefore = await t.proverRequests();
    const saved = JSON.parse(JSON.stringify(alice.session)) as ZkLoginSession;
    const restored = await restoreZkLoginAccount({ network: t.network, session: saved });
    expect(restored.address).toBe(alice.account.address);

    const sent = await sendCalls({
      network: t.network,
      account: restored,
      calls: [{ to: recipient, value: 66n }],
    });
    expect(sent.success).toBe(true);
    expect(await t.balance(recipient)).toBe(1300n);
    expect(await signatureModeOf(sent.userOpHash)).toBe('0x02');
    expect(sent.signatureMode).toBe('key');
    expect(await t.proverRequests()).toBe(proofsBefore);
  });

  it('refuses a send of more than the balance before sending: nothing mined, nothing paid', async () => {
    const balance = await t.balance(alice.account.address);
    const nonce = await alice.account.getNonce();
    const error = await caught(
      sendCalls({
        network: t.network,
        account: alice.account,
        calls: [{ to: recipient, value: balance + parseEther('4') }],
      }),
    );
    expect(error).toBeInstanceOf(CallWouldRevertError);
    const { details, message } = error as CallWouldRevertError;
    expect(details).toMatchObject({
      kind: 'insufficient-balance',
      callIndex: 0,
      balance,
      value: balance + parseEther('4'),
    });
    expect(message).toContain(`the account holds ${formatEther(balance)} ETH, the calls send`);
    expect(await t.balance(alice.account.address)).toBe(balance);
    expect(await alice.account.getNonce()).toBe(nonce);
    expect(await t.balance(recipient)).toBe(1300n);
  });

  it("refuses a call that would revert with the contract's decoded error and the call's index", async () => {
    const balance = await t.balance(alice.account.address);
    const nonce = await alice.account.getNonce();
    // JwkRegistry.addKey is the registry owner's: from the account it reverts with OpenZeppelin's error.
    const addKey = encodeFunctionData({ abi: jwkRegistryAbi, functionName: 'addKey', args: [1n, 2n] });
    const error = await caught(
      sendCalls({
        network: t.network,
        account: alice.account,
        calls: [
          { to: recipient, value: 1n },
          { to: t.network.addresses.jwkRegistry, data: addKey },
        ],
      }),
    );
    expect(error).toBeInstanceOf(CallWouldRevertError);
    expect((error as CallWouldRevertError).details).toMatchObject({
      kind: 'custom-error',
      callIndex: 1,
      to: t.network.addresses.jwkRegistry,
      errorName: 'OwnableUnauthorizedAccount',
      reason: `OwnableUnauthorizedAccount(account=${alice.account.address})`,
    });
    expect(await t.balance(alice.account.address)).toBe(balance);
    expect(await alice.account.getNonce()).toBe(nonce);
  });

  it('recognises a chain that is not the one the login was made on (another genesis block)', async () => {
    const { publicClient } = await createZkSsoClients(t.network);
    expect(alice.session.genesisHash).toBe((await publicClient.getBlock({ blockNumber: 0n })).hash);
    const other = await startOtherChain();
    const restored = await caught(restoreZkLoginAccount({ network: other, session: alice.session }));
    expect(restored).toBeInstanceOf(ChainChangedError);
    expect((restored as ChainChangedError).details).toMatchObject({
      where: 'login',
      saved: alice.session.genesisHash,
    });
    expect((restored as ChainChangedError).message).toContain('the dev chain was reset since');
    const sent = await caught(
      sendCalls({ network: other, account: alice.account, calls: [{ to: recipient, value: 1n }] }),
    );
    expect(sent).toBeInstanceOf(ChainChangedError);
  });

  it('signs in any dev user name, and reports a refused login as LoginRefusedError (no proof asked)', async () => {
    const proofsBefore = await t.proverRequests();
    const nonce = computeNonce({
      ephemeralPublicKey: { type: 'secp256k1', address: privateKeyToAccount(generatePrivateKey()).address },
      expiry: BigInt(wallClock() + 3600),
      randomness: 7n,
    });
    const devIssuer = t.network.devIssuer as string;
    const mallory = await fetchIdToken(
      { kind: 'dev', user: USER.mallory },
      { clientId: 'zksso-dev', nonce, devIssuer },
    );
    expect(decodeJwt(mallory).payload).toMatchObject({
      iss: devIssuer,
      nonce,
      email: `${USER.mallory}@example.com`,
    });

    const badName = await caught(
      fetchIdToken({ kind: 'dev', user: 'not a name' }, { clientId: 'zksso-dev', nonce, devIssuer }),
    );
    expect(badName).toBeInstanceOf(LoginRefusedError);
    expect((badName as LoginRefusedError).details).toMatchObject({
      by: 'idp',
      status: 400,
      code: 'DEV_IDP_INVALID_USER',
    });
    const badClient = await caught(
      createZkLoginAccount({
        network: t.network,
        source: { kind: 'dev', user: USER.mallory },
        clientId: 'no-such-client',
      }),
    );
    expect(badClient).toBeInstanceOf(LoginRefusedError);
    expect((badClient as LoginRefusedError).details).toMatchObject({ by: 'idp' });
    expect(await t.proverRequests()).toBe(proofsBefore);
  });

  it('reports the prover refusing a token bound to another key with ProofRefusedError (no proof made)', async () => {
    const otherKey = privateKeyToAccount(generatePrivateKey()).address;
    const otherNonce = computeNonce({
      ephemeralPublicKey: { type: 'secp256k1', address: otherKey },
      expiry: BigInt(wallClock() + 3600),
      randomness: 1n,
    });
    const error = await caught(
      createZkLoginAccount({
        network: t.network,
        source: {
          kind: 'callback',
          // A genuine dev token, but its nonce commits to another key than the one the SDK made.
          getIdToken: () =>
            fetchIdToken(
              { kind: 'dev', user: USER.carol },
              { clientId: 'zksso-dev', nonce: otherNonce, devIssuer: t.network.devIssuer as string },
            ),
        },
      }),
    );
    expect(error).toBeInstanceOf(ProofRefusedError);
    expect((error as ProofRefusedError).details).toMatchObject({ by: 'prover', code: 'NONCE_MISMATCH' });
  });

  it('refuses a network or a session of another chain with WrongChainError', async () => {
    const wrong = { ...t.network, chainId: 1 };
    const error = await caught(createZkSsoClients(wrong));
    expect(error).toBeInstanceOf(WrongChainError);
    expect((error as WrongChainError).details).toEqual({
      expected: 1,
      actual: t.network.chainId,
      where: 'rpc',
    });

    const otherChain = await caught(
      restoreZkLoginAccount({ network: t.network, session: { ...bob.session, chainId: 10 } }),
    );
    expect(otherChain).toBeInstanceOf(WrongChainError);
    expect((otherChain as WrongChainError).details.where).toBe('session');
  });

  describe('sessions', () => {
    let session: SessionRecord;
    const shop = privateKeyToAccount(generatePrivateKey()).address as Address;

    /**
     * Returns at once when the current period has {@link STEPS_SECONDS} left, else waits (real time) until the
     * next one has begun (the dev stack keeps anvil's clock current).
     */
    async function periodWithRoom() {
      const nextStart = (Math.floor(wallClock() / PERIOD) + 1) * PERIOD;
      if (nextStart - wallClock() >= STEPS_SECONDS) return;
      await sleep((nextStart - wallClock()) * 1000 + 1000);
    }
    /** Waits (real time) until `resetsAt` has passed, plus a second for the chain clock's next block. */
    async function until(resetsAt: number) {
      while (wallClock() <= resetsAt) await sleep(250);
      await sleep(1000);
    }
    const transferLimit = async () => {
      const state = await getSessionState({ network: t.network, session });
      const limit = state.limits.find((l) => l.policy === 'transfer');
      if (!limit) throw new Error('no transfer limit');
      return { state, limit };
    };

    it('creates a session (installing the validator) limited to 1000 wei per 30 s to one shop', async () => {
      const created = await createSession({
        network: t.network,
        account: alice.account,
        policy: {
          expiresAt: wallClock() + 3600,
          feeLimit: { limit: parseEther('0.5') },
          transfers: [
            { target: shop, maxValuePerUse: 600n, valueLimit: { limit: 1000n, period: '30 seconds' } },
          ],
        },
      });
      session = JSON.parse(JSON.stringify(created.session)) as SessionRecord;
      const { state, limit } = await transferLimit();
      expect(state.status).toBe('active');
      expect(limit).toMatchObject({
        kind: 'allowance',
        target: shop,
        limit: 1000n,
        used: 0n,
        remaining: 1000n,
      });
      expect(limit.period).toBe(PERIOD);
      expect(state.limits.find((l) => l.policy === 'fee')).toMatchObject({
        kind: 'lifetime',
        limit: parseEther('0.5'),
      });
    });

    it('spends within the allowance, then is refused over it with what is left and when it resets', async () => {
      await periodWithRoom();
      const sent = await sendSessionCalls({
        network: t.network,
        session,
        calls: [{ to: shop, value: 600n }],
      });
      expect(sent.success).toBe(true);
      expect(await t.balance(shop)).toBe(600n);
      const { limit } = await transferLimit();
      expect(limit).toMatchObject({ used: 600n, remaining: 400n });
      expect((limit.resetsAt ?? 0) % PERIOD).toBe(0);
      expect(limit.resetsAt).toBeGreaterThan(wallClock());

      const refused = await caught(
        sendSessionCalls({ network: t.network, session, calls: [{ to: shop, value: 500n }] }),
      );
      expect(refused).toBeInstanceOf(SessionLimitExceededError);
      expect((refused as SessionLimitExceededError).details).toMatchObject({
        policy: 'transfer',
        target: shop,
        limitKind: 'allowance',
        limit: 1000n,
        requested: 500n,
        remaining: 400n,
        resetsAt: limit.resetsAt,
      });
      expect(await t.balance(shop)).toBe(600n);
    });

    it('spends again once the period has rolled over', async () => {
      const { limit } = await transferLimit();
      await until(limit.resetsAt ?? 0);
      expect(wallClock()).toBeGreaterThanOrEqual(limit.resetsAt ?? 0);
      expect((await transferLimit()).limit).toMatchObject({ used: 0n, remaining: 1000n });
      const sent = await sendSessionCalls({
        network: t.network,
        session,
        calls: [{ to: shop, value: 500n }],
      });
      expect(sent.success).toBe(true);
      expect(await t.balance(shop)).toBe(1100n);
      expect((await transferLimit()).limit).toMatchObject({ used: 500n, remaining: 500n });
    });

    it('is refused with SessionNotActiveError once revoked', async () => {
      await revokeSession({ network: t.network, account: alice.account, sessionHash: session.sessionHash });
      expect((await getSessionState({ network: t.network, session })).status).toBe('revoked');
      const refused = await caught(
        sendSessionCalls({ network: t.network, session, calls: [{ to: shop, value: 1n }] }),
      );
      expect(refused).toBeInstanceOf(SessionNotActiveError);
      expect((refused as SessionNotActiveError).details.status).toBe('revoked');
      expect(await t.balance(shop)).toBe(1100n);
    });

    it('recognises a session of another chain instance (genesis) instead of calling it not-found', async () => {
      const other = await startOtherChain();
      for (const work of [
        getSessionState({ network: other, session }),
        sendSessionCalls({ network: other, session, calls: [{ to: shop, value: 1n }] }),
      ]) {
        const error = await caught(work);
        expect(error).toBeInstanceOf(ChainChangedError);
        expect((error as ChainChangedError).details.where).toBe('session');
      }
    });
  });

  it('refuses an expired ephemeral key with EphemeralKeyExpiredError', async () => {
    const expiry = Number(aliceShort.session.expiry);
    // Already past (the two later proofs take longer than the key lives), or at worst a few seconds away.
    if (wallClock() <= expiry) await sleep((expiry - wallClock() + 1) * 1000);
    const error = await caught(
      sendCalls({ network: t.network, account: aliceShort.account, calls: [{ to: recipient, value: 1n }] }),
    );
    expect(error).toBeInstanceOf(EphemeralKeyExpiredError);
    expect((error as EphemeralKeyExpiredError).details).toMatchObject({ expiry });
    expect(await t.balance(recipient)).toBe(1300n);
  });
});
