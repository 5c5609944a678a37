import { webAuthnValidatorAbi, zkLoginValidatorAbi, zkSsoAccountAbi } from '@zksso/contracts';
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
import {
  LastPasskeyError,
  PasskeyNotFoundError,
  RecoveryNotReadyError,
  RecoveryNotRegisteredError,
} from '../src/passkey/errors.ts';
import { executeRecovery } from '../src/passkey/executeRecovery.ts';
import { initiateRecovery } from '../src/passkey/initiateRecovery.ts';
import { loginWithPasskey } from '../src/passkey/loginWithPasskey.ts';
import type { RecoveryCredential } from '../src/passkey/recovery.ts';
import { removePasskey } from '../src/passkey/removePasskey.ts';
import { replaceOpenIdIdentity } from '../src/passkey/replaceOpenIdIdentity.ts';
import { createSoftwareAuthenticator } from '../src/passkey/software-authenticator.ts';
import { submitUserOperation } from '../src/submit.ts';
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

    // The passkey is lost, maybe stolen: the thief's device holds the same private key.
    const thief = createSoftwareAuthenticator({ origin: ORIGIN, credentials: laptop.exportCredentials() });
    laptop.forget(passkey.credentialId);
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

    // The gap of issue #11: the recovered account still accepts the lost passkey, which a thief can use.
    const { publicClient } = await createZkSsoClients(t.network);
    const { webAuthnValidator } = t.network.addresses;
    const { account: stolen } = await loginWithPasskey({
      network: t.network,
      rpId: RP_ID,
      authenticator: thief,
    });
    expect(stolen.address).toBe(account.address);
    expect(
      (await sendCalls({ network: t.network, account: stolen, calls: [{ to: sink, value: 1n }] })).success,
    ).toBe(true);

    // The OpenID identity removes the lost passkey, the account's last: the WebAuthnValidator is uninstalled.
    const removed = await removePasskey({
      network: t.network,
      account: recovered,
      credentialId: passkey.credentialId,
    });
    expect(removed).toMatchObject({ success: true, uninstalledValidator: true });
    const installed = (module: Address) =>
      publicClient.readContract({
        address: account.address,
        abi: zkSsoAccountAbi,
        functionName: 'isModuleInstalled',
        args: [1n, module, '0x'],
      });
    expect(await installed(webAuthnValidator)).toBe(false);
    expect(await installed(t.network.addresses.zkLoginValidator)).toBe(true);
    expect(
      await publicClient.readContract({
        address: webAuthnValidator,
        abi: webAuthnValidatorAbi,
        functionName: 'credentialsOf',
        args: [account.address],
      }),
    ).toEqual([]);

    // The stolen passkey is refused: by the SDK before it signs, by the chain when sent around the SDK, and
    // a new passkey login says the passkey was removed from that account.
    const sinkBefore = await t.balance(sink);
    const refused = await caught(
      sendCalls({ network: t.network, account: stolen, calls: [{ to: sink, value: 1n }] }),
    );
    expect(refused).toBeInstanceOf(PasskeyNotFoundError);
    const clients = await createZkSsoClients(t.network);
    await expect(
      submitUserOperation(clients, {
        account: stolen,
        calls: [{ to: sink, value: 1n }],
        verificationGasLimit: await stolen.verificationGasLimit(),
        simulate: false,
      }),
    ).rejects.toThrow(/AA24|signature/i);
    expect(await t.balance(sink)).toBe(sinkBefore);
    const again = await caught(loginWithPasskey({ network: t.network, rpId: RP_ID, authenticator: thief }));
    expect(again).toBeInstanceOf(PasskeyNotFoundError);
    expect((again as PasskeyNotFoundError).details.removedFrom).toBe(account.address);

    // The OpenID identity still sends.
    expect(
      (await sendCalls({ network: t.network, account: recovered, calls: [{ to: sink, value: 1n }] })).success,
    ).toBe(true);
    expect(await t.balance(sink)).toBe(sinkBefore + 1n);
  });

  it('refuses to remove the only passkey of an account with no other validator, before sending', async () => {
    const { publicClient } = await createZkSsoClients(t.network);
    const device = createSoftwareAuthenticator({ origin: ORIGIN });
    const { account, passkey } = await createPasskeyAccount({
      network: t.network,
      rpId: RP_ID,
      name: 'bob',
      authenticator: device,
    });
    await t.fund(account.address, '1');
    const remove = () => removePasskey({ network: t.network, account, credentialId: passkey.credentialId });

    // Not deployed yet: its own passkey is the validator its first operation installs.
    const early = await caught(remove());
    expect(early).toBeInstanceOf(LastPasskeyError);
    expect(await publicClient.getCode({ address: account.address })).toBeUndefined();

    // Deployed: the passkey is the WebAuthnValidator's last and the account has no OpenID identity.
    await sendCalls({ network: t.network, account, calls: [{ to: sink, value: 1n }] });
    const nonce = await account.getNonce();
    const balance = await t.balance(account.address);
    const refused = await caught(remove());
    expect(refused).toBeInstanceOf(LastPasskeyError);
    expect((refused as LastPasskeyError).code).toBe('LAST_PASSKEY');
    expect((refused as LastPasskeyError).details).toEqual({
      account: account.address,
      credentialId: passkey.credentialId,
    });
    expect((refused as LastPasskeyError).message).toMatch(/add another passkey/);
    // Nothing was sent: same nonce, same balance, the passkey still signs.
    expect(await account.getNonce()).toBe(nonce);
    expect(await t.balance(account.address)).toBe(balance);
    expect((await sendCalls({ network: t.network, account, calls: [{ to: sink, value: 1n }] })).success).toBe(
      true,
    );
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
