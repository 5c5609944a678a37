import { type Address, type Hex, keccak256, numberToHex, pad, toHex } from 'viem';
import { rpc } from './processes.ts';

/**
 * ERC-7562 validation-rule checks on a real EVM trace: anvil `debug_traceCall` with the struct logger (memory
 * on, storage off), then an analysis of which contract ran which banned opcode and touched which storage slot,
 * with the KECCAK256 preimages of the same trace to tell account-associated slots (keccak256(owner ‖ x) + n,
 * n ≤ 128) from others. Shared by the zkLogin, passkey and session ERC-7562 tests.
 *
 * @example
 * const trace = await traceCall(rpcUrl, { from: entryPoint, to: account, data });
 * const { banned, storage, preimages } = analyseTrace(trace.structLogs, account);
 * expect(banned).toEqual([]);
 * expect(storage.filter((s) => !isAssociatedSlot(account, s.slot, preimages))).toEqual([]);
 */

/** Opcodes ERC-7562 forbids during validation (GAS is checked apart: allowed only right before a call). */
export const BANNED_OPCODES: ReadonlySet<string> = new Set([
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

/** One step of anvil's struct logger (`debug_traceCall` without a JS tracer). */
export interface StructLog {
  op: string;
  depth: number;
  stack?: string[];
  memory?: string[];
}

/** Result of {@link traceCall}. */
export interface CallTrace {
  failed: boolean;
  returnValue: string;
  structLogs: StructLog[];
}

/** A storage access, attributed to the contract whose storage it is (lower-case address). */
export interface StorageAccess {
  contract: string;
  op: string;
  slot: bigint;
}

/** What {@link analyseTrace} finds in a trace. */
export interface TraceAnalysis {
  /** keccak256 hash → hex preimage (no 0x) of every KECCAK256 the trace ran. */
  preimages: Map<bigint, string>;
  storage: StorageAccess[];
  /** Banned opcodes run, and GAS not directly followed by a call (ERC-7562 OP-012). */
  banned: { contract: string; op: string }[];
}

/**
 * Traces `call` on the latest block with anvil's struct logger, memory enabled.
 *
 * @example
 * const trace = await traceCall(chain.rpcUrl, { from: entryPoint, to: account, data, gas: 5_000_000n });
 */
export function traceCall(
  rpcUrl: string,
  call: { from: Address; to: Address; data: Hex; gas?: bigint },
): Promise<CallTrace> {
  const { gas, ...rest } = call;
  return rpc<CallTrace>(rpcUrl, 'debug_traceCall', [
    gas === undefined ? rest : { ...rest, gas: numberToHex(gas) },
    'latest',
    { enableMemory: true, disableStorage: true },
  ]);
}

/**
 * Storage accesses, banned opcodes and keccak preimages of a struct-log trace whose outermost call is to `root`.
 *
 * @example
 * const { banned, storage, preimages } = analyseTrace(trace.structLogs, account);
 */
export function analyseTrace(logs: readonly StructLog[], root: Address): TraceAnalysis {
  const frames: string[] = [root.toLowerCase()];
  const preimages = new Map<bigint, string>();
  const storage: StorageAccess[] = [];
  const banned: { contract: string; op: string }[] = [];
  for (let i = 0; i < logs.length; i++) {
    const log = logs[i] as StructLog;
    const next = logs[i + 1];
    const contract = frames[log.depth - 1] as string;
    const stack = log.stack ?? [];
    const top = (k: number) => BigInt(stack[stack.length - 1 - k] as string);
    if (BANNED_OPCODES.has(log.op)) banned.push({ contract, op: log.op });
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
      // DELEGATECALL/CALLCODE run in the caller's storage context.
      const callee =
        log.op === 'DELEGATECALL' || log.op === 'CALLCODE' ? contract : pad(toHex(top(1)), { size: 20 });
      frames[log.depth] = callee.toLowerCase();
    }
  }
  return { preimages, storage, banned };
}

/**
 * True if `slot` is keccak256(owner ‖ x) + n (n ≤ 128) for a preimage hashed in the trace.
 *
 * @example
 * const ok = isAssociatedSlot(account, access.slot, analysis.preimages);
 */
export function isAssociatedSlot(
  owner: Address,
  slot: bigint,
  preimages: ReadonlyMap<bigint, string>,
): boolean {
  const prefix = pad(owner).slice(2).toLowerCase();
  for (const [hash, preimage] of preimages) {
    if (slot >= hash && slot - hash <= 128n && preimage.toLowerCase().startsWith(prefix)) return true;
  }
  return false;
}

/**
 * Accesses outside `account`'s own storage that are not associated with it (lower-case contract addresses).
 *
 * @example
 * expect(unassociatedAccesses(analysis, account)).toEqual([]);
 */
export function unassociatedAccesses(analysis: TraceAnalysis, account: Address): StorageAccess[] {
  const self = account.toLowerCase();
  return analysis.storage.filter(
    (s) => s.contract !== self && !isAssociatedSlot(account, s.slot, analysis.preimages),
  );
}
