import {
  type Address,
  encodeFunctionData,
  type Hex,
  keccak256,
  pad,
  parseEther,
  toHex,
  zeroAddress,
} from 'viem';
import { getUserOperationHash, toPackedUserOperation, type UserOperation } from 'viem/account-abstraction';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArtifact } from '../../src/artifacts.ts';
import { encodeExecute, withValidator } from '../../src/encoding.ts';
import { encodeVerifyingPaymasterAndData, signVerifyingPaymasterData } from '../../src/paymaster.ts';
import { createSoftwarePasskey, encodeWebAuthnSignature, rpIdHash } from '../../src/webauthn.ts';
import { startTestChain, type TestChain } from '../harness/chain.ts';
import { rpc } from '../harness/processes.ts';

// ERC-7562 on a real EVM trace (anvil debug_traceCall, struct logs with memory): validating a passkey user
// operation runs no banned opcode, and every storage slot WebAuthnValidator touches is associated with the account
// (keccak256(account ‖ x) + n, n ≤ 128; preimages read from the trace's KECCAK256 operations). The paymaster reads
// only its signer mapping (its own storage: allowed for a staked paymaster).

interface StructLog {
  op: string;
  depth: number;
  stack?: string[];
  memory?: string[];
}

const BANNED = new Set([
  'GASPRICE',
  'GASLIMIT',
  'DIFFICULTY',
  'PREVRANDAO',
  'TIMESTAMP',
  'BASEFEE',
  'BLOCKHASH',
  'NUMBER',
  'ORIGIN',
  'COINBASE',
  'SELFBALANCE',
  'BALANCE',
  'CREATE',
  'CREATE2',
  'SELFDESTRUCT',
  'INVALID',
  'BLOBHASH',
  'BLOBBASEFEE',
]);
const CALLS = new Set(['CALL', 'STATICCALL', 'DELEGATECALL', 'CALLCODE']);

/** Per-contract storage accesses, banned opcodes and keccak preimages of a trace rooted at `root`. */
function analyse(logs: readonly StructLog[], root: Address) {
  const frames: string[] = [root.toLowerCase()];
  const preimages = new Map<bigint, string>();
  const storage: { contract: string; op: string; slot: bigint }[] = [];
  const banned: { contract: string; op: string }[] = [];
  for (let i = 0; i < logs.length; i++) {
    const log = logs[i] as StructLog;
    const next = logs[i + 1];
    const contract = frames[log.depth - 1] as string;
    const stack = log.stack ?? [];
    const top = (k: number) => BigInt(stack[stack.length - 1 - k] as string);
    if (BANNED.has(log.op)) banned.push({ contract, op: log.op });
    if (log.op === 'GAS' && !(next && CALLS.has(next.op))) banned.push({ contract, op: 'GAS' });
    if (log.op === 'KECCAK256' || log.op === 'SHA3') {
      const offset = Number(top(0));
      const length = Number(top(1));
      const memory = (log.memory ?? []).map((word) => word.replace(/^0x/, '')).join('');
      preimages.set(
        BigInt(keccak256(`0x${memory.slice(offset * 2, (offset + length) * 2)}`)),
        memory.slice(offset * 2, (offset + length) * 2),
      );
    }
    if (log.op === 'SLOAD' || log.op === 'SSTORE') storage.push({ contract, op: log.op, slot: top(0) });
    if (CALLS.has(log.op) && next && next.depth === log.depth + 1) {
      frames[log.depth] = (
        log.op === 'DELEGATECALL' || log.op === 'CALLCODE' ? contract : pad(toHex(top(1)), { size: 20 })
      ).toLowerCase();
    }
  }
  return { preimages, storage, banned };
}

function associatedWith(account: Address, slot: bigint, preimages: Map<bigint, string>): boolean {
  const prefix = pad(account).slice(2).toLowerCase();
  for (const [hash, preimage] of preimages) {
    if (slot >= hash && slot - hash <= 128n && preimage.toLowerCase().startsWith(prefix)) return true;
  }
  return false;
}

describe('passkey validation and ERC-7562 (anvil trace)', () => {
  let chain: TestChain;
  const sponsor = privateKeyToAccount(generatePrivateKey());
  const factoryAbi = loadArtifact('ZkSsoAccountFactory').abi;
  const accountAbi = loadArtifact('ZkSsoAccount').abi;
  const paymasterAbi = loadArtifact('VerifyingPaymaster').abi;
  const RP_ID = 'wallet.zksso.test';
  const ORIGIN = 'https://wallet.zksso.test';

  beforeAll(async () => {
    chain = await startTestChain({ paymasterSigner: sponsor.address });
  });

  afterAll(async () => {
    await chain?.stop();
  });

  it('touches only account-associated validator storage, no banned opcode; paymaster reads its signer only', async () => {
    const { deployment, publicClient, walletClient } = chain;
    expect(deployment.webAuthnValidator).not.toBe(zeroAddress);
    const passkey = createSoftwarePasskey({ rpId: RP_ID, origin: ORIGIN });
    const args = [
      passkey.credentialId,
      passkey.publicKey.x,
      passkey.publicKey.y,
      ORIGIN,
      rpIdHash(RP_ID),
    ] as const;
    await publicClient.waitForTransactionReceipt({
      hash: await walletClient.writeContract({
        address: deployment.accountFactory,
        abi: factoryAbi,
        functionName: 'createPasskeyAccount',
        args,
      }),
    });
    const account = (await publicClient.readContract({
      address: deployment.accountFactory,
      abi: factoryAbi,
      functionName: 'getPasskeyAccountAddress',
      args: [passkey.credentialId, passkey.publicKey.x, passkey.publicKey.y],
    })) as Address;

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

    const trace = async (to: Address, data: Hex) =>
      rpc<{ failed: boolean; returnValue: string; structLogs: StructLog[] }>(
        chain.rpcUrl,
        'debug_traceCall',
        [{ from: deployment.entryPoint, to, data }, 'latest', { enableMemory: true, disableStorage: true }],
      );

    // The account, as the EntryPoint calls it: validateUserOp(op, hash, missingAccountFunds = 0).
    const accountTrace = await trace(
      account,
      encodeFunctionData({ abi: accountAbi, functionName: 'validateUserOp', args: [packed, userOpHash, 0n] }),
    );
    expect(accountTrace.failed).toBe(false);
    expect(BigInt(`0x${accountTrace.returnValue.replace(/^0x/, '') || '0'}`)).toBe(0n); // validation succeeded
    const a = analyse(accountTrace.structLogs, account);
    expect(a.banned).toEqual([]);
    const validatorAccess = a.storage.filter(
      (s) => s.contract === deployment.webAuthnValidator.toLowerCase(),
    );
    expect(validatorAccess.length).toBeGreaterThanOrEqual(4); // rpIdHash, originHash, x, y
    expect(validatorAccess.filter((s) => !associatedWith(account, s.slot, a.preimages))).toEqual([]);
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
    const p = analyse(paymasterTrace.structLogs, deployment.verifyingPaymaster);
    expect(p.banned).toEqual([]);
    const signerSlots = p.storage.filter((s) => s.contract === deployment.verifyingPaymaster.toLowerCase());
    expect(signerSlots.length).toBe(1);
    expect(associatedWith(sponsor.address, signerSlots[0]?.slot ?? 0n, p.preimages)).toBe(true);
  });
});
