import { InvalidEphemeralKeyError } from '@zksso/core';
import { parseEther } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZkLoginAccount } from '../src/actions/createZkLoginAccount.ts';
import { restoreZkLoginAccount } from '../src/actions/restoreZkLoginAccount.ts';
import { sendCalls } from '../src/actions/sendCalls.ts';
import { createZkSsoClients } from '../src/clients.ts';
import { type SdkTestStack, startSdkTestStack } from './stack.ts';

// An OpenID login whose ephemeral key is a non-extractable WebCrypto P-256 key (the browser default), on a
// REAL dev stack with one real proof: the prover binds the P-256 key, the account is deployed by its first
// operation, and ERC-1271 signatures verify before deployment (ERC-6492, proof mode) and after (key mode),
// for messages and ERC-7739 typed data.

describe('OpenID login with a WebCrypto P-256 ephemeral key', () => {
  let t: SdkTestStack;
  const recipient = privateKeyToAccount(generatePrivateKey()).address;

  beforeAll(async () => {
    t = await startSdkTestStack();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('logs in, signs before and after deployment, sends, and restores only with its key', async () => {
    const { account, session } = await createZkLoginAccount({
      network: t.network,
      source: { kind: 'dev', user: 'p256-carol' },
      ephemeralKey: 'p256',
    });
    expect(session.ephemeralKeyType).toBe('p256');
    expect(session.ephemeralPrivateKey).toBeUndefined();
    expect(account.ephemeralKey.publicKey.type).toBe('p256');
    // The private key cannot be read out of WebCrypto.
    const keyPair = (account.ephemeralKey as unknown as { keyPair: CryptoKeyPair }).keyPair;
    expect(keyPair.privateKey.extractable).toBe(false);

    const { publicClient } = await createZkSsoClients(t.network);
    const typedData = {
      domain: { name: 'Shop', version: '1', chainId: t.network.chainId, verifyingContract: recipient },
      types: { Order: [{ name: 'amount', type: 'uint256' }] },
      primaryType: 'Order',
      message: { amount: 7n },
    } as const;
    expect(await account.isDeployed()).toBe(false);
    const early = await account.signMessage({ message: 'hello before deployment' });
    expect(
      await publicClient.verifyMessage({
        address: account.address,
        message: 'hello before deployment',
        signature: early,
      }),
    ).toBe(true);
    expect(
      await publicClient.verifyTypedData({
        address: account.address,
        ...typedData,
        signature: await account.signTypedData(typedData),
      }),
    ).toBe(true);

    await t.fund(account.address, '1');
    const sent = await sendCalls({
      network: t.network,
      account,
      calls: [{ to: recipient, value: parseEther('0.01') }],
    });
    expect(sent.success).toBe(true);
    expect(await t.balance(recipient)).toBe(parseEther('0.01'));
    expect(await account.signatureMode()).toBe('key');

    const after = await account.signMessage({ message: 'hello after deployment' });
    expect(
      await publicClient.verifyMessage({
        address: account.address,
        message: 'hello after deployment',
        signature: after,
      }),
    ).toBe(true);
    expect(
      await publicClient.verifyMessage({
        address: account.address,
        message: 'something else',
        signature: after,
      }),
    ).toBe(false);

    await expect(restoreZkLoginAccount({ network: t.network, session })).rejects.toBeInstanceOf(
      InvalidEphemeralKeyError,
    );
    const restored = await restoreZkLoginAccount({
      network: t.network,
      session,
      ephemeralKey: account.ephemeralKey,
    });
    expect(restored.address).toBe(account.address);
    const again = await sendCalls({
      network: t.network,
      account: restored,
      calls: [{ to: recipient, value: 1n }],
    });
    expect(again.success).toBe(true);
    expect(await t.balance(recipient)).toBe(parseEther('0.01') + 1n);
  });
});
