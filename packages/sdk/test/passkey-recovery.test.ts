import { zkLoginValidatorAbi } from '@zksso/contracts';
import { ANVIL_DEV_KEYS } from '@zksso/devstack';
import { type Address, createTestClient, createWalletClient, http, parseEther } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZkLoginSmartAccount } from '../src/accounts/zklogin-account.ts';
import { createZkLoginAccount } from '../src/actions/createZkLoginAccount.ts';
import { restoreZkLoginAccount } from '../src/actions/restoreZkLoginAccount.ts';
import { sendCalls } from '../src/actions/sendCalls.ts';
import { createZkSsoClients, networkChain } from '../src/clients.ts';
import { addRecoveryCredential } from '../src/passkey/addRecoveryCredential.ts';
import { createPasskeyAccount } from '../src/passkey/createPasskeyAccount.ts';
import { RecoveryNotReadyError, RecoveryNotRegisteredError } from '../src/passkey/errors.ts';
import { executeRecovery } from '../src/passkey/executeRecovery.ts';
import { initiateRecovery } from '../src/passkey/initiateRecovery.ts';
import { loginWithPasskey } from '../src/passkey/loginWithPasskey.ts';
import type { RecoveryCredential } from '../src/passkey/recovery.ts';
import { replaceOpenIdIdentity } from '../src/passkey/replaceOpenIdIdentity.ts';
import { createSoftwareAuthenticator } from '../src/passkey/software-authenticator.ts';
import type { ZkLoginSession } from '../src/zklogin-session.ts';
import { type SdkTestStack, startSdkTestStack } from './stack.ts';

// Recovery in both directions through the SDK on a REAL dev stack, with ONE real proof (alice's login, made
// in beforeAll and used on both accounts: a proof binds the identity and the ephemeral key, not an account).
// The RecoveryModule's delay is its minimum, one day; the tests move anvil's clock past it with
// evm_increaseTime (these validators return no validAfter, so Alto's wall clock does not mind). Moving the
// clock a day would expire the keys and sessions of the other files on the shared dev stack: this file starts
// a stack of its own.

const RP_ID = 'wallet.zksso.test';
const ORIGIN = 'https://wallet.zksso.test';
const DELAY = 86_400;

const caught = async (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('recovery both ways on a real dev stack', () => {
  let t: SdkTestStack;
  let alice: { account: ZkLoginSmartAccount; session: ZkLoginSession };
  let recoveryModule: Address;
  let relayer: ReturnType<typeof createWalletClient>;
  const sink = privateKeyToAccount(generatePrivateKey()).address;

  const passDelay = async () => {
    const testClient = createTestClient({ mode: 'anvil', transport: http(t.network.rpcUrl) });
    await testClient.increaseTime({ seconds: DELAY + 60 });
    await testClient.mine({ blocks: 1 });
  };

  beforeAll(async () => {
    t = await startSdkTestStack({ own: true });
    recoveryModule = t.stack.addresses.recoveryModule;
    // The key must outlive the two delays this file moves the chain through.
    alice = await createZkLoginAccount({
      network: t.network,
      source: { kind: 'dev', user: 'alice' },
      expiresInSeconds: 7 * 86_400,
    });
    relayer = createWalletClient({
      account: privateKeyToAccount(ANVIL_DEV_KEYS[4] as `0x${string}`),
      chain: networkChain(t.network),
      transport: http(t.network.rpcUrl),
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('a passkey account adds an OpenID identity as recovery, loses its passkey, and the identity recovers it', async () => {
    const laptop = createSoftwareAuthenticator({ origin: ORIGIN });
    const { account, passkey } = await createPasskeyAccount({
      network: t.network,
      rpId: RP_ID,
      name: 'alice',
      authenticator: laptop,
    });
    await t.fund(account.address, '1');
    const credential: RecoveryCredential = {
      kind: 'openid',
      issHash: BigInt(alice.session.issHash),
      idc: BigInt(alice.session.idc),
    };
    // Not registered yet: refused before anything is sent.
    expect(
      await caught(
        initiateRecovery({
          network: t.network,
          recoveryModule,
          account: account.address,
          credential,
          sender: relayer as never,
        }),
      ),
    ).toBeInstanceOf(RecoveryNotRegisteredError);

    const added = await addRecoveryCredential({
      network: t.network,
      recoveryModule,
      account,
      credential,
      delaySeconds: DELAY,
    });
    expect(added.success).toBe(true);

    laptop.forget(passkey.credentialId); // the passkey is lost
    const { readyAt } = await initiateRecovery({
      network: t.network,
      recoveryModule,
      account: account.address,
      credential,
      sender: relayer as never,
    });
    const { timestamp } = await (await createZkSsoClients(t.network)).publicClient.getBlock();
    expect(readyAt).toBeGreaterThanOrEqual(Number(timestamp) + DELAY - 5);
    const early = await caught(
      executeRecovery({
        network: t.network,
        recoveryModule,
        account: account.address,
        credential,
        sender: relayer as never,
      }),
    );
    expect(early).toBeInstanceOf(RecoveryNotReadyError);
    expect((early as RecoveryNotReadyError).details.readyAt).toBe(readyAt);

    await passDelay();
    await executeRecovery({
      network: t.network,
      recoveryModule,
      account: account.address,
      credential,
      sender: relayer as never,
    });

    // Alice's OpenID login now signs for the passkey account (its proof registers her key there).
    const recovered = await restoreZkLoginAccount({
      network: t.network,
      session: { ...alice.session, address: account.address },
    });
    expect(recovered.address).toBe(account.address);
    const sent = await sendCalls({
      network: t.network,
      account: recovered,
      calls: [{ to: sink, value: parseEther('0.001') }],
    });
    expect(sent.success).toBe(true);
    expect(await t.balance(sink)).toBe(parseEther('0.001'));
  });

  it('an OpenID account adds a passkey as recovery, loses its identity, and the passkey replaces it', async () => {
    const { publicClient } = await createZkSsoClients(t.network);
    const phone = createSoftwareAuthenticator({ origin: ORIGIN });
    const created = await phone.create({
      rpId: RP_ID,
      name: 'alice',
      challenge: `0x${'33'.repeat(32)}`,
      userId: `0x${'44'.repeat(16)}`,
      userVerification: 'preferred',
    });
    const credential: RecoveryCredential = { kind: 'passkey', passkey: { ...created, rpId: RP_ID } };
    await t.fund(alice.account.address, '1');
    // Alice's first operation deploys her OpenID account (proof) and registers the passkey as recovery.
    const added = await addRecoveryCredential({
      network: t.network,
      recoveryModule,
      account: alice.account,
      credential,
      delaySeconds: DELAY,
    });
    expect(added.success).toBe(true);

    await initiateRecovery({
      network: t.network,
      recoveryModule,
      account: alice.account.address,
      credential,
      sender: relayer as never,
    });
    await passDelay();
    await executeRecovery({
      network: t.network,
      recoveryModule,
      account: alice.account.address,
      credential,
      sender: relayer as never,
    });

    // The passkey finds the OpenID account on chain (no server) and signs for it.
    const { account: byPasskey, accounts } = await loginWithPasskey({
      network: t.network,
      rpId: RP_ID,
      authenticator: phone,
    });
    expect(accounts).toEqual([alice.account.address]);
    expect(byPasskey.address).toBe(alice.account.address);

    // A new identity (a stand-in for alice's new OpenID account: signing with it would take a second proof).
    const newIdentity = { issHash: BigInt(alice.session.issHash), idc: BigInt(alice.session.idc) + 1n };
    const replaced = await replaceOpenIdIdentity({ network: t.network, account: byPasskey, ...newIdentity });
    expect(replaced.success).toBe(true);
    const [issHash, idc] = await publicClient.readContract({
      address: t.network.addresses.zkLoginValidator,
      abi: zkLoginValidatorAbi,
      functionName: 'identityOf',
      args: [alice.account.address],
    });
    expect({ issHash, idc }).toEqual(newIdentity);
    // The lost identity's key no longer signs for the account.
    const stale = await restoreZkLoginAccount({ network: t.network, session: alice.session });
    expect(
      await caught(
        sendCalls({ network: t.network, account: stale, calls: [{ to: sink, value: 1n }], simulate: false }),
      ),
    ).toBeInstanceOf(Error);
    expect(
      (await sendCalls({ network: t.network, account: byPasskey, calls: [{ to: sink, value: 1n }] })).success,
    ).toBe(true);
  });
});
