import { loadArtifact } from '@zksso/devstack/deploy';
import {
  encodeExecute,
  encodeVerifyingPaymasterAndData,
  encodeWebAuthnSignature,
  signVerifyingPaymasterData,
  withValidator,
} from '@zksso/sdk';
import { type Address, encodeFunctionData, type Hex, parseEther, zeroAddress } from 'viem';
import { getUserOperationHash, toPackedUserOperation, type UserOperation } from 'viem/account-abstraction';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestChain, type TestChain } from '../harness/chain.ts';
import { analyseTrace, isAssociatedSlot, traceCall } from '../harness/erc7562.ts';
import { createPasskeyAccountArgs, passkeyAccountAddress, testPasskey } from '../harness/passkey.ts';

// ERC-7562 on a real EVM trace (anvil debug_traceCall, struct logs with memory): validating a passkey user
// operation runs no banned opcode, and every storage slot WebAuthnValidator touches is associated with the account
// (keccak256(account ‖ x) + n, n ≤ 128; preimages read from the trace's KECCAK256 operations). The paymaster reads
// only its signer mapping (its own storage: allowed for a staked paymaster).

describe('passkey validation and ERC-7562 (anvil trace)', () => {
  let chain: TestChain;
  const sponsor = privateKeyToAccount(generatePrivateKey());
  const factoryAbi = loadArtifact('ZkSsoAccountFactory').abi;
  const accountAbi = loadArtifact('ZkSsoAccount').abi;
  const paymasterAbi = loadArtifact('VerifyingPaymaster').abi;

  beforeAll(async () => {
    chain = await startTestChain({ paymasterSigner: sponsor.address });
  });

  afterAll(async () => {
    await chain?.stop();
  });

  it('touches only account-associated validator storage, no banned opcode; paymaster reads its signer only', async () => {
    const { deployment, publicClient, walletClient } = chain;
    expect(deployment.webAuthnValidator).not.toBe(zeroAddress);
    const passkey = testPasskey();
    await publicClient.waitForTransactionReceipt({
      hash: await walletClient.writeContract({
        address: deployment.accountFactory,
        abi: factoryAbi,
        functionName: 'createPasskeyAccount',
        args: createPasskeyAccountArgs(passkey),
      }),
    });
    const account = await passkeyAccountAddress(chain, passkey);

    const gas = { paymasterVerificationGasLimit: 100_000n, paymasterPostOpGasLimit: 0n };
    const userOperation: UserOperation<'0.8'> = {
      sender: account,
      nonce: 0n,
      callData: encodeExecute([{ to: '0x000000000000000000000000000000000000dEaD', value: 0n }]),
      callGasLimit: 100_000n,
      verificationGasLimit: 500_000n,
      preVerificationGas: 60_000n,
      maxFeePerGas: 2_000_000_000n,
      maxPriorityFeePerGas: 1_000_000_000n,
      paymaster: deployment.verifyingPaymaster,
      ...gas,
      signature: '0x',
    };
    userOperation.paymasterData = await signVerifyingPaymasterData({
      signer: sponsor,
      userOperation: { ...userOperation, ...gas },
      paymaster: deployment.verifyingPaymaster,
      chainId: chain.chain.id,
      validUntil: 0,
    });
    const userOpHash = getUserOperationHash({
      userOperation,
      entryPointAddress: deployment.entryPoint,
      entryPointVersion: '0.8',
      chainId: chain.chain.id,
    });
    userOperation.signature = withValidator(
      deployment.webAuthnValidator,
      encodeWebAuthnSignature(passkey.sign(userOpHash)),
    );
    const packed = toPackedUserOperation(userOperation);
    expect(packed.paymasterAndData).toBe(
      encodeVerifyingPaymasterAndData({
        paymaster: deployment.verifyingPaymaster,
        ...gas,
        paymasterData: userOperation.paymasterData as Hex,
      }),
    );

    const trace = (to: Address, data: Hex) =>
      traceCall(chain.rpcUrl, { from: deployment.entryPoint, to, data });

    // The account, as the EntryPoint calls it: validateUserOp(op, hash, missingAccountFunds = 0).
    const accountTrace = await trace(
      account,
      encodeFunctionData({ abi: accountAbi, functionName: 'validateUserOp', args: [packed, userOpHash, 0n] }),
    );
    expect(accountTrace.failed).toBe(false);
    expect(BigInt(`0x${accountTrace.returnValue.replace(/^0x/, '') || '0'}`)).toBe(0n); // validation succeeded
    const a = analyseTrace(accountTrace.structLogs, account);
    expect(a.banned).toEqual([]);
    const validatorAccess = a.storage.filter(
      (s) => s.contract === deployment.webAuthnValidator.toLowerCase(),
    );
    expect(validatorAccess.length).toBeGreaterThanOrEqual(4); // rpIdHash, originHash, x, y
    expect(validatorAccess.filter((s) => !isAssociatedSlot(account, s.slot, a.preimages))).toEqual([]);
    // The P-256 precompile did the verification (no Solidity fallback on osaka).
    expect(
      accountTrace.structLogs.some((l) => l.op === 'STATICCALL' && BigInt(l.stack?.at(-2) ?? 0) === 0x100n),
    ).toBe(true);

    // The paymaster, as the EntryPoint calls it.
    const paymasterTrace = await trace(
      deployment.verifyingPaymaster,
      encodeFunctionData({
        abi: paymasterAbi,
        functionName: 'validatePaymasterUserOp',
        args: [packed, userOpHash, parseEther('0.01')],
      }),
    );
    expect(paymasterTrace.failed).toBe(false);
    const p = analyseTrace(paymasterTrace.structLogs, deployment.verifyingPaymaster);
    expect(p.banned).toEqual([]);
    const signerSlots = p.storage.filter((s) => s.contract === deployment.verifyingPaymaster.toLowerCase());
    expect(signerSlots.length).toBe(1);
    expect(isAssociatedSlot(sponsor.address, signerSlots[0]?.slot ?? 0n, p.preimages)).toBe(true);
  });
});
