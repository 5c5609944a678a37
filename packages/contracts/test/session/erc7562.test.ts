import { encodeSessionSpec } from '@zksso/core';
import { type Address, encodeAbiParameters, encodeFunctionData, type Hex, keccak256, pad, toHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ManagedProcess, rpc } from '../harness/processes.ts';
import {
  accountArtifact,
  asAccount,
  RECIPIENT,
  setup,
  single,
  startAnvil,
  testSpec,
  userOp,
  validatorArtifact,
} from './fixture.ts';

// ERC-7562 check of validateUserOp on a real EVM trace (anvil debug_traceCall, struct logger with memory):
// no banned opcode runs, and every storage slot the validator touches is associated with the account
// (keccak256(account ‖ x) + n, n ≤ 128), the preimages taken from the KECCAK256 operations of the same trace.

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

let anvil: ManagedProcess;
let rpcUrl: string;

beforeAll(async () => {
  ({ anvil, rpcUrl } = await startAnvil());
});

afterAll(async () => {
  await anvil?.stop();
});

/** Storage accesses and opcodes of each contract in a struct-log trace. */
function analyse(logs: StructLog[], root: Address) {
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
      const size = Number(top(1));
      const memory = (log.memory ?? []).map((word) => word.replace(/^0x/, '')).join('');
      const preimage = memory.slice(offset * 2, (offset + size) * 2);
      preimages.set(BigInt(keccak256(`0x${preimage}`)), preimage);
    }
    if (log.op === 'SLOAD' || log.op === 'SSTORE') storage.push({ contract, op: log.op, slot: top(0) });
    if (CALLS.has(log.op) && next && next.depth === log.depth + 1) {
      // DELEGATECALL/CALLCODE run in the caller's storage context
      const callee =
        log.op === 'DELEGATECALL' || log.op === 'CALLCODE' ? contract : pad(toHex(top(1)), { size: 20 });
      frames[log.depth] = callee.toLowerCase();
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

describe('SessionKeyValidator and ERC-7562', () => {
  it('validates a batch without banned opcodes, touching only storage associated with the account', async () => {
    const s = await setup(rpcUrl);
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
    const batchCall = encodeFunctionData({
      abi: [
        {
          type: 'function',
          name: 'execute',
          stateMutability: 'payable',
          inputs: [
            { name: 'mode', type: 'bytes32' },
            { name: 'executionCalldata', type: 'bytes' },
          ],
          outputs: [],
        },
      ],
      functionName: 'execute',
      args: [
        pad('0x01', { dir: 'right', size: 32 }),
        // abi.encode(Execution[])
        encodeAbiParameters(
          [
            {
              type: 'tuple[]',
              components: [
                { name: 'target', type: 'address' },
                { name: 'value', type: 'uint256' },
                { name: 'callData', type: 'bytes' },
              ],
            },
          ],
          [
            [
              { target: RECIPIENT, value: 10n, callData: '0x' },
              {
                target: s.target,
                value: 0n,
                callData: `0xa9059cbb${pad(RECIPIENT).slice(2)}${pad(toHex(300n)).slice(2)}` as Hex,
              },
            ],
          ],
        ),
      ],
    });
    for (const callData of [single(RECIPIENT, 50n, '0x'), batchCall]) {
      const { op, userOpHash } = await userOp(s, spec, callData, 1n);
      const data = encodeFunctionData({
        abi: accountArtifact().abi,
        functionName: 'validate',
        args: [s.validator, op, userOpHash],
      });
      const trace = await rpc<{ failed: boolean; structLogs: StructLog[] }>(s.rpcUrl, 'debug_traceCall', [
        { from: s.wallet.account.address, to: s.account, data },
        'latest',
        { enableMemory: true, disableStorage: true },
      ]);
      expect(trace.failed).toBe(false);
      const { preimages, storage, banned } = analyse(trace.structLogs, s.account);
      expect(banned).toEqual([]);
      const validatorAccess = storage.filter((a) => a.contract === s.validator.toLowerCase());
      // status, epoch and at least the fee and one usage counter, read and written
      expect(validatorAccess.filter((a) => a.op === 'SLOAD').length).toBeGreaterThanOrEqual(4);
      expect(validatorAccess.filter((a) => a.op === 'SSTORE').length).toBeGreaterThanOrEqual(2);
      const unassociated = validatorAccess.filter((a) => !associatedWith(s.account, a.slot, preimages));
      expect(unassociated).toEqual([]);
    }
  });
});
