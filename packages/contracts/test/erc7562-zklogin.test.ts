import { loadArtifact } from '@zksso/devstack/deploy';
import type { toZkSsoOpenIdAccount } from '@zksso/sdk';
import { type Address, encodeFunctionData } from 'viem';
import { getUserOperationHash, toPackedUserOperation } from 'viem/account-abstraction';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestChain, type TestChain } from './harness/chain.ts';
import {
  analyseTrace,
  isAssociatedSlot,
  type TraceAnalysis,
  traceCall,
  unassociatedAccesses,
} from './harness/erc7562.ts';
import { addJwk, openIdAccountPair } from './harness/zklogin.ts';

// ERC-7562 check of ZkSsoAccount.validateUserOp + ZkLoginValidator on a real EVM trace (see harness/erc7562.ts):
// banned opcodes, and which storage slots each contract touches, account-associated or not.

const ISS = 0x1234n;
const MODULUS = 0xabcdn;

describe('ERC-7562 (ZkLoginValidator through ZkSsoAccount)', () => {
  let chain: TestChain;
  let account: Address;
  let keyOnly: Awaited<ReturnType<typeof toZkSsoOpenIdAccount>>;
  let proving: Awaited<ReturnType<typeof toZkSsoOpenIdAccount>>;

  beforeAll(async () => {
    chain = await startTestChain();
    const { publicClient, bundlerClient } = chain;
    await addJwk(chain, ISS, MODULUS);
    const expiry = (await publicClient.getBlock()).timestamp + 3600n;
    ({ withProof: proving, keyOnly } = await openIdAccountPair(chain, {
      issHash: ISS,
      idc: 0x99n,
      ephemeral: privateKeyToAccount(generatePrivateKey()),
      expiry,
      modulusHash: MODULUS,
    }));
    account = proving.address;
    await chain.fund(account, '1');
    const hash = await bundlerClient.sendUserOperation({
      account: proving,
      calls: [{ to: account, value: 0n }],
    });
    await bundlerClient.waitForUserOperationReceipt({ hash });
  });

  afterAll(async () => {
    await chain?.stop();
  });

  async function traceValidation(smartAccount: typeof keyOnly): Promise<TraceAnalysis> {
    const prepared = await chain.bundlerClient.prepareUserOperation({
      account: smartAccount,
      calls: [{ to: account, value: 0n }],
    });
    const signature = await smartAccount.signUserOperation(prepared);
    const userOperation = { ...prepared, signature };
    const userOpHash = getUserOperationHash({
      userOperation,
      entryPointAddress: chain.deployment.entryPoint,
      entryPointVersion: '0.8',
      chainId: chain.chain.id,
    });
    const data = encodeFunctionData({
      abi: loadArtifact('ZkSsoAccount').abi,
      functionName: 'validateUserOp',
      args: [toPackedUserOperation(userOperation), userOpHash, 0n],
    });
    const trace = await traceCall(chain.rpcUrl, {
      from: chain.deployment.entryPoint,
      to: account,
      data,
      gas: 5_000_000n,
    });
    return analyseTrace(trace.structLogs, account);
  }

  it('mode 0x02 (ephemeral key): no banned opcode, only account-associated storage', async () => {
    const trace = await traceValidation(keyOnly);
    expect(trace.storage.length).toBeGreaterThan(0);
    expect(trace.banned).toEqual([]);
    expect(unassociatedAccesses(trace, account)).toEqual([]);
  });

  it('mode 0x01 (proof): no banned opcode; non-associated reads are only the verifier table and the registry', async () => {
    const trace = await traceValidation(proving);
    expect(trace.banned).toEqual([]);
    const others = unassociatedAccesses(trace, account);
    expect(others.length).toBeGreaterThan(0);
    const allowed = [chain.deployment.zkLoginValidator, chain.deployment.jwkRegistry].map((a) =>
      a.toLowerCase(),
    );
    for (const access of others) expect(allowed).toContain(access.contract);
    // Writes stay account-associated.
    const writes = trace.storage.filter((s) => s.op === 'SSTORE' && s.contract !== account.toLowerCase());
    expect(writes.length).toBeGreaterThan(0);
    for (const w of writes) expect(isAssociatedSlot(account, w.slot, trace.preimages)).toBe(true);
  });
});
