import { encodeSessionSpec } from '@zksso/core';
import { encodeFunctionData, type Hex, pad, toHex } from 'viem';
import { describe, expect, it } from 'vitest';
import { analyseTrace, isAssociatedSlot, traceCall } from '../harness/erc7562.ts';
import {
  accountArtifact,
  asAccount,
  batch,
  RECIPIENT,
  setup,
  single,
  testSpec,
  useAnvil,
  userOp,
  validatorArtifact,
} from './fixture.ts';

// ERC-7562 check of validateUserOp on a real EVM trace (anvil debug_traceCall, struct logger with memory):
// no banned opcode runs, and every storage slot the validator touches is associated with the account
// (keccak256(account ‖ x) + n, n ≤ 128), the preimages taken from the KECCAK256 operations of the same trace.

const rpcUrl = useAnvil();

describe('SessionKeyValidator and ERC-7562', () => {
  it('validates a batch without banned opcodes, touching only storage associated with the account', async () => {
    const s = await setup(rpcUrl());
    const spec = testSpec(s);
    await asAccount(
      s,
      encodeFunctionData({
        abi: validatorArtifact().abi,
        functionName: 'onInstall',
        args: [encodeSessionSpec(spec)],
      }),
    );
    // transfer + constrained call under an hourly allowance: every kind of counter (fee, transfer, constraint)
    const batchCall = batch([
      { target: RECIPIENT, value: 10n, callData: '0x' },
      {
        target: s.target,
        value: 0n,
        callData: `0xa9059cbb${pad(RECIPIENT).slice(2)}${pad(toHex(300n)).slice(2)}` as Hex,
      },
    ]);
    for (const callData of [single(RECIPIENT, 50n, '0x'), batchCall]) {
      const { op, userOpHash } = await userOp(s, spec, callData, 1n);
      const data = encodeFunctionData({
        abi: accountArtifact().abi,
        functionName: 'validate',
        args: [s.validator, op, userOpHash],
      });
      const trace = await traceCall(s.rpcUrl, { from: s.wallet.account.address, to: s.account, data });
      expect(trace.failed).toBe(false);
      const { preimages, storage, banned } = analyseTrace(trace.structLogs, s.account);
      expect(banned).toEqual([]);
      const validatorAccess = storage.filter((a) => a.contract === s.validator.toLowerCase());
      // status, epoch and at least the fee and one usage counter, read and written
      expect(validatorAccess.filter((a) => a.op === 'SLOAD').length).toBeGreaterThanOrEqual(4);
      expect(validatorAccess.filter((a) => a.op === 'SSTORE').length).toBeGreaterThanOrEqual(2);
      const unassociated = validatorAccess.filter((a) => !isAssociatedSlot(s.account, a.slot, preimages));
      expect(unassociated).toEqual([]);
    }
  });
});
