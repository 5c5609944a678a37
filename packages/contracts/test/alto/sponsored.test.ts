import { p256 } from '@noble/curves/nist.js';
import { normalizeSession, type SessionSpec, sessionHash } from '@zksso/core';
import { loadArtifact } from '@zksso/devstack/deploy';
import {
  DUMMY_VERIFYING_PAYMASTER_DATA,
  encodeWebAuthnSignature,
  sessionSetupCalls,
  signVerifyingPaymasterData,
  withValidator,
} from '@zksso/sdk';
import {
  type Address,
  bytesToHex,
  concat,
  encodeFunctionData,
  type Hex,
  hexToBytes,
  keccak256,
  parseEther,
} from 'viem';
import { entryPoint08Abi, type UserOperation } from 'viem/account-abstraction';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestChain, type TestChain } from '../harness/chain.ts';
import { createPasskeyAccountArgs, passkeyAccountAddress, testPasskey } from '../harness/passkey.ts';
import { rpc } from '../harness/processes.ts';
import { addJwk, openIdAccountPair } from '../harness/zklogin.ts';
import { toSessionKeyAccount } from './session-account.ts';
import { toValidatorSignedAccount } from './validator-account.ts';

// Sponsored operations through Alto on anvil: the VerifyingPaymaster pays for onboarding (the operation that
// deploys an account holding no ETH: an OpenID account with its zkLogin proof, a passkey account with P-256
// through the precompile) and for a session-key operation, each under the sponsor signer's approval. The
// sponsorship is filled in by viem's paymaster hooks (stub for the shape, signed data for sending).

const ISS_HASH = 0x5a01n;
const MODULUS_HASH = 0x5a02n;
const P256_PRECOMPILE: Address = '0x0000000000000000000000000000000000000100';
const PAYMASTER_GAS = { paymasterVerificationGasLimit: 100_000n, paymasterPostOpGasLimit: 0n };
/** Explicit limits (Alto underestimates proof, passkey and session validation; see session.test.ts). */
const GAS = { callGasLimit: 400_000n, verificationGasLimit: 2_000_000n, preVerificationGas: 200_000n };

const paymasterAbi = loadArtifact('VerifyingPaymaster').abi;
const validatorAbi = loadArtifact('SessionKeyValidator').abi;

type Account = Parameters<TestChain['bundlerClient']['sendUserOperation']>[0]['account'];
type Call = { to: Address; value?: bigint; data?: Hex };

describe('sponsored user operations through Alto (VerifyingPaymaster)', () => {
  let chain: TestChain;
  const sponsor = privateKeyToAccount(generatePrivateKey());
  const wallClock = () => BigInt(Math.floor(Date.now() / 1000));

  /** viem paymaster hooks: a dummy sponsorship to shape the operation, then the sponsor's signature over it. */
  const sponsorship = () => {
    const paymaster = chain.deployment.verifyingPaymaster;
    return {
      getPaymasterStubData: async () => ({
        paymaster,
        paymasterData: DUMMY_VERIFYING_PAYMASTER_DATA,
        ...PAYMASTER_GAS,
      }),
      getPaymasterData: async (userOperation: unknown) => ({
        paymaster,
        paymasterData: await signVerifyingPaymasterData({
          signer: sponsor,
          userOperation: { ...(userOperation as UserOperation<'0.8'>), ...PAYMASTER_GAS },
          paymaster,
          chainId: chain.chain.id,
          // Alto checks the window against its own clock.
          validUntil: wallClock() + 600n,
        }),
        ...PAYMASTER_GAS,
      }),
    };
  };

  async function sendSponsored(account: Account, calls: Call[]) {
    const hash = await chain.bundlerClient.sendUserOperation({
      account,
      calls,
      ...GAS,
      paymaster: sponsorship(),
    });
    return chain.bundlerClient.waitForUserOperationReceipt({ hash });
  }

  const balance = (address: Address) => chain.publicClient.getBalance({ address });
  const depositOf = (address: Address) =>
    chain.publicClient.readContract({
      address: chain.deployment.entryPoint,
      abi: entryPoint08Abi,
      functionName: 'balanceOf',
      args: [address],
    });

  beforeAll(async () => {
    chain = await startTestChain({ paymasterSigner: sponsor.address });
    await addJwk(chain, ISS_HASH, MODULUS_HASH);
    const hash = await chain.walletClient.writeContract({
      address: chain.deployment.verifyingPaymaster,
      abi: paymasterAbi,
      functionName: 'deposit',
      value: parseEther('1'),
    });
    await chain.publicClient.waitForTransactionReceipt({ hash });
  });

  afterAll(async () => {
    await chain?.stop();
  });

  it('sponsors OpenID onboarding (deploy + zkLogin proof + session setup) and then a session-key operation', async () => {
    const { deployment, publicClient } = chain;
    const now = (await publicClient.getBlock()).timestamp;
    const { withProof } = await openIdAccountPair(chain, {
      issHash: ISS_HASH,
      idc: 0x5a03n,
      ephemeral: privateKeyToAccount(generatePrivateKey()),
      expiry: now + 30n * 86_400n,
      modulusHash: MODULUS_HASH,
    });
    const sessionKey = privateKeyToAccount(generatePrivateKey());
    const recipient = privateKeyToAccount(generatePrivateKey()).address;
    const spec: SessionSpec = normalizeSession(
      {
        signer: sessionKey.address,
        expiresAt: now + 7n * 86_400n,
        feeLimit: { limit: parseEther('0.1') },
        transfers: [{ target: recipient, maxValuePerUse: 1000n, valueLimit: 1000n }],
      },
      { now },
    );

    // Onboarding: the account holds nothing; its first operation (mode 0x01, proof) deploys it, installs the
    // session validator and creates a session, all paid by the paymaster.
    expect(await balance(withProof.address)).toBe(0n);
    const paymasterBefore = await depositOf(deployment.verifyingPaymaster);
    const onboarding = await sendSponsored(
      withProof,
      sessionSetupCalls({ account: withProof.address, validator: deployment.sessionKeyValidator, spec }),
    );
    expect(onboarding.success).toBe(true);
    expect(onboarding.paymaster).toBe(deployment.verifyingPaymaster);
    expect(await publicClient.getCode({ address: withProof.address })).toMatch(/^0x[0-9a-f]{2,}/);
    expect(await balance(withProof.address)).toBe(0n);
    expect(await depositOf(withProof.address)).toBe(0n);
    const paymasterAfterOnboarding = await depositOf(deployment.verifyingPaymaster);
    expect(paymasterBefore - paymasterAfterOnboarding).toBe(onboarding.actualGasCost);

    // A session-key operation, sponsored: the account pays only the value it sends, and the session's fee
    // limit is not charged (a paymaster pays, docs/contracts.md §7).
    await chain.fund(withProof.address, '0.000000000000001'); // 1000 wei for the transfer
    const sessionAccount = await toSessionKeyAccount({
      client: publicClient,
      entryPoint: deployment.entryPoint,
      address: withProof.address,
      sessionKeyValidator: deployment.sessionKeyValidator,
      sessionKey,
      spec,
      validAt: wallClock(),
    });
    const sent = await sendSponsored(sessionAccount, [{ to: recipient, value: 700n }]);
    expect(sent.success).toBe(true);
    expect(sent.paymaster).toBe(deployment.verifyingPaymaster);
    expect(await balance(recipient)).toBe(700n);
    expect(await balance(withProof.address)).toBe(300n);
    expect(await depositOf(withProof.address)).toBe(0n);
    expect(paymasterAfterOnboarding - (await depositOf(deployment.verifyingPaymaster))).toBe(
      sent.actualGasCost,
    );
    const state = (await publicClient.readContract({
      address: deployment.sessionKeyValidator,
      abi: validatorAbi,
      functionName: 'sessionState',
      args: [withProof.address, spec],
    })) as { fee: { used: bigint }; transferValue: readonly { used: bigint }[] };
    expect(state.fee.used).toBe(0n);
    expect(state.transferValue[0]?.used).toBe(700n);
    expect(
      await publicClient.readContract({
        address: deployment.sessionKeyValidator,
        abi: validatorAbi,
        functionName: 'sessionStatus',
        args: [withProof.address, sessionHash(spec)],
      }),
    ).toBe(1);
  });

  it('sponsors passkey onboarding, the assertion checked with P-256 through the precompile', async () => {
    const { deployment, publicClient } = chain;
    // The chain (osaka) has the P-256 precompile at 0x100: it answers a valid signature with a 32-byte 1.
    const secretKey = p256.utils.randomSecretKey();
    const digest = keccak256('0x7212');
    const signature = p256.sign(hexToBytes(digest), secretKey, { prehash: false });
    const publicKey = p256.getPublicKey(secretKey, false).slice(1);
    const precompile = await rpc<Hex>(chain.rpcUrl, 'eth_call', [
      { to: P256_PRECOMPILE, data: concat([digest, bytesToHex(signature), bytesToHex(publicKey)]) },
      'latest',
    ]);
    expect(BigInt(precompile)).toBe(1n);

    const passkey = testPasskey();
    const address = await passkeyAccountAddress(chain, passkey);
    const account = await toValidatorSignedAccount({
      client: publicClient,
      entryPoint: deployment.entryPoint,
      address,
      factory: {
        factory: deployment.accountFactory,
        factoryData: encodeFunctionData({
          abi: loadArtifact('ZkSsoAccountFactory').abi,
          functionName: 'createPasskeyAccount',
          args: createPasskeyAccountArgs(passkey),
        }),
      },
      sign: async (hash: Hex) =>
        withValidator(deployment.webAuthnValidator, encodeWebAuthnSignature(passkey.sign(hash))),
    });
    expect(await balance(address)).toBe(0n);
    const receipt = await sendSponsored(account, [
      { to: '0x000000000000000000000000000000000000dEaD', value: 0n },
    ]);
    expect(receipt.success).toBe(true);
    expect(receipt.paymaster).toBe(deployment.verifyingPaymaster);
    expect(await publicClient.getCode({ address })).toMatch(/^0x[0-9a-f]{2,}/);
    expect(await balance(address)).toBe(0n);
  });
});
