import { encodeSessionSpec, sessionHash } from '@zksso/core';
import {
  BaseError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  encodeFunctionData,
  type Hex,
} from 'viem';
import { describe, expect, it } from 'vitest';
import {
  accountArtifact,
  asAccount,
  RECIPIENT,
  setup,
  single,
  testSpec,
  useAnvil,
  userOp,
  validatorArtifact,
} from './fixture.ts';

// Cross-checks the TypeScript encodings (@zksso/core's SessionSpec ABI and sessionHash, the validator signature
// layout built with viem) against the compiled SessionKeyValidator on anvil, and that its typed errors decode
// with the artifact ABI — what the SDK relies on.

const rpcUrl = useAnvil();

describe('SessionKeyValidator with TypeScript encodings', () => {
  it('stores the session under @zksso/core sessionHash and accepts a viem-built signature', async () => {
    const s = await setup(rpcUrl());
    const sessionSpec = testSpec(s);
    const install = encodeFunctionData({
      abi: validatorArtifact().abi,
      functionName: 'onInstall',
      args: [encodeSessionSpec(sessionSpec)],
    });
    await asAccount(s, install);

    const status = await s.publicClient.readContract({
      address: s.validator,
      abi: validatorArtifact().abi,
      functionName: 'sessionStatus',
      args: [s.account, sessionHash(sessionSpec)],
    });
    expect(status).toBe(1); // Active

    const { op, userOpHash } = await userOp(s, sessionSpec, single(RECIPIENT, 60n, '0x'), 1n);
    const { result } = await s.publicClient.simulateContract({
      address: s.account,
      abi: accountArtifact().abi,
      functionName: 'validate',
      args: [s.validator, op, userOpHash],
    });
    const data = result as bigint;
    expect(data & ((1n << 160n) - 1n)).toBe(0n); // no signature failure
    expect((data >> 160n) & ((1n << 48n) - 1n)).toBe(sessionSpec.expiresAt); // validUntil
  });

  it('reports a refused limit as a typed error the SDK can decode, and sessionState tracks usage', async () => {
    const s = await setup(rpcUrl());
    const sessionSpec = testSpec(s);
    await asAccount(
      s,
      encodeFunctionData({
        abi: validatorArtifact().abi,
        functionName: 'onInstall',
        args: [encodeSessionSpec(sessionSpec)],
      }),
    );
    // spend 100 of the 150 lifetime transfer allowance
    const first = await userOp(s, sessionSpec, single(RECIPIENT, 100n, '0x'), 1n);
    const hash = await s.wallet.writeContract({
      address: s.account,
      abi: accountArtifact().abi,
      functionName: 'validate',
      args: [s.validator, first.op, first.userOpHash],
    });
    await s.publicClient.waitForTransactionReceipt({ hash });

    const state = (await s.publicClient.readContract({
      address: s.validator,
      abi: validatorArtifact().abi,
      functionName: 'sessionState',
      args: [s.account, sessionSpec],
    })) as { transferValue: readonly { used: bigint; remaining: bigint }[]; fee: { used: bigint } };
    expect(state.transferValue[0]?.used).toBe(100n);
    expect(state.transferValue[0]?.remaining).toBe(50n);
    expect(state.fee.used).toBe(600_000n * 1_000_000_000n);

    const over = await userOp(s, sessionSpec, single(RECIPIENT, 60n, '0x'), 2n);
    let revertData: Hex | undefined;
    try {
      await s.publicClient.simulateContract({
        address: s.account,
        abi: [...accountArtifact().abi, ...validatorArtifact().abi.filter((x) => x.type === 'error')],
        functionName: 'validate',
        args: [s.validator, over.op, over.userOpHash],
      });
    } catch (error) {
      const reverted =
        error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : null;
      if (reverted instanceof ContractFunctionRevertedError) revertData = reverted.raw;
    }
    expect(revertData).toBeDefined();
    const decoded = decodeErrorResult({ abi: validatorArtifact().abi, data: revertData as Hex });
    expect(decoded.errorName).toBe('SessionLimitExceeded');
    expect(decoded.args).toEqual([sessionHash(sessionSpec), 1, 0n, 0n, 0n, 60n, 50n, 0n]);
  });
});
