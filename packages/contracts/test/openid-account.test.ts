import { ephemeralKeyId, p256EphemeralKeyFromKeyPair } from '@zksso/core';
import { loadArtifact } from '@zksso/devstack/deploy';
import { decodeZkSsoRevert, toZkSsoOpenIdAccount, type ZkLoginProofParts } from '@zksso/sdk';
import { type Address, encodeAbiParameters, type Hex, keccak256, parseEther } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zkLoginValidatorAbi, zkSsoAccountFactoryAbi } from '../src/index.ts';
import { startTestChain, type TestChain } from './harness/chain.ts';
import { addJwk, mockZkLoginProof, openIdAccountPair, openIdAccountParameters } from './harness/zklogin.ts';

const registryAbi = loadArtifact('JwkRegistry').abi;
const ISS_HASH = 0x1234n;
const MODULUS_HASH = 0xabcdn;

/** A proof the test-only MockGroth16Verifier accepts for this test's issuer. */
function mockProof(idc: bigint, keyId: Hex, expiry: bigint, modulusHash = MODULUS_HASH): ZkLoginProofParts {
  return mockZkLoginProof({ issHash: ISS_HASH, idc, keyId, expiry, modulusHash });
}

describe('OpenID account through Alto', () => {
  let chain: TestChain;
  let target: Address;

  beforeAll(async () => {
    chain = await startTestChain();
    await addJwk(chain, ISS_HASH, MODULUS_HASH);
    // A plain EOA-like sink receiving value transfers.
    target = privateKeyToAccount(generatePrivateKey()).address;
  });

  afterAll(async () => {
    await chain?.stop();
  });

  async function openAccount(idc: bigint, expiresIn = 3600n, modulusHash = MODULUS_HASH) {
    const ephemeral = privateKeyToAccount(generatePrivateKey());
    const block = await chain.publicClient.getBlock();
    const expiry = block.timestamp + expiresIn;
    const { keyId, withProof, keyOnly } = await openIdAccountPair(chain, {
      issHash: ISS_HASH,
      idc,
      ephemeral,
      expiry,
      modulusHash,
    });
    await chain.fund(withProof.address, '1');
    return { ephemeral, expiry, keyId, withProof, keyOnly };
  }

  async function send(
    account: Awaited<ReturnType<typeof toZkSsoOpenIdAccount>>,
    calls: { to: Address; value?: bigint; data?: Hex }[],
  ) {
    const hash = await chain.bundlerClient.sendUserOperation({ account, calls });
    return chain.bundlerClient.waitForUserOperationReceipt({ hash });
  }

  it('deploys the account with a proof, then runs an operation with the ephemeral key only', async () => {
    const { withProof, keyOnly, keyId, expiry } = await openAccount(0x5151n);
    expect(await chain.publicClient.getCode({ address: withProof.address })).toBeUndefined();

    const first = await send(withProof, [{ to: target, value: 1000n }]);
    expect(first.success).toBe(true);
    expect(await chain.publicClient.getCode({ address: withProof.address })).toMatch(/^0x.+/);
    const [storedExpiry, revoked] = await chain.publicClient.readContract({
      address: chain.deployment.zkLoginValidator,
      abi: zkLoginValidatorAbi,
      functionName: 'keyOf',
      args: [withProof.address, keyId],
    });
    expect(BigInt(storedExpiry)).toBe(expiry);
    expect(revoked).toBe(false);

    const second = await send(keyOnly, [{ to: target, value: 2000n }]);
    expect(second.success).toBe(true);
    expect(await chain.publicClient.getBalance({ address: target })).toBe(3000n);
    // The key-only operation is cheaper than the proving one (no proof verification).
    expect(second.actualGasUsed).toBeLessThan(first.actualGasUsed);
  });

  it('runs batched calls in one operation', async () => {
    const { withProof } = await openAccount(0x5252n);
    const sinkA = privateKeyToAccount(generatePrivateKey()).address;
    const sinkB = privateKeyToAccount(generatePrivateKey()).address;
    const receipt = await send(withProof, [
      { to: sinkA, value: parseEther('0.01') },
      { to: sinkB, value: parseEther('0.02') },
    ]);
    expect(receipt.success).toBe(true);
    expect(await chain.publicClient.getBalance({ address: sinkA })).toBe(parseEther('0.01'));
    expect(await chain.publicClient.getBalance({ address: sinkB })).toBe(parseEther('0.02'));
  });

  it('refuses an expired ephemeral key', async () => {
    const { withProof, keyOnly } = await openAccount(0x5353n, 120n);
    expect((await send(withProof, [{ to: target, value: 1n }])).success).toBe(true);
    await chain.increaseTime(600);
    const error = await send(keyOnly, [{ to: target, value: 1n }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/AA22 expired or not due/);
  });

  it('refuses a proof made with a rotated JWK, naming the error', async () => {
    // A key of its own, so that rotating it leaves the other tests' key active.
    const ownModulus = 0xdeadn;
    await addJwk(chain, ISS_HASH, ownModulus);
    const { withProof } = await openAccount(0x5454n, 3600n, ownModulus);
    const rotated = 0xabcen;
    const { deployment, walletClient, publicClient } = chain;
    const add = await walletClient.writeContract({
      address: deployment.jwkRegistry,
      abi: registryAbi,
      functionName: 'rotateKey',
      args: [ISS_HASH, ownModulus, rotated],
    });
    await publicClient.waitForTransactionReceipt({ hash: add });
    const error = await send(withProof, [{ to: target, value: 1n }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const decoded = decodeZkSsoRevert((error as Error).message);
    expect(decoded).toEqual({ errorName: 'RotatedJwk', args: [ISS_HASH, ownModulus, rotated] });
  });

  it('works with a non-extractable WebCrypto P-256 ephemeral key', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const ephemeral = await p256EphemeralKeyFromKeyPair(pair);
    const idc = 0x5656n;
    const expiry = (await chain.publicClient.getBlock()).timestamp + 3600n;
    const keyId = ephemeralKeyId(ephemeral.publicKey);
    const common = openIdAccountParameters(chain, { issHash: ISS_HASH, idc, ephemeral });
    const withProof = await toZkSsoOpenIdAccount({ ...common, proof: mockProof(idc, keyId, expiry) });
    await chain.fund(withProof.address, '1');
    expect((await send(withProof, [{ to: target, value: 5n }])).success).toBe(true);
    const keyOnly = await toZkSsoOpenIdAccount(common);
    expect((await send(keyOnly, [{ to: target, value: 5n }])).success).toBe(true);
  });

  it('signs ERC-1271 messages (ERC-7739 nested personal sign) bound to the account', async () => {
    const { withProof, keyOnly, ephemeral } = await openAccount(0x5757n);
    await send(withProof, [{ to: target, value: 1n }]);
    const message = 'zkSSO says hello';
    const signature = await keyOnly.signMessage({ message });
    expect(await chain.publicClient.verifyMessage({ address: keyOnly.address, message, signature })).toBe(
      true,
    );
    expect(
      await chain.publicClient.verifyMessage({
        address: keyOnly.address,
        message: 'another message',
        signature,
      }),
    ).toBe(false);
    // A second account of the same ephemeral key refuses the first one's signature (domain-bound).
    const other = await openAccount(0x5858n);
    const twin = await toZkSsoOpenIdAccount({
      ...openIdAccountParameters(chain, { issHash: ISS_HASH, idc: 0x5858n, ephemeral }),
      proof: mockProof(
        0x5858n,
        ephemeralKeyId({ type: 'secp256k1', address: ephemeral.address }),
        other.expiry,
      ),
    });
    await chain.fund(twin.address, '1');
    await send(twin, [{ to: target, value: 1n }]);
    expect(await chain.publicClient.verifyMessage({ address: twin.address, message, signature })).toBe(false);
  });

  it('signs ERC-7739 typed data bound to the account, and messages before deployment (ERC-6492, proof mode)', async () => {
    const { withProof, keyOnly } = await openAccount(0x5959n);
    const typedData = {
      domain: {
        name: 'Shop',
        version: '1',
        chainId: chain.publicClient.chain?.id ?? 31337,
        verifyingContract: target,
      },
      types: {
        Person: [
          { name: 'name', type: 'string' },
          { name: 'wallet', type: 'address' },
        ],
        Order: [
          { name: 'buyer', type: 'Person' },
          { name: 'amount', type: 'uint256' },
        ],
      },
      primaryType: 'Order',
      message: { buyer: { name: 'alice', wallet: withProof.address }, amount: 42n },
    } as const;
    // Not deployed yet: viem wraps the proof-mode signature in ERC-6492 (the factory call deploys it first).
    expect(await withProof.isDeployed()).toBe(false);
    const early = await withProof.signMessage({ message: 'before deployment' });
    expect(early.endsWith('6492649264926492649264926492649264926492649264926492649264926492')).toBe(true);
    expect(
      await chain.publicClient.verifyMessage({
        address: withProof.address,
        message: 'before deployment',
        signature: early,
      }),
    ).toBe(true);
    const earlyTyped = await withProof.signTypedData(typedData);
    expect(
      await chain.publicClient.verifyTypedData({
        address: withProof.address,
        ...typedData,
        signature: earlyTyped,
      }),
    ).toBe(true);

    await send(withProof, [{ to: target, value: 1n }]);
    const signature = await keyOnly.signTypedData(typedData);
    expect(
      await chain.publicClient.verifyTypedData({ address: keyOnly.address, ...typedData, signature }),
    ).toBe(true);
    // Other contents, or the same contents for another app domain, are refused.
    const otherAmount = { ...typedData, message: { ...typedData.message, amount: 43n } };
    expect(
      await chain.publicClient.verifyTypedData({ address: keyOnly.address, ...otherAmount, signature }),
    ).toBe(false);
    const otherApp = { ...typedData, domain: { ...typedData.domain, name: 'Other shop' } };
    expect(
      await chain.publicClient.verifyTypedData({ address: keyOnly.address, ...otherApp, signature }),
    ).toBe(false);
    // A personal-sign signature is not a typed-data signature of the same digest.
    const asMessage = await keyOnly.signMessage({ message: 'zkSSO' });
    expect(
      await chain.publicClient.verifyTypedData({
        address: keyOnly.address,
        ...typedData,
        signature: asMessage,
      }),
    ).toBe(false);
  });

  it('predicts the account address like the factory (protocol §9)', async () => {
    const idc = 0x5555n;
    const salt = keccak256(
      encodeAbiParameters([{ type: 'uint8' }, { type: 'uint256' }, { type: 'uint256' }], [1, ISS_HASH, idc]),
    );
    const initCodeHash = await chain.publicClient.readContract({
      address: chain.deployment.accountFactory,
      abi: zkSsoAccountFactoryAbi,
      functionName: 'accountInitCodeHash',
    });
    const { getContractAddress } = await import('viem');
    const predicted = getContractAddress({
      opcode: 'CREATE2',
      from: chain.deployment.accountFactory,
      salt,
      bytecodeHash: initCodeHash,
    });
    const account = await toZkSsoOpenIdAccount(
      openIdAccountParameters(chain, {
        issHash: ISS_HASH,
        idc,
        ephemeral: privateKeyToAccount(generatePrivateKey()),
      }),
    );
    expect(account.address).toBe(predicted);
  });
});
