import { p256 } from '@noble/curves/nist.js';
import { loadAccountAbstractionArtifact, loadArtifact } from '@zksso/devstack/deploy';
import {
  createSoftwarePasskey,
  encodeExecute,
  encodeWebAuthnSignature,
  type SoftwarePasskey,
  signVerifyingPaymasterData,
  withValidator,
} from '@zksso/sdk';
import {
  type Address,
  encodeFunctionData,
  type Hex,
  keccak256,
  parseEther,
  parseEventLogs,
  zeroAddress,
} from 'viem';
import { getUserOperationHash, toPackedUserOperation, type UserOperation } from 'viem/account-abstraction';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestChain, type TestChain } from '../harness/chain.ts';
import {
  createPasskeyAccountArgs,
  passkeyAccountAddress,
  TEST_RP_ID,
  testPasskey,
} from '../harness/passkey.ts';

/**
 * On anvil (osaka, P-256 precompile): a passkey account that holds no ETH is deployed and runs a call in its first
 * user operation, paid by the VerifyingPaymaster under a sponsor's signature; both signatures come from this
 * package's TypeScript helpers and are checked by the contracts.
 */
describe('sponsored passkey user operation (anvil)', () => {
  let chain: TestChain;
  const sponsor = privateKeyToAccount(generatePrivateKey());
  const entryPointAbi = loadAccountAbstractionArtifact('EntryPoint').abi;
  const factoryAbi = loadArtifact('ZkSsoAccountFactory').abi;
  const validatorAbi = loadArtifact('WebAuthnValidator').abi;
  const paymasterAbi = loadArtifact('VerifyingPaymaster').abi;

  beforeAll(async () => {
    chain = await startTestChain({ paymasterSigner: sponsor.address });
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

  async function buildOperation(passkey: SoftwarePasskey, signer = sponsor) {
    const { deployment, publicClient } = chain;
    const sender = await passkeyAccountAddress(chain, passkey);
    const userOperation: UserOperation<'0.8'> = {
      sender,
      nonce: 0n,
      factory: deployment.accountFactory,
      factoryData: encodeFunctionData({
        abi: factoryAbi,
        functionName: 'createPasskeyAccount',
        args: createPasskeyAccountArgs(passkey),
      }),
      callData: encodeExecute([{ to: '0x000000000000000000000000000000000000dEaD', value: 0n }]),
      callGasLimit: 100_000n,
      verificationGasLimit: 1_000_000n,
      preVerificationGas: 60_000n,
      maxFeePerGas: 2_000_000_000n,
      maxPriorityFeePerGas: 1_000_000_000n,
      paymaster: deployment.verifyingPaymaster,
      paymasterVerificationGasLimit: 100_000n,
      paymasterPostOpGasLimit: 0n,
      signature: '0x',
    };
    const block = await publicClient.getBlock();
    userOperation.paymasterData = await signVerifyingPaymasterData({
      signer,
      userOperation: {
        ...userOperation,
        paymasterVerificationGasLimit: 100_000n,
        paymasterPostOpGasLimit: 0n,
      },
      paymaster: deployment.verifyingPaymaster,
      chainId: chain.chain.id,
      validUntil: block.timestamp + 600n,
    });
    const userOpHash = getUserOperationHash({
      userOperation,
      entryPointAddress: deployment.entryPoint,
      entryPointVersion: '0.8',
      chainId: chain.chain.id,
    });
    const onChainHash = await publicClient.readContract({
      address: deployment.entryPoint,
      abi: entryPointAbi,
      functionName: 'getUserOpHash',
      args: [toPackedUserOperation(userOperation)],
    });
    expect(onChainHash).toBe(userOpHash);
    userOperation.signature = withValidator(
      deployment.webAuthnValidator,
      encodeWebAuthnSignature(passkey.sign(userOpHash)),
    );
    return { userOperation, userOpHash, sender };
  }

  function handleOps(userOperation: UserOperation<'0.8'>) {
    return chain.walletClient.writeContract({
      address: chain.deployment.entryPoint,
      abi: entryPointAbi,
      functionName: 'handleOps',
      args: [[toPackedUserOperation(userOperation)], chain.walletClient.account.address],
    });
  }

  it('deploys the account and executes, sponsored, with WebAuthn and paymaster signatures from the helpers', async () => {
    const { deployment, publicClient } = chain;
    expect(deployment.webAuthnValidator).not.toBe(zeroAddress);
    const passkey = testPasskey();
    const { userOperation, userOpHash, sender } = await buildOperation(passkey);
    expect(await publicClient.getBalance({ address: sender })).toBe(0n);
    const depositBefore = (await publicClient.readContract({
      address: deployment.verifyingPaymaster,
      abi: paymasterAbi,
      functionName: 'getDeposit',
    })) as bigint;

    const receipt = await publicClient.waitForTransactionReceipt({ hash: await handleOps(userOperation) });
    const [event] = parseEventLogs({
      abi: entryPointAbi,
      logs: receipt.logs,
      eventName: 'UserOperationEvent',
    }) as {
      args: { userOpHash: Hex; success: boolean; paymaster: Address; actualGasUsed: bigint };
    }[];
    expect(event?.args.userOpHash).toBe(userOpHash);
    expect(event?.args.success).toBe(true);
    expect(event?.args.paymaster).toBe(deployment.verifyingPaymaster);
    expect(await publicClient.getCode({ address: sender })).toMatch(/^0x[0-9a-f]{2,}/);
    const depositAfter = (await publicClient.readContract({
      address: deployment.verifyingPaymaster,
      abi: paymasterAbi,
      functionName: 'getDeposit',
    })) as bigint;
    expect(depositAfter).toBeLessThan(depositBefore);

    // The deployed account's passkey also answers the validator's diagnostic view (0 = valid, 5 = AssertionInvalid).
    const hash = keccak256('0x1234');
    const valid = encodeWebAuthnSignature(passkey.sign(hash));
    const check = (h: Hex, sig: Hex) =>
      publicClient.readContract({
        address: deployment.webAuthnValidator,
        abi: validatorAbi,
        functionName: 'checkSignature',
        args: [sender, h, sig],
      });
    expect(await check(hash, valid)).toBe(0);
    expect(await check(keccak256('0x1235'), valid)).toBe(5);
  });

  it('is refused when the sponsorship is not signed by a paymaster signer (AA34)', async () => {
    const passkey = testPasskey();
    const { userOperation } = await buildOperation(passkey, privateKeyToAccount(generatePrivateKey()));
    await expect(handleOps(userOperation)).rejects.toThrow(/AA34/);
  });

  it('is refused when the passkey assertion comes from another origin of the rpId (AA24)', async () => {
    const privateKey = p256.utils.randomSecretKey();
    const passkey = testPasskey(privateKey);
    const { userOperation, userOpHash } = await buildOperation(passkey);
    // The same key and credential used on a sibling origin (e.g. a compromised subdomain).
    const elsewhere = createSoftwarePasskey({
      rpId: TEST_RP_ID,
      origin: 'https://evil.zksso.test',
      privateKey,
      credentialId: passkey.credentialId,
    });
    userOperation.signature = withValidator(
      chain.deployment.webAuthnValidator,
      encodeWebAuthnSignature(elsewhere.sign(userOpHash)),
    );
    await expect(handleOps(userOperation)).rejects.toThrow(/AA24/);
  });
});
