import { decodeAbiParameters, type Hex, parseEther, sliceHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../src/actions/createSession.ts';
import { sendCalls } from '../src/actions/sendCalls.ts';
import { sendSessionCalls } from '../src/actions/sendSessionCalls.ts';
import { createZkSsoClients, userOperationFees } from '../src/clients.ts';
import { addPasskey } from '../src/passkey/addPasskey.ts';
import { createPasskeyAccount } from '../src/passkey/createPasskeyAccount.ts';
import {
  LastPasskeyError,
  PasskeyAssertionRefusedError,
  PasskeyNotFoundError,
  WebAuthnUnavailableError,
} from '../src/passkey/errors.ts';
import { loginWithPasskey } from '../src/passkey/loginWithPasskey.ts';
import type { PasskeySmartAccount } from '../src/passkey/passkey-account.ts';
import { removePasskey } from '../src/passkey/removePasskey.ts';
import { createSoftwareAuthenticator } from '../src/passkey/software-authenticator.ts';
import { type SdkTestStack, startSdkTestStack } from './stack.ts';

// Passkey accounts end to end on a REAL dev stack (anvil osaka with the P-256 precompile, contracts, Alto),
// driven by the development-only software authenticator in place of a browser's WebAuthn.

const RP_ID = 'wallet.zksso.test';
const ORIGIN = 'https://wallet.zksso.test';
const webAuthnSignatureHead = [{ type: 'bytes32' }] as const;

const caught = async (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('passkey accounts on a real dev stack', () => {
  let t: SdkTestStack;
  const laptop = createSoftwareAuthenticator({ origin: ORIGIN });
  let account: PasskeySmartAccount;
  const recipient = privateKeyToAccount(generatePrivateKey()).address;

  beforeAll(async () => {
    t = await startSdkTestStack();
  });
  afterAll(async () => {
    await t?.stop();
  });

  /** The validator address and credential-id hash an included operation was signed with. */
  async function signerOf(userOpHash: Hex) {
    const { bundlerClient } = await createZkSsoClients(t.network);
    const { signature } = (await bundlerClient.getUserOperation({ hash: userOpHash })).userOperation;
    const [credentialIdHash] = decodeAbiParameters(webAuthnSignatureHead, sliceHex(signature, 20, 52));
    return { validator: sliceHex(signature, 0, 20).toLowerCase(), credentialIdHash };
  }

  it('without a browser or an authenticator, sign-up is refused with WebAuthnUnavailableError', async () => {
    const error = await caught(createPasskeyAccount({ network: t.network, rpId: RP_ID, name: 'nobody' }));
    expect(error).toBeInstanceOf(WebAuthnUnavailableError);
  });

  it('signs up with a passkey, and the first send deploys the account through Alto', async () => {
    const created = await createPasskeyAccount({
      network: t.network,
      rpId: RP_ID,
      name: 'alice',
      authenticator: laptop,
    });
    account = created.account;
    expect(created.passkey.origin).toBe(ORIGIN);
    expect(await account.isDeployed()).toBe(false);
    await t.fund(account.address, '1');

    const sent = await sendCalls({
      network: t.network,
      account,
      calls: [{ to: recipient, value: parseEther('0.01') }],
    });
    expect(sent.success).toBe(true);
    expect(await account.isDeployed()).toBe(true);
    expect(await t.balance(recipient)).toBe(parseEther('0.01'));
    const signer = await signerOf(sent.userOpHash);
    expect(signer.validator).toBe(t.network.addresses.webAuthnValidator.toLowerCase());
  });

  it('logs in again from a fresh SDK state with the same authenticator: the same account, which sends', async () => {
    const { account: again, accounts } = await loginWithPasskey({
      network: t.network,
      rpId: RP_ID,
      authenticator: laptop,
    });
    expect(again.address).toBe(account.address);
    expect(accounts).toEqual([account.address]);
    const sent = await sendCalls({
      network: t.network,
      account: again,
      calls: [{ to: recipient, value: 1n }],
    });
    expect(sent.success).toBe(true);
    expect(await t.balance(recipient)).toBe(parseEther('0.01') + 1n);
  });

  it('finds an account that was never deployed from two assertions (counterfactual address)', async () => {
    const device = createSoftwareAuthenticator({ origin: ORIGIN });
    const created = await createPasskeyAccount({
      network: t.network,
      rpId: RP_ID,
      name: 'carol',
      authenticator: device,
    });
    const { account: found, accounts } = await loginWithPasskey({
      network: t.network,
      rpId: RP_ID,
      authenticator: device,
    });
    expect(found.address).toBe(created.account.address);
    expect(accounts).toEqual([created.account.address]);
    expect(await found.isDeployed()).toBe(false);
  });

  it('refuses an assertion without user verification before sending anything', async () => {
    const lax = createSoftwareAuthenticator({ origin: ORIGIN, userVerified: false });
    const { account: laxAccount } = await createPasskeyAccount({
      network: t.network,
      rpId: RP_ID,
      name: 'dave',
      authenticator: lax,
    });
    await t.fund(laxAccount.address, '0.1');
    const error = await caught(
      sendCalls({ network: t.network, account: laxAccount, calls: [{ to: recipient, value: 1n }] }),
    );
    expect(error).toBeInstanceOf(PasskeyAssertionRefusedError);
    expect((error as Error).message).toMatch(/user verification/);
    expect(await laxAccount.isDeployed()).toBe(false);
  });

  it('signs ERC-1271 messages that viem verifies against the deployed account', async () => {
    const { publicClient } = await createZkSsoClients(t.network);
    const signature = await account.signMessage({ message: 'hello zkSSO' });
    expect(
      await publicClient.verifyMessage({ address: account.address, message: 'hello zkSSO', signature }),
    ).toBe(true);
    expect(
      await publicClient.verifyMessage({ address: account.address, message: 'another', signature }),
    ).toBe(false);
  });

  it('creates a session from the passkey account and sends with the session key', async () => {
    const { session } = await createSession({
      network: t.network,
      account,
      policy: {
        expiresAt: Math.floor(Date.now() / 1000) + 3600,
        feeLimit: { limit: parseEther('0.1') },
        transfers: [{ target: recipient, maxValuePerUse: 1000n, valueLimit: { limit: 10_000n } }],
      },
    });
    const before = await t.balance(recipient);
    const sent = await sendSessionCalls({
      network: t.network,
      session,
      calls: [{ to: recipient, value: 1000n }],
    });
    expect(sent.success).toBe(true);
    expect(await t.balance(recipient)).toBe(before + 1000n);
  });

  it('adds a second device, logs in with it, and removes the first device', async () => {
    const phone = createSoftwareAuthenticator({ origin: ORIGIN });
    const created = await phone.create({
      rpId: RP_ID,
      name: 'alice phone',
      challenge: `0x${'11'.repeat(32)}`,
      userId: `0x${'22'.repeat(16)}`,
      userVerification: 'preferred',
    });
    expect(
      (await addPasskey({ network: t.network, account, passkey: { ...created, rpId: RP_ID } })).success,
    ).toBe(true);

    const { account: onPhone, accounts } = await loginWithPasskey({
      network: t.network,
      rpId: RP_ID,
      authenticator: phone,
    });
    expect(accounts).toEqual([account.address]);
    expect(onPhone.address).toBe(account.address);

    const laptopCredential = account.passkey.credentialId;
    expect(
      (await removePasskey({ network: t.network, account: onPhone, credentialId: laptopCredential })).success,
    ).toBe(true);
    // The laptop's passkey no longer signs for the account: refused before the user is asked to sign.
    const refused = await caught(
      sendCalls({ network: t.network, account, calls: [{ to: recipient, value: 1n }] }),
    );
    expect(refused).toBeInstanceOf(PasskeyNotFoundError);
    // And the chain agrees: signed anyway and sent past the SDK, the bundler refuses it (AA24).
    const { bundlerClient, publicClient } = await createZkSsoClients(t.network);
    const fees = await userOperationFees(bundlerClient as never, publicClient);
    const direct = await caught(
      bundlerClient.sendUserOperation({
        account,
        calls: [{ to: recipient, value: 1n }],
        callGasLimit: 100_000n,
        verificationGasLimit: 300_000n,
        preVerificationGas: 150_000n,
        ...fees,
      }),
    );
    expect(String((direct as Error).message)).toMatch(/AA24/);
    // Removing the last passkey of an account without an OpenID identity is refused before sending.
    const last = await caught(
      removePasskey({ network: t.network, account: onPhone, credentialId: onPhone.passkey.credentialId }),
    );
    expect(last).toBeInstanceOf(LastPasskeyError);
    expect(
      (await sendCalls({ network: t.network, account: onPhone, calls: [{ to: recipient, value: 1n }] }))
        .success,
    ).toBe(true);
  });
});
